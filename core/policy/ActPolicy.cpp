#include "policy/ActPolicy.h"

#include "common/Seeds.h"
#include "model/Checkpoint.h"

#include <filesystem>

namespace collab::policy {

namespace fs = std::filesystem;

model::ModelConfig builtinPolicyConfig(std::int64_t vocabularySize) {
  model::ModelConfig c;
  c.architecture = model::Architecture::Llama;
  c.vocabSize = vocabularySize;
  c.hiddenSize = 64;
  c.intermediateSize = 192;
  c.layers = 2;
  c.heads = 4;
  c.kvHeads = 2;
  c.headDim = 16;
  c.maxPositions = 512;
  c.rmsNormEps = 1e-5;
  c.tieEmbeddings = true;
  c.bosTokenId = 2;
  c.eosTokenIds = {3};
  return c;
}

ActPolicy::ActPolicy(model::CausalLm model, ActVocabulary vocabulary, const task::TaskRegistry& tasks,
                     model::SamplingParams sampling, std::uint64_t seed)
    : model_(std::move(model)), vocabulary_(std::move(vocabulary)), tasks_(tasks), sampling_(sampling), seed_(seed) {}

ActPolicy ActPolicy::load(const std::string& directory, const task::TaskRegistry& tasks, model::SamplingParams sampling,
                          std::uint64_t seed) {
  ActVocabulary vocabulary = ActVocabulary::fromTokenizerJson((fs::path(directory) / "tokenizer.json").string());
  return ActPolicy(model::loadCausalLm(directory), std::move(vocabulary), tasks, sampling, seed);
}

void ActPolicy::save(const std::string& directory) const {
  const fs::path staged = directory + ".vocab";
  try {
    fs::create_directories(staged);
    vocabulary_.writeTokenizerJson((staged / "tokenizer.json").string());
    model::saveCausalLm(*model_, directory, {at::kFloat, staged.string(), {}});
  } catch (...) {
    std::error_code ignored; // a full disk must not also leave the staged tokenizer behind
    fs::remove_all(staged, ignored);
    throw;
  }
  fs::remove_all(staged);
}

std::vector<std::uint64_t> ActPolicy::nextCallSeeds(int n) {
  const std::uint64_t call = calls_++;
  std::vector<std::uint64_t> seeds;
  for (int i = 0; i < n; ++i) seeds.push_back(seed_ * 1000003ULL + call * 131ULL + static_cast<std::uint64_t>(i));
  return seeds;
}

std::vector<DialogueAct> ActPolicy::sampleActs(const task::TaskInstance& task, const conversation::Messages& conversation,
                                               int n) {
  return sampleActs(task, std::vector<conversation::Messages>(static_cast<std::size_t>(n), conversation), nextCallSeeds(n));
}

std::vector<DialogueAct> ActPolicy::sampleActs(const task::TaskInstance& task,
                                               const std::vector<conversation::Messages>& conversations,
                                               const std::vector<std::uint64_t>& seeds,
                                               const model::GenerationHooks& hooks) {
  std::vector<ActRow> rows;
  for (std::size_t i = 0; i < conversations.size(); ++i) rows.push_back({&task, &conversations[i], seeds.at(i)});
  return drawActs(rows, hooks);
}

std::vector<DialogueAct> ActPolicy::drawActs(const std::vector<ActRow>& rows, const model::GenerationHooks& hooks) {
  if (maxBatchRows_ == 0 || rows.size() <= maxBatchRows_) return drawBatch(rows, hooks);
  // Batches of equal size: 72 rows as 36 + 36, not 64 + 8 (a batch costs much the same
  // for 8 rows as for 36).
  const std::size_t batches = (rows.size() + maxBatchRows_ - 1) / maxBatchRows_;
  const std::size_t size = (rows.size() + batches - 1) / batches;
  std::vector<DialogueAct> acts;
  for (std::size_t first = 0; first < rows.size(); first += size) {
    model::GenerationHooks batchHooks = hooks;
    if (hooks.onToken) // numbered by the row's place in the call, not in its batch
      batchHooks.onToken = [&hooks, first](std::size_t row, std::int64_t token) { hooks.onToken(first + row, token); };
    const auto end = rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), first + size));
    for (DialogueAct& act : drawBatch({rows.begin() + static_cast<std::ptrdiff_t>(first), end}, batchHooks))
      acts.push_back(std::move(act));
  }
  return acts;
}

