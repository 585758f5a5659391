#include "model/KvCache.h"

#include "common/Error.h"

#include <ATen/TensorIndexing.h>

#include <string>

namespace collab::model {

using at::indexing::Slice;

KvCache::KvCache(const ModelConfig& config, std::int64_t batch, std::int64_t capacity, at::ScalarType dtype,
                 at::Device device)
    : storage_(at::empty({config.layers, 2, batch, config.kvHeads, capacity, config.headDim},
                         at::TensorOptions().dtype(dtype).device(device))),
      capacity_(capacity) {
  viewLayers();
}

void KvCache::viewLayers() {
  keys_.clear();
  values_.clear();
  for (std::int64_t layer = 0; layer < storage_.size(0); ++layer) {
    keys_.push_back(storage_[layer][0]);
    values_.push_back(storage_[layer][1]);
  }
}

std::pair<at::Tensor, at::Tensor> KvCache::append(std::size_t layer, const at::Tensor& keys,
                                                  const at::Tensor& values) {
  const std::int64_t steps = keys.size(2);
  if (length_ + steps > capacity_)
    throw Error("KV cache full: " + std::to_string(length_ + steps) + " positions exceed its capacity of " +
                std::to_string(capacity_));
  keys_[layer].narrow(2, length_, steps).copy_(keys);
  values_[layer].narrow(2, length_, steps).copy_(values);
  return {keys_[layer].narrow(2, 0, length_ + steps), values_[layer].narrow(2, 0, length_ + steps)};
}

void KvCache::advance(std::int64_t steps) { length_ += steps; }

void KvCache::keepRows(const at::Tensor& rows) {
  storage_ = storage_.index_select(2, rows);
  viewLayers();
}

void KvCache::place(const at::Tensor& rows, const at::Tensor& columns, const at::Tensor& keysValues) {
  // Two index tensors split by a slice: the indexed positions come first, [N, layers, 2, kv, d].
  const at::Device device = storage_.device();
  storage_.index_put_({Slice(), Slice(), rows.to(device), Slice(), columns.to(device)}, keysValues.to(device));
}

at::Tensor KvCache::gather(const at::Tensor& rows, const at::Tensor& columns) const {
  const at::Device device = storage_.device();
  return storage_.index({Slice(), Slice(), rows.to(device), Slice(), columns.to(device)});
}

at::Tensor KvCache::blank(std::int64_t n) const {
  return at::zeros({n, storage_.size(0), 2, storage_.size(3), storage_.size(5)}, storage_.options());
}

} // namespace collab::model
