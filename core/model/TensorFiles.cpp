#include "model/TensorFiles.h"

#include "common/Error.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

namespace collab::model {

namespace fs = std::filesystem;

at::ScalarType scalarTypeOf(DType dtype) {
  switch (dtype) {
  case DType::F64: return at::kDouble;
  case DType::F32: return at::kFloat;
  case DType::F16: return at::kHalf;
  case DType::BF16: return at::kBFloat16;
  case DType::I64: return at::kLong;
  case DType::I32: return at::kInt;
  case DType::I16: return at::kShort;
  case DType::I8: return at::kChar;
  case DType::U8: return at::kByte;
  case DType::Bool: return at::kBool;
  }
  throw std::logic_error("unhandled dtype");
}

DType dtypeOf(at::ScalarType type) {
  for (DType d : {DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64, DType::I32, DType::I16, DType::I8,
                  DType::U8, DType::Bool})
    if (scalarTypeOf(d) == type) return d;
  throw Error(std::string("tensors of type ") + c10::toString(type) + " cannot be saved as safetensors");
}

at::Tensor readTensor(const SafetensorsFile& file, const TensorRecord& record) {
  at::Tensor tensor = at::empty(record.shape, at::TensorOptions().dtype(scalarTypeOf(record.dtype)));
  const auto bytes = file.bytes(record);
  if (!bytes.empty()) std::memcpy(tensor.data_ptr(), bytes.data(), bytes.size());
  return tensor;
}

namespace {

std::vector<std::string> shardFiles(const fs::path& index) {
  std::ifstream in(index);
  nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("weight_map") || !json["weight_map"].is_object())
    throw InputError(index.string(), 0, "expected a JSON object with a \"weight_map\" of tensor name → file");
  std::set<std::string> files;
  for (const auto& [name, file] : json["weight_map"].items()) {
    if (!file.is_string()) throw InputError(index.string(), 0, "weight_map[\"" + name + "\"] must be a file name");
    const std::string shard = file.get<std::string>();
    if (shard.find('/') != std::string::npos || shard == "..")
      throw InputError(index.string(), 0, "weight_map[\"" + name + "\"]: \"" + shard + "\" is not a file beside the index");
    files.insert(shard);
  }
  return {files.begin(), files.end()};
}

} // namespace

CheckpointTensors::CheckpointTensors(const std::string& directory) {
  const fs::path dir(directory);
  std::vector<std::string> files;
  if (fs::exists(dir / "model.safetensors.index.json")) files = shardFiles(dir / "model.safetensors.index.json");
  else if (fs::exists(dir / "model.safetensors")) files = {"model.safetensors"};
  else throw InputError(directory, 0, "no model.safetensors or model.safetensors.index.json in this directory");

  for (const auto& name : files) {
    files_.push_back(std::make_unique<SafetensorsFile>((dir / name).string()));
    const SafetensorsFile* file = files_.back().get();
    for (const auto& record : file->header().tensors) {
      if (where_.count(record.name))
        throw InputError(file->path(), 0, "tensor '" + record.name + "' is also in " + where_[record.name].first->path());
      where_[record.name] = {file, &record};
    }
  }
}

std::vector<std::string> CheckpointTensors::names() const {
  std::vector<std::string> all;
  for (const auto& [name, location] : where_) all.push_back(name);
  return all;
}

const TensorRecord& CheckpointTensors::record(const std::string& name) const { return *where_.at(name).second; }
const std::string& CheckpointTensors::fileOf(const std::string& name) const { return where_.at(name).first->path(); }

at::Tensor CheckpointTensors::read(const std::string& name) const {
  const auto& [file, record] = where_.at(name);
  return readTensor(*file, *record);
}

void CheckpointTensors::copyInto(const std::string& name, at::Tensor& target) const {
  const auto& [file, record] = where_.at(name);
  const auto bytes = file->bytes(*record);
  if (target.device().is_cpu() && target.is_contiguous() && target.scalar_type() == scalarTypeOf(record->dtype) &&
      static_cast<std::size_t>(target.nbytes()) == bytes.size()) {
    if (!bytes.empty()) std::memcpy(target.data_ptr(), bytes.data(), bytes.size());
  } else {
    target.copy_(readTensor(*file, *record));
  }
  file->release(*record);
}

void saveTensors(const std::string& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                 at::ScalarType dtype, const std::map<std::string, std::string>& metadata) {
  std::vector<at::Tensor> held; // keeps the converted copies alive while they are written
  std::vector<TensorBytes> records;
  for (const auto& [name, tensor] : tensors) {
    const at::ScalarType type = at::isFloatingType(tensor.scalar_type()) ? dtype : tensor.scalar_type();
    held.push_back(tensor.detach().to(at::kCPU).to(type).contiguous());
    const at::Tensor& t = held.back();
    records.push_back({name, dtypeOf(type), t.sizes().vec(),
                       {static_cast<const std::byte*>(t.data_ptr()), static_cast<std::size_t>(t.nbytes())}});
  }
  writeSafetensors(path, records, metadata);
}

} // namespace collab::model
