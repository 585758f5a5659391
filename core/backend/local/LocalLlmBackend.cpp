#include "backend/local/LocalLlmBackend.h"

#include "common/Cancellation.h"
#include "common/Error.h"
#include "model/Generator.h"
#include "model/ModelDirectory.h"
#include "train/ChatTokenization.h"

#include <algorithm>
#include <filesystem>

namespace collab::backend {

namespace fs = std::filesystem;

namespace {

// The folder as recorded with everything the model writes: absolute, so that the record
// means the same whatever directory the command ran in.
std::string absoluteFolder(const std::string& directory) {
  fs::path path = fs::absolute(directory).lexically_normal();
  if (!path.has_filename()) path = path.parent_path(); // "dir/" and "dir" are one folder
  return path.string();
}

// FNV-1a over the prompt's ids: fixed by its definition, so a derived seed is the same on
// every platform and in every run (std::hash promises neither).
std::uint64_t promptHash(const std::vector<std::int64_t>& ids) {
  std::uint64_t hash = 14695981039346656037ull;
  for (std::int64_t id : ids)
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= (static_cast<std::uint64_t>(id) >> (8 * byte)) & 0xffu;
      hash *= 1099511628211ull;
    }
  return hash;
}

// The checkpoint's EOS ids and the template's end-of-turn marker, once each.
std::vector<std::int64_t> stopTokensOf(const model::ModelDirectory& checkpoint, const model::ChatFormat& format) {
  std::vector<std::int64_t> stops = checkpoint.stopTokens();
  if (const auto endOfTurn = checkpoint.tokenizer().tokenToId(format.endOfTurn())) {
    const auto id = static_cast<std::int64_t>(*endOfTurn);
    if (std::find(stops.begin(), stops.end(), id) == stops.end()) stops.push_back(id);
  }
  return stops;
}

void checkParams(const GenerationParams& params) {
  if (params.temperature < 0) throw Error("temperature must be 0 or more, not " + std::to_string(params.temperature));
  if (params.topP && !(*params.topP > 0 && *params.topP <= 1))
    throw Error("top_p must be in (0, 1], not " + std::to_string(*params.topP));
  if (params.maxTokens && *params.maxTokens < 1) throw Error("max_tokens must be at least 1, not " + std::to_string(*params.maxTokens));
}

// How many new tokens fit after the prompt in the model's context: a reply stops where the
// context is full, as it would at max_tokens. Throws when the prompt leaves no room.
std::int64_t roomAfter(const std::vector<std::int64_t>& prompt, std::int64_t context) {
  const auto length = static_cast<std::int64_t>(prompt.size());
  if (length >= context)
    throw Error("the prompt is " + std::to_string(length) + " tokens long; the model reads " + std::to_string(context) +
                " at most (max_position_embeddings of config.json)");
  return context - length;
}

void checkSettings(const LocalBackendSettings& settings) {
  if (settings.defaultMaxTokens < 1)
    throw Error("local backend: defaultMaxTokens must be at least 1, not " + std::to_string(settings.defaultMaxTokens));
  if (settings.maxBatchRows < 1)
    throw Error("local backend: maxBatchRows must be at least 1, not " + std::to_string(settings.maxBatchRows));
}

} // namespace

struct LocalLlmBackend::Loaded {
  model::ChatFormat format;
  model::ModelDirectory checkpoint;
  std::vector<std::int64_t> stopTokens;
  model::SamplingParams defaults;

  // The text of a reply: special tokens left out (as OpenAI-compatible servers do).
  std::string text(const std::vector<std::int64_t>& ids) const {
    std::vector<std::int64_t> kept;
    const model::Tokenizer& tokenizer = checkpoint.tokenizer();
    for (std::int64_t id : ids)
      if (id >= 0 && static_cast<std::size_t>(id) < tokenizer.vocabSize() && !tokenizer.isSpecial(static_cast<std::uint32_t>(id)))
        kept.push_back(id);
    return checkpoint.decode(kept);
  }
};

// A request ready to decode, or why it cannot be.
struct LocalLlmBackend::Prepared {
  std::size_t index = 0;
  model::GenerationRequest generation;
  std::string error;
};

LocalLlmBackend::LocalLlmBackend(const std::string& checkpoint, LocalBackendSettings settings)
    : settings_(std::move(settings)), describe_("local:" + absoluteFolder(checkpoint)) {
  checkSettings(settings_);
  if (!fs::is_directory(checkpoint))
    throw InputError(checkpoint, 0, "not a directory (expected a Hugging Face chat checkpoint: config.json, "
                                    "model.safetensors, tokenizer.json, tokenizer_config.json with a chat_template)");
  // The template first: a checkpoint without one fails before its weights are read.
  model::ChatFormat format = model::ChatFormat::fromModelDirectory(checkpoint);
  model::ModelDirectory opened = model::ModelDirectory::open(checkpoint, model::DeviceSettings::parse(settings_.device, settings_.dtype));
  std::vector<std::int64_t> stops = stopTokensOf(opened, format);
  const model::SamplingParams defaults = opened.defaultSampling();
  loaded_ = std::make_unique<Loaded>(Loaded{std::move(format), std::move(opened), std::move(stops), defaults});
}

