#include "policy/ActPolicy.h"

#include "model/Checkpoint.h"
#include "model/Generator.h"

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
  fs::create_directories(staged);
  vocabulary_.writeTokenizerJson((staged / "tokenizer.json").string());
  model::saveCausalLm(*model_, directory, {at::kFloat, staged.string(), {}});
  fs::remove_all(staged);
}

std::vector<DialogueAct> ActPolicy::sampleActs(const task::TaskInstance& task, const conversation::Messages& conversation,
                                               int n) {
  const auto encoded = vocabulary_.encode(task, conversation);
  std::vector<model::GenerationRequest> requests;
  const std::uint64_t call = calls_++;
  for (int i = 0; i < n; ++i) {
    model::GenerationRequest r;
    r.prompt = encoded.ids;
    r.sampling = sampling_;
    r.seed = seed_ * 1000003ULL + call * 131ULL + static_cast<std::uint64_t>(i);
    r.maxNewTokens = 8;
    r.stopTokens = {vocabulary_.eos()};
    requests.push_back(std::move(r));
  }
  std::vector<DialogueAct> acts;
  for (const auto& result : model::generate(*model_, requests)) acts.push_back(vocabulary_.decodeAct(result.tokens));
  return acts;
}

std::string ActPolicy::render(const task::TaskInstance& task, const conversation::Messages& conversation,
                              const DialogueAct& act) const {
  return renderAct(tasks_.family(task.family), task, conversation, act, seed_);
}

std::string ActPolicy::respond(const task::TaskInstance& task, const conversation::Messages& conversation) {
  return render(task, conversation, sampleActs(task, conversation, 1).front());
}

} // namespace collab::policy
