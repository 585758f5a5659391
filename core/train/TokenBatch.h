#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace collab::train {

// One training sequence: token ids and, per token, whether predicting it counts in the
// loss (assistant tokens for SFT and DPO; prompts and user turns do not).
struct TokenSequence {
  std::vector<std::int64_t> ids;
  std::vector<std::uint8_t> target; // same length as ids
};

// Sequences padded on the right into one batch. `ids` [B, T]; `keyMask` [B, T] true for
// real tokens; `targets` [B, T-1] float, 1 where token t+1 is predicted in the loss.
struct TokenBatch {
  at::Tensor ids;
  at::Tensor keyMask;
  at::Tensor targets;

  static TokenBatch of(const std::vector<TokenSequence>& sequences, std::int64_t padId = 0);
  std::int64_t size() const { return ids.size(0); }
  TokenBatch to(at::Device device) const;
};

} // namespace collab::train
