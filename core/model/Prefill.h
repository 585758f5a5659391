#pragma once

#include "model/KvCache.h"
#include "model/PrefixCache.h"
#include "model/Transformer.h"

#include <cstdint>
#include <span>
#include <vector>

namespace collab::model {

// A batch of prompts read by the model, ready to decode.
//
// Column layout of row b, whose prompt reuses r_b cached tokens and reads s_b new ones
// (C = the most reused, T = the most read):
//   [0, C - r_b) unused | [C - r_b, C) reused | [C, C + T - s_b) padding | [C + T - s_b, C + T) read
// then `extra` columns for decoding. Without reuse this is plain left padding. Unused and
// padding columns are masked; rotary positions count real tokens only, so a row's keys are
// those of its prompt read alone.
struct PrefilledBatch {
  KvCache cache;
  at::Tensor keyMask;    // [B, C + T + extra] bool, on the model's device: real keys (decode columns true)
  at::Tensor next;       // [B] int64, on the CPU: each row's next rotary position (its prompt's length)
  at::Tensor lastHidden; // [B, hidden]: the final hidden state of each prompt's last token
  bool padded = false;   // some row has masked columns
};

// Reads `prompts` (each non-empty) into a fresh KV cache with room for `extra` decoding
// steps. With `prefixes`, each prompt starts from the longest prefix held (its last token is
// always read, for its hidden state), and when the cache shares prefixes across prompts,
// the prefixes several prompts have in common are read first, once each, and kept.
PrefilledBatch prefill(CausalLmImpl& model, const std::vector<std::span<const std::int64_t>>& prompts,
                       std::int64_t extra, PrefixCache* prefixes);

// Keeps row `row` of a batch in `prefixes` as the sequence `tokens`, which must be exactly
// the row's real (unmasked) positions so far.
void keepRow(const KvCache& cache, const at::Tensor& keyMask, std::int64_t row, std::vector<std::int64_t> tokens,
             PrefixCache& prefixes);

} // namespace collab::model
