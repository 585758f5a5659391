#include "model/Generator.h"

#include "common/Error.h"

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
                                       const GenerationHooks& hooks) {
  checkRequests(model, requests);
  if (requests.empty()) return {};
  // Inference mode, not only no-grad: operators skip the autograd and version-counter
  // bookkeeping. Safe because no tensor made here leaves generate() (results are token ids
  // and text); the weights themselves are untouched, so training may follow.
  c10::InferenceMode inference;
  const at::Device device = model.outputWeight().device();
  const auto longs = at::TensorOptions().dtype(at::kLong);

  std::vector<Sequence> sequences;
  std::int64_t longest = 0, mostNew = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    sequences.push_back({&requests[i], i, TokenRandom(requests[i].seed), requests[i].prompt, {}, false});
    longest = std::max<std::int64_t>(longest, static_cast<std::int64_t>(requests[i].prompt.size()));
    mostNew = std::max(mostNew, requests[i].maxNewTokens);
  }
  const auto batch = static_cast<std::int64_t>(sequences.size());

  // Left padding: row b's real tokens sit at the end, at rotary positions 0, 1, ...
  at::Tensor ids = at::zeros({batch, longest}, longs);
  at::Tensor positions = at::zeros({batch, longest}, longs);
  at::Tensor keyMask = at::zeros({batch, longest + mostNew}, longs.dtype(at::kBool));
  for (std::int64_t b = 0; b < batch; ++b) {
    const auto& prompt = requests[static_cast<std::size_t>(b)].prompt;
    const auto pad = longest - static_cast<std::int64_t>(prompt.size());
    ids[b].narrow(0, pad, static_cast<std::int64_t>(prompt.size())).copy_(at::tensor(prompt, longs));
    positions[b].narrow(0, pad, static_cast<std::int64_t>(prompt.size())).copy_(at::arange(static_cast<std::int64_t>(prompt.size()), longs));
    keyMask[b].narrow(0, pad, static_cast<std::int64_t>(prompt.size())).fill_(true);
  }
  keyMask.narrow(1, longest, mostNew).fill_(true);
  const bool padded = std::any_of(requests.begin(), requests.end(),
                                  [&](const auto& r) { return static_cast<std::int64_t>(r.prompt.size()) != longest; });

  KvCache cache(model.config(), batch, longest + mostNew, model.outputWeight().scalar_type(), device);
  keyMask = keyMask.to(device);
  at::Tensor hidden = model.forward({ids.to(device), positions.to(device), keyMask.narrow(1, 0, longest)}, &cache);
  at::Tensor next = positions.select(1, longest - 1).add(1); // each row's next rotary position

  std::vector<std::size_t> active(sequences.size());
  for (std::size_t i = 0; i < active.size(); ++i) active[i] = i;
  while (!active.empty()) {
    const at::Tensor logits = model.logits(hidden.select(1, hidden.size(1) - 1)).to(at::kCPU).contiguous();
    const bool cancel = hooks.cancelled && hooks.cancelled();
    std::vector<std::int64_t> drawn, keep;
    for (std::size_t row = 0; row < active.size(); ++row) {
      Sequence& s = sequences[active[row]];
      if (cancel) {
        s.result.finish = FinishReason::Cancelled;
        s.done = true;
        continue;
      }
      std::span<float> values(logits[static_cast<std::int64_t>(row)].data_ptr<float>(), static_cast<std::size_t>(logits.size(1)));
      accept(s, sampleToken(values, s.request->sampling, s.history, s.random), hooks);
      if (!s.done) {
        drawn.push_back(s.result.tokens.back());
        keep.push_back(static_cast<std::int64_t>(row));
      }
    }
    if (keep.empty()) break;
    if (keep.size() != active.size()) { // some finished: continue with the others only
      const at::Tensor rows = at::tensor(keep, longs).to(device);
      cache.keepRows(rows);
      keyMask = keyMask.index_select(0, rows);
      next = next.index_select(0, rows.to(at::kCPU));
      std::vector<std::size_t> still;
      for (auto row : keep) still.push_back(active[static_cast<std::size_t>(row)]);
      active = std::move(still);
    }
    const std::int64_t length = cache.length() + 1;
    ForwardBatch step{at::tensor(drawn, longs).unsqueeze(1).to(device), next.unsqueeze(1).to(device),
                      padded ? keyMask.narrow(1, 0, length) : at::Tensor()};
    hidden = model.forward(step, &cache);
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
