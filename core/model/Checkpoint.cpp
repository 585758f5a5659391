#include "model/Checkpoint.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "model/ShapeText.h"
#include "model/TensorFiles.h"

#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <filesystem>
#include <map>
#include <regex>
#include <unistd.h>

namespace collab::model {

namespace fs = std::filesystem;

DeviceSettings DeviceSettings::parse(const std::string& device, const std::string& dtype) {
  DeviceSettings settings;
  try {
    settings.device = at::Device(device);
  } catch (const std::exception&) {
    throw Error("unknown device \"" + device + "\" (expected cpu, cuda or cuda:N)");
  }
  if (settings.device.is_cuda() && !at::hasCUDA())
    throw Error("device \"" + device + "\" asked for, but this build of LibTorch has no CUDA (or no GPU is visible)");
  if (settings.device.is_cuda() && settings.device.has_index() &&
      static_cast<std::size_t>(settings.device.index()) >= torch::cuda::device_count())
    throw Error("device \"" + device + "\" asked for, but this process sees " + std::to_string(torch::cuda::device_count()) +
                " GPU(s), numbered from 0 (CUDA_VISIBLE_DEVICES renumbers them)");
  if (dtype == "auto") settings.dtype = settings.device.is_cuda() ? at::kBFloat16 : at::kFloat;
  else if (dtype == "float32" || dtype == "f32") settings.dtype = at::kFloat;
  else if (dtype == "bfloat16" || dtype == "bf16") settings.dtype = at::kBFloat16;
  else if (dtype == "float16" || dtype == "f16") settings.dtype = at::kHalf;
  else throw Error("unknown dtype \"" + dtype + "\" (expected auto, float32, bfloat16 or float16)");
  if (settings.dtype == at::kHalf && settings.device.is_cpu())
    throw Error("dtype float16 on the CPU: LibTorch's CPU kernels lack half-precision matrix products; use bfloat16 or float32");
  return settings;
}

namespace {

bool ignorable(const std::string& name, const ModelConfig& config) {
  static const std::regex rotary(R"((model\.)?(layers\.\d+\.self_attn\.)?rotary_emb\.inv_freq)");
  if (std::regex_match(name, rotary)) return true;
  return config.tieEmbeddings && name == "lm_head.weight";
}

} // namespace

void loadWeights(CausalLmImpl& model, CheckpointTensors& tensors, const std::string& source) {
  at::NoGradGuard noGrad;
  // Everything is checked before anything is copied, so a refused checkpoint leaves the
  // model as it was.
  std::map<std::string, at::Tensor> parameters;
  std::vector<std::string> missing;
  for (auto& item : model.named_parameters()) {
    const std::string& name = item.key();
    parameters.emplace(name, item.value());
    if (!tensors.contains(name)) {
      missing.push_back(name);
      continue;
    }
    const TensorRecord& record = tensors.record(name);
    if (at::IntArrayRef(record.shape) != item.value().sizes())
      throw InputError(tensors.fileOf(name), 0, "tensor '" + name + "' has shape " + shapeText(record.shape) +
                                                    " but the config implies " + shapeText(item.value().sizes()));
    if (!at::isFloatingType(scalarTypeOf(record.dtype)))
      throw InputError(tensors.fileOf(name), 0, "tensor '" + name + "' is " + std::string(dtypeName(record.dtype)) +
                                                    ", expected a floating-point dtype");
  }
  if (!missing.empty())
    throw InputError(source, 0, std::to_string(missing.size()) + " weight(s) missing, first '" + missing.front() + "'");
  for (const auto& name : tensors.names())
    if (!parameters.count(name) && !ignorable(name, model.config()))
      throw InputError(tensors.fileOf(name), 0, "unexpected tensor '" + name + "' (not part of a " +
                                                    architectureName(model.config().architecture) + " model with this config)");
  // File by file, in data order: each tensor is copied straight into its parameter and its
  // mapped pages handed back, and each file is unmapped once done. The peak is then the
  // parameters plus about one tensor's bytes, not plus the whole checkpoint.
  for (std::size_t f = 0; f < tensors.fileCount(); ++f) {
    for (const TensorRecord& record : tensors.file(f).header().tensors)
      if (auto it = parameters.find(record.name); it != parameters.end()) tensors.copyInto(record.name, it->second);
    tensors.close(f);
  }
}

CausalLm loadCausalLm(const std::string& directory, const DeviceSettings& settings) {
  const ModelConfig config = ModelConfig::fromFile((fs::path(directory) / "config.json").string());
  auto model = std::make_shared<CausalLmImpl>(config, CausalLmImpl::Weights::Unset);
  CheckpointTensors tensors(directory);
  // Placed first, so each tensor is converted as it is read: never a float32 copy of the
  // whole model on the host (twice a bf16 checkpoint's bytes) on its way to a GPU.
  model->to(settings.device, settings.dtype);
  loadWeights(*model, tensors, directory);
  model->eval();
  return model;
}

namespace {

nlohmann::json generationConfig(const ModelConfig& config) {
  nlohmann::json json = {{"_from_model_config", true}};
  if (config.bosTokenId) json["bos_token_id"] = *config.bosTokenId;
  if (config.eosTokenIds.size() == 1) json["eos_token_id"] = config.eosTokenIds.front();
  else if (!config.eosTokenIds.empty()) json["eos_token_id"] = config.eosTokenIds;
  return json;
}

std::string dtypeText(at::ScalarType type) {
  return type == at::kBFloat16 ? "bfloat16" : type == at::kHalf ? "float16" : "float32";
}

void copyTokenizerFiles(const fs::path& from, const fs::path& to) {
  for (const char* name : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json",
                           "merges.txt", "tokenizer.model", "chat_template.jinja"})
    if (fs::exists(from / name)) fs::copy_file(from / name, to / name, fs::copy_options::overwrite_existing);
}

} // namespace

void replaceDirectory(const std::string& staged, const std::string& target) {
  const fs::path old = target + ".old-" + std::to_string(::getpid());
  const bool hadTarget = fs::exists(target);
  if (hadTarget) fs::rename(target, old);
  try {
    fs::rename(staged, target);
  } catch (...) {
    if (hadTarget) fs::rename(old, target);
    throw;
  }
  if (hadTarget) fs::remove_all(old);
}

void saveCausalLm(CausalLmImpl& model, const std::string& directory, const SaveSettings& settings) {
  const fs::path staged = directory + ".partial-" + std::to_string(::getpid());
  fs::remove_all(staged);
  fs::create_directories(staged);
  try {
    ModelConfig config = model.config();
    config.torchDtype = dtypeText(settings.dtype);
    writeFileAtomically((staged / "config.json").string(), config.toJson().dump(2) + "\n");
    writeFileAtomically((staged / "generation_config.json").string(), generationConfig(config).dump(2) + "\n");
    std::vector<std::pair<std::string, at::Tensor>> weights;
    for (auto& item : model.named_parameters())
      if (item.key().find("lora_") == std::string::npos) weights.emplace_back(item.key(), item.value());
    saveTensors((staged / "model.safetensors").string(), weights, settings.dtype);
    if (!settings.tokenizerDirectory.empty()) copyTokenizerFiles(settings.tokenizerDirectory, staged);
    for (const auto& file : settings.extraFiles) fs::copy_file(file, staged / fs::path(file).filename());
    replaceDirectory(staged.string(), directory);
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(staged);
    throw Error("cannot write checkpoint " + directory + ": " + e.what());
  } catch (...) {
    fs::remove_all(staged);
    throw;
  }
}

} // namespace collab::model
