#pragma once

#include "backend/LlmBackend.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace collab::backend {

// How the local model runs. Strings, so that this header needs no LibTorch (the command
// line includes it).
struct LocalBackendSettings {
  std::string device = "cpu";  // "cpu", "cuda", "cuda:N"
  std::string dtype = "auto";  // "auto" (bfloat16 on CUDA, float32 on CPU), "float32", "bfloat16", "float16"
  int defaultMaxTokens = 512;  // for a request without maxTokens
  int maxBatchRows = 16;       // rows decoded together; a larger batch runs in chunks of this many
  std::uint64_t seed = 0;      // mixed into the seeds of requests without one
};

// Chat completions from a Hugging Face chat checkpoint on disk (Qwen2.5 Instruct, Llama 3.x
// Instruct, Mistral Instruct...), with no server. Each request's messages are rendered as the
// checkpoint's chat template renders them, with the generation prompt, and every request of
// a call is decoded in one batched model::generate (chunks of maxBatchRows).
//
// Sampling: the request's temperature and maxTokens (default: defaultMaxTokens), its top-p
// or else generation_config.json's; top-k and the repetition penalty of
// generation_config.json. A reply ends at the checkpoint's EOS ids, the template's
// end-of-turn marker, a stop string (cut from the text), or after maxTokens (finishReason
// "length"; also when the model's context, max_position_embeddings, is full). Special tokens
// are left out of the text, as vLLM and other OpenAI-compatible servers do by default.
//
// Seeds: a request with params.seed draws from it, whatever else is in the batch. A request
// without one gets a seed derived from its prompt tokens, settings.seed and how many times
// this backend was already asked the same prompt: a run repeats, the batch a request is in
// changes nothing, and asking again (a retry after an invalid JSON reply, another sampled
// future of the same conversation) draws a new reply, unless temperature 0 makes it greedy.
//
// params.jsonObject is not enforced: there is no constrained decoding. The callers that
// want JSON (the LLM user simulator and judges) read replies leniently and ask again a
// bounded number of times, then fail with InvalidReplyError; they never make a reply up.
//
// A request that cannot run (a prompt longer than the model's context, a conversation the
// template refuses, text that is not UTF-8) fails in its own result's `error`, which names
// the request; the others go on. complete() throws collab::Cancelled when a cancellation is
// requested (common/Cancellation.h) while it decodes. Calls are serialised: one model, one
// batch at a time.
class LocalLlmBackend : public LlmBackend {
public:
  // Throws collab::InputError naming the file when `checkpoint` is not a checkpoint folder,
  // has no chat template we support, or its weights do not load; collab::Error for
  // settings out of range (a CUDA device without CUDA...).
  explicit LocalLlmBackend(const std::string& checkpoint, LocalBackendSettings settings = {});
  ~LocalLlmBackend() override;

  std::vector<ChatResult> complete(const std::vector<ChatRequest>& requests) override;
  // "local:ABSOLUTE_CHECKPOINT_FOLDER"
  std::string describe() const override;

  // The token ids the model continues for `request`: its messages rendered by the chat
  // template with the generation prompt. Throws collab::Error when the template refuses them.
  std::vector<std::int64_t> promptIds(const ChatRequest& request) const;

private:
  struct Loaded;
  struct Prepared;
  Prepared prepare(const ChatRequest& request, std::size_t index);
  std::uint64_t derivedSeed(const std::vector<std::int64_t>& prompt);
  void run(std::vector<Prepared>& batch, std::vector<ChatResult>& results);
  std::string failure(std::size_t index, const std::string& problem) const;

  std::unique_ptr<Loaded> loaded_;
  LocalBackendSettings settings_;
  std::string describe_;
  std::map<std::uint64_t, std::uint64_t> asked_; // prompt hash: requests without a seed so far
  std::mutex mutex_;
};

} // namespace collab::backend
