// Writes N CollabLLM v2 multiturn rows as JSON Lines, the same for the same seed on every
// machine (own PRNG: std:: distributions differ between standard libraries).
//
//   bench_make_rows ROWS [SEED] > rows.jsonl
//
// Shapes follow the published data: rows sharing a conv_id form one tree; a row's prompt is
// the history so far, growing by two messages a turn (best completion + next user turn);
// 2-3 candidate rows per turn, 1-7 turns per conversation, 3 sampled sessions of 2-4
// messages each, texts of 300-1500 characters with paragraphs, quotes and some non-ASCII.
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

namespace {

using Json = nlohmann::ordered_json;  // keeps the dataset's key order

class SplitMix64 {
public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int between(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
  std::uint64_t state_;
};

constexpr std::array<std::string_view, 48> kWords = {
    "the", "draft", "user", "goal", "should", "paragraph", "clarify", "tone", "audience", "budget",
    "section", "please", "could", "you", "rewrite", "summary", "because", "formal", "example", "results",
    "we", "need", "to", "keep", "it", "short", "and", "focus", "on", "evidence",
    "\"quoted\"", "café", "résumé", "naïve", "—", "however", "deadline", "model", "reward", "question",
    "turn", "answer", "explain", "document", "revise", "include", "data", "which"};

std::string text(SplitMix64& rng) {
  const std::size_t target = static_cast<std::size_t>(rng.between(300, 1500));
  std::string out;
  out.reserve(target + 32);
  bool sentenceStart = true;
  while (out.size() < target) {
    std::string word(kWords[rng.next() % kWords.size()]);
    if (sentenceStart && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
    out += word;
    sentenceStart = rng.between(0, 11) == 0;
    if (sentenceStart) out += rng.between(0, 5) == 0 ? ".\n\n" : ". ";
    else out += ' ';
  }
  out += '.';
  return out;
}

Json message(const char* role, SplitMix64& rng) { return Json{{"role", role}, {"content", text(rng)}}; }

Json triple(SplitMix64& rng, double lo, double hi) {
  Json values = Json::array();
  for (int i = 0; i < 3; ++i) values.push_back(lo + (hi - lo) * rng.unit());
  return values;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_make_rows ROWS [SEED] > rows.jsonl\n";
    return 2;
  }
  const long long rows = std::stoll(argv[1]);
  SplitMix64 rng(argc > 2 ? std::stoull(argv[2]) : 42);
  std::ios::sync_with_stdio(false);

  long long written = 0;
  for (long long conv = 0; written < rows; ++conv) {
    std::string convId = "c";  // appended, not "c" + ...: GCC 12 warns falsely (-Wrestrict)
    convId += std::to_string(conv);
    const std::string task = text(rng);
    Json history = Json::array({message("user", rng)});
    const int turns = rng.between(1, 7);
    for (int turn = 0; turn < turns && written < rows; ++turn) {
      const int candidates = rng.between(2, 3);
      std::string best;
      double bestScore = -1.0;
      for (int c = 0; c < candidates && written < rows; ++c, ++written) {
        Json sessions = Json::array();
        for (int s = 0; s < 3; ++s) {
          Json session = Json::array();
          const int length = rng.between(2, 4);
          for (int m = 0; m < length; ++m) session.push_back(message(m % 2 == 0 ? "user" : "assistant", rng));
          sessions.push_back(std::move(session));
        }
        Json mr = triple(rng, 0.0, 1.0);
        const double score = (mr[0].get<double>() + mr[1].get<double>() + mr[2].get<double>()) / 3.0;
        const std::string completion = text(rng);
        if (score > bestScore) {
          bestScore = score;
          best = completion;
        }
        Json row = {{"prompt", history},
                    {"completion", completion},
                    {"conv_id", convId},
                    {"turn_id", turn},
                    {"score", score},
                    {"rewards",
                     {{"MR", std::move(mr)}, {"bleu", triple(rng, 0.0, 1.0)}, {"token_amount", triple(rng, 0.1, 2.0)}}},
                    {"sessions", std::move(sessions)},
                    {"single_turn_prompt", task},
                    {"single_turn_completion", text(rng)},
                    {"single_turn_metadata",
                     {{"task", "document-editing"}, {"source", "bench"}, {"conv_id", convId}}}};
        std::cout << row.dump() << '\n';
      }
      history.push_back(Json{{"role", "assistant"}, {"content", best}});
      history.push_back(message("user", rng));
    }
  }
  return std::cout.good() ? 0 : 1;
}
