#include "model/Lora.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "model/Checkpoint.h"
#include "model/TensorFiles.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

namespace collab::model {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kPeftPrefix = "base_model.model.";

LoraSettings settingsFrom(const json& config, const std::string& source) {
  if (!config.is_object()) throw InputError(source, 0, "expected a JSON object");
  if (config.value("peft_type", std::string()) != "LORA")
    throw InputError(source, 0, "peft_type must be \"LORA\"");
  LoraSettings s;
  if (!config.contains("r") || !config["r"].is_number_integer() || config["r"].get<int>() <= 0)
    throw InputError(source, 0, "\"r\": expected a positive integer");
  s.rank = config["r"].get<std::int64_t>();
  s.alpha = config.value("lora_alpha", static_cast<double>(s.rank));
  s.dropout = config.value("lora_dropout", 0.0);
  const json& targets = config.value("target_modules", json::array());
  if (!targets.is_array() || targets.empty())
    throw InputError(source, 0, "\"target_modules\": expected a non-empty list of module names");
  s.targets.clear();
  static const std::set<std::string> known = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
  for (const json& t : targets) {
    if (!t.is_string() || !known.count(t.get<std::string>()))
      throw InputError(source, 0, "target module " + t.dump() + " is not one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
    s.targets.push_back(t.get<std::string>());
  }
  if (config.value("use_dora", false)) throw InputError(source, 0, "DoRA adapters are not supported");
  if (config.value("bias", std::string("none")) != "none") throw InputError(source, 0, "only bias \"none\" is supported");
  return s;
}

} // namespace

void addLora(CausalLmImpl& model, const LoraSettings& settings) {
  model.addLoraAdapters(settings.rank, settings.alpha, settings.dropout, settings.targets);
}

void saveLoraAdapter(CausalLmImpl& model, const LoraSettings& settings, const std::string& directory,
                     const std::string& baseModel) {
  std::vector<std::pair<std::string, at::Tensor>> adapters;
  for (auto& item : model.named_parameters())
    if (item.key().find(".lora_") != std::string::npos) adapters.emplace_back(kPeftPrefix + item.key(), item.value());
  if (adapters.empty()) throw Error("the model has no LoRA adapter to save");

  const json config = {
      {"peft_type", "LORA"}, {"task_type", "CAUSAL_LM"}, {"r", settings.rank}, {"lora_alpha", settings.alpha},
      {"lora_dropout", settings.dropout}, {"target_modules", settings.targets}, {"bias", "none"},
      {"fan_in_fan_out", false}, {"inference_mode", true}, {"init_lora_weights", true},
      {"base_model_name_or_path", baseModel}, {"modules_to_save", nullptr}, {"use_rslora", false}, {"use_dora", false},
  };
  const fs::path staged = directory + ".partial-" + std::to_string(::getpid());
  fs::remove_all(staged);
  fs::create_directories(staged);
  try {
    writeFileAtomically((staged / "adapter_config.json").string(), config.dump(2) + "\n");
    saveTensors((staged / "adapter_model.safetensors").string(), adapters, at::kFloat);
    replaceDirectory(staged.string(), directory);
  } catch (...) {
    fs::remove_all(staged);
    throw;
  }
}

LoraSettings loadLoraAdapter(CausalLmImpl& model, const std::string& directory) {
  const std::string configPath = (fs::path(directory) / "adapter_config.json").string();
  std::ifstream in(configPath);
  if (!in) throw InputError(configPath, 0, "cannot open");
  const json config = json::parse(in, nullptr, false);
  if (config.is_discarded()) throw InputError(configPath, 0, "not valid JSON");
  const LoraSettings settings = settingsFrom(config, configPath);
  addLora(model, settings);

  const std::string weightsPath = (fs::path(directory) / "adapter_model.safetensors").string();
  const SafetensorsFile file(weightsPath);
  at::NoGradGuard noGrad;
  std::set<std::string> loaded;
  for (auto& item : model.named_parameters()) {
    if (item.key().find(".lora_") == std::string::npos) continue;
    const std::string name = kPeftPrefix + item.key();
    const TensorRecord* record = file.find(name);
    if (!record) throw InputError(weightsPath, 0, "missing adapter tensor '" + name + "'");
    if (at::IntArrayRef(record->shape) != item.value().sizes())
      throw InputError(weightsPath, 0, "adapter tensor '" + name + "' has the wrong shape for rank " + std::to_string(settings.rank));
    item.value().copy_(readTensor(file, *record));
    loaded.insert(name);
  }
  for (const auto& record : file.header().tensors)
    if (!loaded.count(record.name)) throw InputError(weightsPath, 0, "unexpected adapter tensor '" + record.name + "'");
  return settings;
}

} // namespace collab::model
