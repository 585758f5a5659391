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
  std::int64_t most = 0; // C
  std::int64_t width = 0; // C + T
  std::vector<std::int64_t> reused, read; // r_b and s_b

  // Row b's real columns while the cache holds `length` positions: its prompt, then every
  // decoding step's.
  std::vector<std::int64_t> realColumns(std::size_t b, std::int64_t length) const;
};

// Reads `prompts` (each non-empty) into a fresh KV cache with room for `extra` decoding
// steps. With `prefixes`, each prompt starts from the longest prefix held (its last token is
// always read, for its hidden state), and when the cache shares prefixes across prompts,
// the prefixes several prompts have in common are read first, once each, and kept.
PrefilledBatch prefill(CausalLmImpl& model, const std::vector<std::span<const std::int64_t>>& prompts,
                       std::int64_t extra, PrefixCache* prefixes);

// A row of a batch to keep in a prefix cache: its real columns and the tokens they hold.
struct KeptRow {
  std::int64_t row;
  std::vector<std::int64_t> columns;
  std::vector<std::int64_t> tokens;
};
// Keeps the rows in `prefixes`, copied out of `cache` in one gather.
void keepRows(const KvCache& cache, std::vector<KeptRow> rows, PrefixCache& prefixes);

} // namespace collab::model