std::vector<DialogueAct> ActPolicy::drawBatch(const std::vector<ActRow>& rows, const model::GenerationHooks& hooks) {
  std::vector<model::GenerationRequest> requests;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    model::GenerationRequest r;
    // The same conversation repeated (n candidates for one turn) is encoded once.
    if (i > 0 && rows[i].task == rows[i - 1].task && *rows[i].conversation == *rows[i - 1].conversation)
      r.prompt = requests.back().prompt;
    else
      r.prompt = vocabulary_.encode(*rows[i].task, *rows[i].conversation).ids;
    r.sampling = sampling_;
    r.seed = rows[i].seed;
    r.maxNewTokens = 8;
    r.stopTokens = {vocabulary_.eos()};
    requests.push_back(std::move(r));
  }
  ++generations_;
  std::vector<DialogueAct> acts;
  for (const auto& result : model::generate(*model_, requests, hooks, prefixes_.get()))
    acts.push_back(vocabulary_.decodeAct(result.tokens));
  return acts;
}

std::vector<std::string> ActPolicy::respondInStreams(const task::TaskInstance& task,
                                                     const std::vector<conversation::Messages>& conversations,
                                                     const std::vector<std::uint64_t>& streams) {
  std::vector<simulate::PolicyTurn> turns;
  for (std::size_t i = 0; i < conversations.size(); ++i) turns.push_back({&task, &conversations[i], streams.at(i)});
  return respondToTurns(turns);
}

std::vector<std::string> ActPolicy::respondToTurns(const std::vector<simulate::PolicyTurn>& turns) {
  std::vector<ActRow> rows;
  for (const simulate::PolicyTurn& turn : turns) rows.push_back({turn.task, turn.conversation, mixSeed(seed_, turn.stream)});
  const std::vector<DialogueAct> acts = drawActs(rows);
  std::vector<std::string> replies;
  for (std::size_t i = 0; i < acts.size(); ++i) replies.push_back(render(*turns[i].task, *turns[i].conversation, acts[i]));
  return replies;
}

void ActPolicy::beginRelatedCalls() {
  if (related_++ == 0 && (reuse_.shareAcrossPrompts || reuse_.keepGenerated))
    prefixes_ = std::make_unique<model::PrefixCache>(reuse_);
}

void ActPolicy::endRelatedCalls() {
  if (related_ == 0 || --related_ > 0) return;
  if (prefixes_) {
    prefixCounts_.read += prefixes_->counts().read;
    prefixCounts_.reused += prefixes_->counts().reused;
  }
  prefixes_.reset();
}

std::string ActPolicy::render(const task::TaskInstance& task, const conversation::Messages& conversation,
                              const DialogueAct& act) const {
  return renderAct(tasks_.family(task.family), task, conversation, act, seed_);
}

std::string ActPolicy::respond(const task::TaskInstance& task, const conversation::Messages& conversation) {
  return render(task, conversation, sampleActs(task, conversation, 1).front());
}

std::string ActPolicy::respond(const task::TaskInstance& task, const conversation::Messages& conversation,
                               const ActWordSink& onActWord) {
  model::GenerationHooks hooks;
  hooks.onToken = [&](std::size_t, std::int64_t token) {
    if (token != vocabulary_.eos() && token != ActVocabulary::kPad) onActWord(vocabulary_.word(token));
  };
  return render(task, conversation, sampleActs(task, {conversation}, nextCallSeeds(1), hooks).front());
}

} // namespace collab::policy
