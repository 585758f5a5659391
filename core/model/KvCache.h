#pragma once

#include "model/ModelConfig.h"

#include <ATen/ATen.h>

#include <utility>
#include <vector>

namespace collab::model {

// Keys and values of every layer for a batch of sequences, preallocated to a capacity so
// that a decoding step writes in place instead of concatenating. All rows share one length;
// a row's padding is masked by the caller, not stored differently.
class KvCache {
public:
  KvCache(const ModelConfig& config, std::int64_t batch, std::int64_t capacity, at::ScalarType dtype,
          at::Device device);

  std::int64_t length() const { return length_; }
  std::int64_t capacity() const { return capacity_; }
  std::int64_t batch() const { return batch_; }
  std::size_t layers() const { return keys_.size(); }

  // Writes this step's keys and values [B, kvHeads, T, d] of `layer` after the cached ones
  // and returns all of them so far, [B, kvHeads, length + T, d].
  std::pair<at::Tensor, at::Tensor> append(std::size_t layer, const at::Tensor& keys, const at::Tensor& values);
  // Called once every layer has appended the T new positions.
  void advance(std::int64_t steps);
  // Keeps only the given batch rows (int64 indices), e.g. when sequences finish.
  void keepRows(const at::Tensor& rows);

  // Writes keys and values [kvHeads, n, d] of `layer` read elsewhere (a prefix cache) into
  // `row` at columns [column, column + n), before any step appends: see advance().
  void place(std::size_t layer, std::int64_t row, std::int64_t column, const at::Tensor& keys, const at::Tensor& values);
  // Zeroes `row`'s columns [column, column + n) of every layer: columns no token fills are
  // masked, but their values must still be finite (a masked weight of 0 times NaN is NaN).
  void clear(std::int64_t row, std::int64_t column, std::int64_t n);
  // Copies of `row`'s keys and values of `layer` at the given columns (int64 indices),
  // [kvHeads, columns, d].
  std::pair<at::Tensor, at::Tensor> gather(std::size_t layer, std::int64_t row, const at::Tensor& columns) const;

private:
  std::vector<at::Tensor> keys_;
  std::vector<at::Tensor> values_;
  std::int64_t batch_;
  std::int64_t capacity_;
  std::int64_t length_ = 0;
};

} // namespace collab::model
