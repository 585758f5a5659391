#pragma once

#include "model/Safetensors.h"

#include <ATen/ATen.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace collab::model {

at::ScalarType scalarTypeOf(DType dtype);
// Throws for a dtype safetensors cannot hold.
DType dtypeOf(at::ScalarType type);

// A CPU tensor with the record's values, owning its memory (copied out of the mapping,
// which need not be aligned).
at::Tensor readTensor(const SafetensorsFile& file, const TensorRecord& record);

// The tensors of an HF checkpoint directory: `model.safetensors`, or the shards named by
// `model.safetensors.index.json`. Files are mapped, and a tensor is read only on request,
// so a checkpoint larger than memory can be loaded one parameter at a time.
class CheckpointTensors {
public:
  explicit CheckpointTensors(const std::string& directory);

  std::vector<std::string> names() const;
  bool contains(const std::string& name) const { return where_.count(name) != 0; }
  const TensorRecord& record(const std::string& name) const;
  // The file holding `name`, for messages.
  const std::string& fileOf(const std::string& name) const;
  at::Tensor read(const std::string& name) const;

  // Copies tensor `name` into `target` (its shape; a floating-point file dtype is converted
  // to target's), then releases the tensor's mapped pages (SafetensorsFile::release). A
  // contiguous CPU target of the file's dtype is filled straight from the mapped bytes,
  // with no temporary tensor.
  void copyInto(const std::string& name, at::Tensor& target) const;

  // The files in order, each with its tensors in data order, for a loader that reads one
  // file at a time and then unmaps it (close), so only one is mapped at once.
  std::size_t fileCount() const { return files_.size(); }
  const SafetensorsFile& file(std::size_t index) const { return *files_.at(index); }
  void close(std::size_t index) { files_.at(index)->unmap(); }

private:
  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, std::pair<const SafetensorsFile*, const TensorRecord*>> where_;
};

// Writes named tensors (any device) to one safetensors file, converted to `dtype`.
void saveTensors(const std::string& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                 at::ScalarType dtype, const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

} // namespace collab::model
