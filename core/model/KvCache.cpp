#include "model/KvCache.h"

#include "common/Error.h"

#include <string>

namespace collab::model {

KvCache::KvCache(const ModelConfig& config, std::int64_t batch, std::int64_t capacity, at::ScalarType dtype,
                 at::Device device)
    : batch_(batch), capacity_(capacity) {
  const auto options = at::TensorOptions().dtype(dtype).device(device);
  for (std::int64_t layer = 0; layer < config.layers; ++layer) {
    keys_.push_back(at::empty({batch, config.kvHeads, capacity, config.headDim}, options));
    values_.push_back(at::empty({batch, config.kvHeads, capacity, config.headDim}, options));
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
  for (auto& k : keys_) k = k.index_select(0, rows);
  for (auto& v : values_) v = v.index_select(0, rows);
  batch_ = rows.size(0);
}

void KvCache::place(std::size_t layer, std::int64_t row, std::int64_t column, const at::Tensor& keys,
                    const at::Tensor& values) {
  const std::int64_t n = keys.size(1);
  if (column + n > capacity_)
    throw Error("KV cache: placing " + std::to_string(n) + " positions at " + std::to_string(column) +
                " exceeds its capacity of " + std::to_string(capacity_));
  keys_[layer][row].narrow(1, column, n).copy_(keys);
  values_[layer][row].narrow(1, column, n).copy_(values);
}

void KvCache::clear(std::int64_t row, std::int64_t column, std::int64_t n) {
  if (n == 0) return;
  for (auto& k : keys_) k[row].narrow(1, column, n).zero_();
  for (auto& v : values_) v[row].narrow(1, column, n).zero_();
}

std::pair<at::Tensor, at::Tensor> KvCache::gather(std::size_t layer, std::int64_t row, const at::Tensor& columns) const {
  return {keys_[layer][row].index_select(1, columns), values_[layer][row].index_select(1, columns)};
}

} // namespace collab::model
