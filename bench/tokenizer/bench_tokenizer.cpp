// bench_tokenizer TOKENIZER DOCS.jsonl [ROUNDS]: encodes every document (one JSON string per
// line) ROUNDS times, one thread, after one warm-up round; prints one JSON line with the
// token count and tokens per second of the timed rounds.
#include "model/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench_tokenizer TOKENIZER DOCS.jsonl [ROUNDS]\n";
    return 2;
  }
  const int rounds = argc > 3 ? std::stoi(argv[3]) : 3;
  const auto loadStart = std::chrono::steady_clock::now();
  const auto tokenizer = collab::model::Tokenizer::fromPath(argv[1]);
  const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();

  std::vector<std::string> docs;
  std::ifstream in(argv[2], std::ios::binary);
  std::size_t bytes = 0;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) {
      docs.push_back(nlohmann::json::parse(line).get<std::string>());
      bytes += docs.back().size();
    }

  std::size_t tokens = 0;
  for (const auto& d : docs) tokens += tokenizer.encode(d).ids.size();  // warm-up
  const auto start = std::chrono::steady_clock::now();
  std::size_t timedTokens = 0;
  for (int r = 0; r < rounds; ++r)
    for (const auto& d : docs) timedTokens += tokenizer.encode(d).ids.size();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << nlohmann::json{{"impl", "collab"},
                              {"docs", docs.size()},
                              {"bytes", bytes},
                              {"tokens", tokens},
                              {"load_s", loadSeconds},
                              {"seconds", seconds},
                              {"tokens_per_s", static_cast<double>(timedTokens) / seconds}}
                   .dump()
            << '\n';
  return 0;
}
