#pragma once

#include "model/ModelConfig.h"

#include <ATen/ATen.h>

#include <utility>
#include <vector>

namespace collab::model {

// Keys and values of every layer for a batch of sequences, preallocated to a capacity so
// that a decoding step writes in place instead of concatenating. All rows share one length;
// a row's padding is masked by the caller, not stored differently.
//
// One tensor holds everything, [layers, 2 (keys, values), batch, kvHeads, capacity, headDim],
// so that moving many rows' positions in or out (a prefix cache) is one indexing operation,
// not one per row and layer.
class KvCache {
public:
  KvCache(const ModelConfig& config, std::int64_t batch, std::int64_t capacity, at::ScalarType dtype,
          at::Device device);

  std::int64_t length() const { return length_; }
  std::int64_t capacity() const { return capacity_; }
  std::int64_t batch() const { return storage_.size(2); }

  // Writes this step's keys and values [B, kvHeads, T, d] of `layer` after the cached ones
  // and returns all of them so far, [B, kvHeads, length + T, d].
  std::pair<at::Tensor, at::Tensor> append(std::size_t layer, const at::Tensor& keys, const at::Tensor& values);
  // Called once every layer has appended the T new positions.
  void advance(std::int64_t steps);
  // Keeps only the given batch rows (int64 indices), e.g. when sequences finish.
  void keepRows(const at::Tensor& rows);

  // Writes positions read elsewhere (a prefix cache): position i of `keysValues`
  // [N, layers, 2, kvHeads, d] goes to row rows[i], column columns[i] (int64 [N] each).
  // Placed before any step appends: see advance().
  void place(const at::Tensor& rows, const at::Tensor& columns, const at::Tensor& keysValues);
  // The keys and values at (rows[i], columns[i]), [N, layers, 2, kvHeads, d].
  at::Tensor gather(const at::Tensor& rows, const at::Tensor& columns) const;
  // Zeros for n positions, as place() takes them.
  at::Tensor blank(std::int64_t n) const;

private:
  void viewLayers(); // keys_ and values_ as views of storage_

  at::Tensor storage_;
  std::vector<at::Tensor> keys_, values_; // per layer, [B, kvHeads, capacity, d]
  std::int64_t capacity_;
  std::int64_t length_ = 0;
};

} // namespace collab::model