LocalLlmBackend::~LocalLlmBackend() = default;

std::string LocalLlmBackend::describe() const { return describe_; }

std::vector<std::int64_t> LocalLlmBackend::promptIds(const ChatRequest& request) const {
  model::ChatOptions options;
  options.addGenerationPrompt = true;
  const model::ChatEncoding encoding =
      loaded_->format.encode(loaded_->checkpoint.tokenizer(), train::chatMessages(request.messages), options);
  return {encoding.ids.begin(), encoding.ids.end()};
}

std::string LocalLlmBackend::failure(std::size_t index, const std::string& problem) const {
  return describe_ + ": request " + std::to_string(index) + ": " + problem;
}

std::uint64_t LocalLlmBackend::derivedSeed(const std::vector<std::int64_t>& prompt) {
  const std::uint64_t hash = promptHash(prompt);
  return (hash ^ settings_.seed) + asked_[hash]++;
}

LocalLlmBackend::Prepared LocalLlmBackend::prepare(const ChatRequest& request, std::size_t index) {
  Prepared prepared;
  prepared.index = index;
  try {
    checkParams(request.params);
    model::GenerationRequest& g = prepared.generation;
    g.prompt = promptIds(request); // throws for a conversation the template refuses, text that is not UTF-8
    const std::int64_t room = roomAfter(g.prompt, loaded_->checkpoint.model().config().maxPositions);
    g.maxNewTokens = std::min<std::int64_t>(request.params.maxTokens.value_or(settings_.defaultMaxTokens), room);
    g.sampling = loaded_->defaults;
    g.sampling.temperature = request.params.temperature;
    if (request.params.topP) g.sampling.topP = *request.params.topP;
    g.seed = request.params.seed ? static_cast<std::uint64_t>(*request.params.seed) : derivedSeed(g.prompt);
    g.stopTokens = loaded_->stopTokens;
    g.stopStrings = request.params.stop;
  } catch (const Error& e) {
    prepared.error = failure(index, e.what());
  }
  return prepared;
}

// Decodes `batch` (requests that can run) in chunks of maxBatchRows, the prompts of similar
// length together (less padding; each request's seed makes its reply the same in any chunk).
void LocalLlmBackend::run(std::vector<Prepared>& batch, std::vector<ChatResult>& results) {
  std::stable_sort(batch.begin(), batch.end(),
                   [](const Prepared& a, const Prepared& b) { return a.generation.prompt.size() < b.generation.prompt.size(); });
  model::GenerationHooks hooks;
  hooks.decode = [this](const std::vector<std::int64_t>& ids) { return loaded_->text(ids); };
  hooks.cancelled = [] { return cancellationRequested(); };
  const auto rows = static_cast<std::size_t>(settings_.maxBatchRows);
  for (std::size_t first = 0; first < batch.size(); first += rows) {
    std::vector<model::GenerationRequest> chunk;
    for (std::size_t i = first; i < std::min(batch.size(), first + rows); ++i) chunk.push_back(batch[i].generation);
    const std::vector<model::GenerationResult> generated = model::generate(loaded_->checkpoint.model(), chunk, hooks);
    for (std::size_t i = 0; i < generated.size(); ++i) {
      const model::GenerationResult& g = generated[i];
      if (g.finish == model::FinishReason::Cancelled) throw Cancelled();
      ChatResult& result = results[batch[first + i].index];
      // The stop token ends the reply; it is not its text.
      result.text = g.finish == model::FinishReason::StopToken ? loaded_->text({g.tokens.begin(), g.tokens.end() - 1}) : g.text;
      result.finishReason = g.finish == model::FinishReason::Length ? "length" : "stop";
      result.promptTokens = static_cast<int>(chunk[i].prompt.size());
      result.completionTokens = static_cast<int>(g.tokens.size());
    }
  }
}

std::vector<ChatResult> LocalLlmBackend::complete(const std::vector<ChatRequest>& requests) {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ChatResult> results(requests.size());
  std::vector<Prepared> runnable;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    Prepared prepared = prepare(requests[i], i);
    results[i].attempts = 1;
    if (prepared.error.empty()) runnable.push_back(std::move(prepared));
    else results[i].error = std::move(prepared.error);
  }
  run(runnable, results);
  return results;
}

} // namespace collab::backend
