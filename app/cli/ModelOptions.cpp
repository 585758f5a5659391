#include "ModelOptions.h"

#include "model/ModelDirectory.h"

namespace collab::cli {

void ModelOptions::addTo(CLI::App* command) {
  command->add_option("--model", directory, "A Hugging Face checkpoint directory (config.json, model.safetensors, tokenizer.json)")
      ->required();
  command->add_option("--device", device, "cpu, cuda or cuda:N")->capture_default_str();
  command->add_option("--dtype", dtype, "Precision of the weights (auto: bfloat16 on CUDA, float32 on CPU)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "float32", "bfloat16", "float16"}));
}

model::ModelDirectory ModelOptions::open() const { return model::ModelDirectory::open(directory, model::DeviceSettings::parse(device, dtype)); }

} // namespace collab::cli
