#pragma once

#include "model/Transformer.h"

#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace collab::model {

// Where the model runs and in which precision. Chosen once (from the command line or a
// training config) and used for every tensor.
struct DeviceSettings {
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;

  // "cpu", "cuda", "cuda:1"; dtype "float32", "bfloat16", "float16"; "auto" gives
  // bfloat16 on CUDA and float32 on CPU. Throws a clear Error when CUDA is asked for and
  // LibTorch has none.
  static DeviceSettings parse(const std::string& device, const std::string& dtype = "auto");
};

// Loads an HF checkpoint directory (config.json + model.safetensors or its shards) into
// our transformer. Every parameter must be present with its exact shape; a tensor the
// model does not have is an error too (it would mean a different architecture), except
// the rotary buffers older checkpoints carry and an lm_head saved beside tied embeddings.
CausalLm loadCausalLm(const std::string& directory, const DeviceSettings& settings = {});

// Copies named weights into the model, with the checks above (all made before anything is
// copied); `source` names them in errors. Consumes `tensors`: each file is unmapped once its
// tensors are copied, so they cannot be read again.
void loadWeights(CausalLmImpl& model, class CheckpointTensors& tensors, const std::string& source);

struct SaveSettings {
  at::ScalarType dtype = at::kFloat;          // the dtype weights are written in
  std::string tokenizerDirectory;             // tokenizer files copied from here, if set
  std::vector<std::string> extraFiles;        // copied too (e.g. a training config)
};

// Writes the model in HF's layout: config.json, generation_config.json, model.safetensors
// (plus the tokenizer files), so that transformers, vLLM and llama.cpp's converter load it.
// The directory appears whole: it is written beside the target and renamed into place, and
// a previous checkpoint at the same path survives any failure.
void saveCausalLm(CausalLmImpl& model, const std::string& directory, const SaveSettings& settings = {});

// Replaces `target` by the finished directory `staged` in two renames; the old one is
// removed only once the new one is in place.
void replaceDirectory(const std::string& staged, const std::string& target);

} // namespace collab::model
