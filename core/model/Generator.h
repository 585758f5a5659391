#pragma once

#include "model/PrefixCache.h"
#include "model/Sampler.h"
#include "model/Transformer.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace collab::model {

// One sequence to continue.
struct GenerationRequest {
  std::vector<std::int64_t> prompt;
  SamplingParams sampling;
  std::uint64_t seed = 0;
  std::int64_t maxNewTokens = 64;
  std::vector<std::int64_t> stopTokens;  // e.g. the model's EOS ids; kept in the output
  std::vector<std::string> stopStrings;  // needs GenerationHooks::decode; cut from the text
};

enum class FinishReason { StopToken, StopString, Length, Cancelled };
std::string finishReasonName(FinishReason reason);

struct GenerationResult {
  std::vector<std::int64_t> tokens; // the new tokens only
  std::string text;                 // decoded new tokens, up to a stop string (when decode is set)
  FinishReason finish = FinishReason::Length;
};

struct GenerationHooks {
  // Decodes token ids to text: needed for stop strings and for GenerationResult::text.
  std::function<std::string(const std::vector<std::int64_t>&)> decode;
  // Called for each new token as it is drawn (streaming), with the request's index.
  std::function<void(std::size_t request, std::int64_t token)> onToken;
  // Polled once per step; true stops every sequence with FinishReason::Cancelled.
  std::function<bool()> cancelled;
};

// Continues every request in one batch with a KV cache. Prompts of different lengths are
// left-padded and masked; sequences that finish leave the batch, so the rest run on a
// smaller one. Each request draws from its own random stream, so a seed gives the same
// tokens whatever else is in the batch.
//
// With `prefixes`, a prompt is read from the longest prefix the cache holds, prefixes
// several prompts share are read once (PrefixReuse::shareAcrossPrompts), and each finished
// sequence, prompt and new tokens, is kept for a later prompt extending it
// (PrefixReuse::keepGenerated). The logits differ from a full read by float rounding only.
std::vector<GenerationResult> generate(CausalLmImpl& model, const std::vector<GenerationRequest>& requests,
                                       const GenerationHooks& hooks = {}, PrefixCache* prefixes = nullptr);

} // namespace collab::model
