#include "model/Generator.h"

#include "common/Error.h"
#include "model/BatchSampler.h"
#include "model/PackedLinear.h"
#include "model/Prefill.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>

namespace collab::model {

std::string finishReasonName(FinishReason reason) {
  switch (reason) {
  case FinishReason::StopToken: return "stop_token";
  case FinishReason::StopString: return "stop_string";
  case FinishReason::Length: return "length";
  case FinishReason::Cancelled: return "cancelled";
  }
  return "unknown";
}

namespace {

// A request while it is being generated.
struct Sequence {
  const GenerationRequest* request;
  std::size_t index;
  TokenRandom random;
  std::vector<std::int64_t> history; // prompt + new tokens, for the repetition penalty
  GenerationResult result;
  bool done = false;
};

// True (and the text cut) when the decoded output now contains a stop string.
bool hitStopString(Sequence& s, const GenerationHooks& hooks) {
  if (s.request->stopStrings.empty() || !hooks.decode) return false;
  const std::string text = hooks.decode(s.result.tokens);
  std::size_t cut = std::string::npos;
  for (const auto& stop : s.request->stopStrings)
    if (!stop.empty()) cut = std::min(cut, text.find(stop));
  if (cut == std::string::npos) return false;
  s.result.text = text.substr(0, cut);
  return true;
}

void accept(Sequence& s, std::int64_t token, const GenerationHooks& hooks) {
  s.result.tokens.push_back(token);
  s.history.push_back(token);
  if (hooks.onToken) hooks.onToken(s.index, token);
  const auto& stops = s.request->stopTokens;
  if (std::find(stops.begin(), stops.end(), token) != stops.end()) {
    s.result.finish = FinishReason::StopToken;
    s.done = true;
  } else if (hitStopString(s, hooks)) {
    s.result.finish = FinishReason::StopString;
    s.done = true;
  } else if (static_cast<std::int64_t>(s.result.tokens.size()) >= s.request->maxNewTokens) {
    s.result.finish = FinishReason::Length;
    s.done = true;
  }
}

void checkRequests(const CausalLmImpl& model, const std::vector<GenerationRequest>& requests) {
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].prompt.empty()) throw Error("generation request " + std::to_string(i) + " has an empty prompt");
    for (std::int64_t id : requests[i].prompt)
      if (id < 0 || id >= model.config().vocabSize)
        throw Error("generation request " + std::to_string(i) + ": token id " + std::to_string(id) +
                    " is outside the vocabulary of " + std::to_string(model.config().vocabSize));
  }
}

} // namespace

std::vector<GenerationResult> generate(CausalLmImpl& model, const std::vector<GenerationRequest>& requests,
                                       const GenerationHooks& hooks, PrefixCache* prefixes) {
  checkRequests(model, requests);
  if (requests.empty()) return {};
  // Inference mode, not only no-grad: operators skip the autograd and version-counter
  // bookkeeping. Safe because no tensor made here leaves generate() (results are token ids
  // and text; a prefix cache keeps copies that only later inference reads); the weights
  // themselves are untouched, so training may follow.
  c10::InferenceMode inference;
  PackedLinear::InferenceScope packedWeights; // XNNPACK where it is faster (PackedLinear.h)
  const at::Device device = model.outputWeight().device();
  const auto longs = at::TensorOptions().dtype(at::kLong);

  std::vector<Sequence> sequences;
  std::vector<std::span<const std::int64_t>> prompts;
  std::int64_t mostNew = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    sequences.push_back({&requests[i], i, TokenRandom(requests[i].seed), requests[i].prompt, {}, false});
    prompts.emplace_back(requests[i].prompt);
    mostNew = std::max(mostNew, requests[i].maxNewTokens);
  }
  PrefilledBatch batch = prefill(model, prompts, mostNew, prefixes);
  KvCache& cache = batch.cache;
  at::Tensor keyMask = batch.keyMask;
  at::Tensor next = batch.next; // each row's next rotary position
  at::Tensor hidden = batch.lastHidden;
  const bool keep = prefixes && prefixes->reuse().keepGenerated;

  std::vector<std::size_t> active(sequences.size());
  for (std::size_t i = 0; i < active.size(); ++i) active[i] = i;
  while (!active.empty()) {
    const at::Tensor logits = model.logits(hidden).to(at::kCPU).contiguous();
    const bool cancel = hooks.cancelled && hooks.cancelled();
    // Every row draws first (in parallel: each reads only its own logits, history and
    // stream), then the draws are accepted in row order, as one row after another would:
    // stop strings, streaming callbacks and finishing stay on this thread.
    std::vector<std::int64_t> sampled;
    if (!cancel) {
      std::vector<RowSampling> rows;
      for (std::size_t i : active) rows.push_back({&sequences[i].request->sampling, sequences[i].history, &sequences[i].random});
      sampled = sampleBatch(logits, rows);
    }
    std::vector<std::int64_t> drawn, going;
    std::vector<KeptRow> finished;
    for (std::size_t row = 0; row < active.size(); ++row) {
      Sequence& s = sequences[active[row]];
      if (cancel) {
        s.result.finish = FinishReason::Cancelled;
        s.done = true;
      } else {
        accept(s, sampled[row], hooks);
      }
      if (!s.done) {
        drawn.push_back(s.result.tokens.back());
        going.push_back(static_cast<std::int64_t>(row));
      } else if (keep) { // what the cache holds: the prompt and every new token fed back so far
        std::vector<std::int64_t> read = s.history;
        if (!cancel) read.pop_back(); // the token just drawn was never fed back
        finished.push_back({static_cast<std::int64_t>(row), batch.realColumns(s.index, cache.length()), std::move(read)});
      }
    }
    if (keep) keepRows(cache, std::move(finished), *prefixes);
    if (going.empty()) break;
    if (going.size() != active.size()) { // some finished: continue with the others only
      const at::Tensor rows = at::tensor(going, longs).to(device);
      cache.keepRows(rows);
      keyMask = keyMask.index_select(0, rows);
      next = next.index_select(0, rows.to(at::kCPU));
      std::vector<std::size_t> still;
      for (auto row : going) still.push_back(active[static_cast<std::size_t>(row)]);
      active = std::move(still);
    }
    const std::int64_t length = cache.length() + 1;
    ForwardBatch step{at::tensor(drawn, longs).unsqueeze(1).to(device), next.unsqueeze(1).to(device),
                      batch.padded ? keyMask.narrow(1, 0, length) : at::Tensor()};
    hidden = model.forward(step, &cache).select(1, 0);
    next = next.add(1);
  }

  std::vector<GenerationResult> results;
  for (auto& s : sequences) {
    if (hooks.decode && s.result.finish != FinishReason::StopString) s.result.text = hooks.decode(s.result.tokens);
    results.push_back(std::move(s.result));
  }
  return results;
}

} // namespace collab::model
