#include "policy/ActPolicy.h"

#include "common/Seeds.h"
#include "model/Checkpoint.h"
#include "policy/BatchLanes.h"

#include <filesystem>

namespace collab::policy {

namespace fs = std::filesystem;

namespace {

// Fewer rows than this per lane and a lane's thread costs more than it spares (bench_mr:
// running lanes of 1–3 rows on threads gained nothing over running them in turn).
constexpr std::size_t kMinRowsPerLane = 4;

} // namespace

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
    : model_(std::move(model)), vocabulary_(std::move(vocabulary)), tasks_(tasks), sampling_(sampling), seed_(seed),
      lanes_(model_->outputWeight().device().is_cpu() ? idleCoreLanes() : 1) {}

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
  const std::vector<model::GenerationRequest> requests = requestsFor(rows);
  // A streaming call stays on this thread, in one lane. Otherwise the rows are split over
  // the lanes whose caches hold their prefixes (all of them during related calls, so that
  // a future finds its last turn again) or, with nothing cached, over as many lanes as
  // have a few rows each.
  std::size_t lanes = 1;
  if (!hooks.onToken)
    lanes = prefixes_.empty() ? std::min(lanes_, rows.size() / kMinRowsPerLane) : std::min(prefixes_.size(), rows.size());
  std::vector<model::GenerationResult> results;
  if (lanes <= 1)
    generations_ += drawBatches(requests, hooks, prefixes_.empty() ? nullptr : prefixes_.front().get(), results);
  else
    results = drawInLanes(requests, lanes);
  std::vector<DialogueAct> acts;
  for (const auto& result : results) acts.push_back(vocabulary_.decodeAct(result.tokens));
  return acts;
}

std::vector<model::GenerationResult> ActPolicy::drawInLanes(const std::vector<model::GenerationRequest>& requests,
                                                            std::size_t lanes) {
  std::vector<model::PrefixCache*> caches(lanes, nullptr);
  for (std::size_t l = 0; l < lanes && l < prefixes_.size(); ++l) caches[l] = prefixes_[l].get();
  std::vector<std::span<const std::int64_t>> prompts;
  for (const auto& r : requests) prompts.emplace_back(r.prompt);
  const std::vector<std::size_t> laneOf = assignLanes(prompts, caches);
  std::vector<std::vector<model::GenerationRequest>> laneRequests(lanes);
  for (std::size_t i = 0; i < requests.size(); ++i) laneRequests[laneOf[i]].push_back(requests[i]);
  std::vector<std::vector<model::GenerationResult>> laneResults(lanes);
  std::vector<std::uint64_t> batches(lanes, 0);
  const auto work = [&](std::size_t l) { batches[l] = drawBatches(laneRequests[l], {}, caches[l], laneResults[l]); };
  if (requests.size() >= lanes * kMinRowsPerLane) {
    runLanes(lanes, work);
  } else { // too few rows to pay for threads: the lanes one after another, each with its cache
    for (std::size_t l = 0; l < lanes; ++l) work(l);
  }
  for (std::uint64_t b : batches) generations_ += b;
  std::vector<model::GenerationResult> results;
  std::vector<std::size_t> next(lanes, 0);
  for (std::size_t i = 0; i < requests.size(); ++i) results.push_back(std::move(laneResults[laneOf[i]][next[laneOf[i]]++]));
  return results;
}

std::uint64_t ActPolicy::drawBatches(const std::vector<model::GenerationRequest>& requests,
                                     const model::GenerationHooks& hooks, model::PrefixCache* prefixes,
                                     std::vector<model::GenerationResult>& results) {
  if (requests.empty()) return 0;
  // Batches of equal size: 72 rows as 36 + 36, not 64 + 8 (a batch costs much the same
  // for 8 rows as for 36).
  const std::size_t batches = maxBatchRows_ == 0 ? 1 : (requests.size() + maxBatchRows_ - 1) / maxBatchRows_;
  const std::size_t size = (requests.size() + batches - 1) / batches;
  for (std::size_t first = 0; first < requests.size(); first += size) {
    model::GenerationHooks batchHooks = hooks;
    if (hooks.onToken) // numbered by the row's place in the call, not in its batch
      batchHooks.onToken = [&hooks, first](std::size_t row, std::int64_t token) { hooks.onToken(first + row, token); };
    const auto begin = requests.begin() + static_cast<std::ptrdiff_t>(first);
    const auto end = requests.begin() + static_cast<std::ptrdiff_t>(std::min(requests.size(), first + size));
    for (auto& result : model::generate(*model_, {begin, end}, batchHooks, prefixes)) results.push_back(std::move(result));
  }
  return batches;
}

std::vector<model::GenerationRequest> ActPolicy::requestsFor(const std::vector<ActRow>& rows) const {
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
  return requests;
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
    for (std::size_t l = 0; l < lanes_; ++l) prefixes_.push_back(std::make_unique<model::PrefixCache>(reuse_));
}

void ActPolicy::endRelatedCalls() {
  if (related_ == 0 || --related_ > 0) return;
  for (const auto& cache : prefixes_) {
    prefixCounts_.read += cache->counts().read;
    prefixCounts_.reused += cache->counts().reused;
  }
  prefixes_.clear();
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
