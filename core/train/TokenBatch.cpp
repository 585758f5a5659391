#include "train/TokenBatch.h"

#include "common/Error.h"

#include <algorithm>

namespace collab::train {

TokenBatch TokenBatch::of(const std::vector<TokenSequence>& sequences, std::int64_t padId) {
  if (sequences.empty()) throw Error("an empty training batch");
  std::size_t longest = 0;
  for (const auto& s : sequences) {
    if (s.ids.size() != s.target.size()) throw Error("a training sequence whose target mask has the wrong length");
    longest = std::max(longest, s.ids.size());
  }
  if (longest < 2) throw Error("training sequences need at least two tokens");
  const auto batch = static_cast<std::int64_t>(sequences.size());
  const auto width = static_cast<std::int64_t>(longest);
  std::vector<std::int64_t> ids(static_cast<std::size_t>(batch * width), padId);
  std::vector<std::uint8_t> real(ids.size(), 0);
  std::vector<float> targets(static_cast<std::size_t>(batch * (width - 1)), 0.0f);
  for (std::int64_t b = 0; b < batch; ++b) {
    const auto& s = sequences[static_cast<std::size_t>(b)];
    for (std::size_t t = 0; t < s.ids.size(); ++t) {
      ids[static_cast<std::size_t>(b * width) + t] = s.ids[t];
      real[static_cast<std::size_t>(b * width) + t] = 1;
      if (t > 0 && s.target[t]) targets[static_cast<std::size_t>(b * (width - 1)) + t - 1] = 1.0f;
    }
  }
  TokenBatch out;
  out.ids = at::tensor(ids, at::kLong).view({batch, width});
  out.keyMask = at::tensor(std::vector<std::int64_t>(real.begin(), real.end()), at::kLong).view({batch, width}).to(at::kBool);
  out.targets = at::tensor(targets, at::kFloat).view({batch, width - 1});
  return out;
}

TokenBatch TokenBatch::to(at::Device device) const {
  return {ids.to(device), keyMask.to(device), targets.to(device)};
}

} // namespace collab::train
