// bench_gpu PHASE [--size 0.5b|tiny] [--device cuda|cpu] [--dtype bfloat16|float32] [--lora RANK]
// PHASE decode:    batch-1 greedy decoding with the KV cache (tokens/s) in `dtype`, and the
//                  memory-bandwidth bound it is compared with (weight bytes ÷ bandwidth).
// PHASE bandwidth: the device-to-device copy bandwidth that bound uses (its own phase, so
//                  its 2 GiB of buffers stay out of the others' peak memory).
// PHASE sft:       SFT optimiser steps on random token batches (tokens/s, step time).
// PHASE dpo:       DPO optimiser steps on random pairs (pairs/s, step time).
// Training runs as `collab train` does: full fine-tuning keeps float32 weights and computes
// under autocast to `dtype`; with --lora the frozen base is held in `dtype` and the
// adapters (on every projection) in float32.
// Prints one JSON object. Peak memory is sampled outside (nvidia-smi) by run.sh.

#include "model/Autocast.h"
#include "model/Checkpoint.h"
#include "model/Generator.h"
#include "model/Logprobs.h"
#include "model/Lora.h"
#include "train/Trainers.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

using namespace collab;
using Clock = std::chrono::steady_clock;

namespace {

model::ModelConfig configFor(const std::string& size) {
  model::ModelConfig c;
  c.architecture = model::Architecture::Qwen2; // Qwen2.5-0.5B's shape
  c.qkvBias = true;
  if (size == "tiny") {
    c.vocabSize = 512, c.hiddenSize = 64, c.intermediateSize = 128, c.layers = 2, c.heads = 4, c.kvHeads = 2;
  } else {
    c.vocabSize = 151936, c.hiddenSize = 896, c.intermediateSize = 4864, c.layers = 24, c.heads = 14, c.kvHeads = 2;
  }
  c.headDim = c.hiddenSize / c.heads;
  c.maxPositions = 32768;
  c.ropeTheta = 1e6;
  c.tieEmbeddings = true;
  return c;
}

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

void sync(const at::Tensor& t) { (void)t.sum().item<double>(); } // .item() waits for the device

// Device-to-device copy bandwidth, bytes read + written per second.
double copyBandwidth(at::Device device) {
  if (!device.is_cuda()) return 0.0;
  at::Tensor a = at::empty({1LL << 28}, at::TensorOptions().dtype(at::kFloat).device(device)); // 1 GiB
  at::Tensor b = at::empty_like(a);
  b.copy_(a);
  sync(b);
  const auto start = Clock::now();
  const int rounds = 20;
  for (int i = 0; i < rounds; ++i) b.copy_(a);
  sync(b);
  return 2.0 * static_cast<double>(a.nbytes()) * rounds / seconds(start);
}

nlohmann::json bandwidth(at::Device device) {
  const double bytesPerSecond = copyBandwidth(device);
  return {{"phase", "bandwidth"}, {"copy_bandwidth_gb_s", bytesPerSecond / 1e9}};
}

nlohmann::json decode(model::CausalLmImpl& lm, double bandwidthGbPerSecond) {
  std::vector<std::int64_t> prompt(32);
  for (std::size_t i = 0; i < prompt.size(); ++i) prompt[i] = static_cast<std::int64_t>(100 + 7 * i);
  model::GenerationRequest r;
  r.prompt = prompt;
  r.sampling.temperature = 0.0;
  r.maxNewTokens = 16;
  model::generate(lm, {r}); // warm-up
  r.maxNewTokens = 256;
  const auto start = Clock::now();
  const auto out = model::generate(lm, {r});
  const double elapsed = seconds(start);
  double weightBytes = 0.0;
  for (const auto& p : lm.parameters()) weightBytes += static_cast<double>(p.nbytes());
  const double tokensPerSecond = static_cast<double>(out[0].tokens.size()) / elapsed;
  nlohmann::json j = {{"phase", "decode"}, {"new_tokens", out[0].tokens.size()}, {"seconds", elapsed},
                      {"tokens_per_second", tokensPerSecond}, {"weight_bytes", weightBytes}};
  if (bandwidthGbPerSecond > 0) {
    // Each decoded token reads every weight once: that many tokens/s is the ceiling.
    const double bound = bandwidthGbPerSecond * 1e9 / weightBytes;
    j["copy_bandwidth_gb_s"] = bandwidthGbPerSecond;
    j["bound_tokens_per_second"] = bound;
    j["fraction_of_bound"] = tokensPerSecond / bound;
  }
  return j;
}

std::vector<train::TokenSequence> randomSequences(int count, int length, std::int64_t vocab, std::uint64_t seed) {
  std::vector<train::TokenSequence> out;
  std::uint64_t x = seed;
  for (int i = 0; i < count; ++i) {
    train::TokenSequence s;
    for (int t = 0; t < length; ++t) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      s.ids.push_back(static_cast<std::int64_t>((x >> 33) % static_cast<std::uint64_t>(vocab)));
      s.target.push_back(t >= length / 4 ? 1 : 0); // the last 3/4 count, like an answer after a prompt
    }
    out.push_back(std::move(s));
  }
  return out;
}

// How `collab train` trains on this device in this dtype (HfPolicy): autocast for full
// fine-tuning in reduced precision, none for LoRA (its base is already in `dtype`).
model::AutocastSettings autocastFor(const model::DeviceSettings& settings, bool lora) {
  return {!lora && settings.dtype != at::kFloat, settings.device.type(), settings.dtype};
}

nlohmann::json sft(model::CausalLmImpl& lm, const model::AutocastSettings& autocast, int batch, int length, int steps) {
  const auto data = randomSequences(batch * (steps + 1), length, lm.config().vocabSize, 1);
  train::LoopSettings loop;
  loop.autocast = autocast;
  loop.batchSize = batch;
  loop.optimiser.learningRate = 1e-5;
  loop.optimiser.totalSteps = steps + 1;
  std::vector<double> times;
  auto last = Clock::now();
  train::trainSft(lm, data, loop, [&](std::int64_t, const auto&) {
    sync(lm.outputWeight());
    times.push_back(seconds(last));
    last = Clock::now();
  });
  times.erase(times.begin()); // the first step allocates and warms up
  double total = 0.0;
  for (double t : times) total += t;
  const double step = total / static_cast<double>(times.size());
  return {{"phase", "sft"}, {"batch", batch}, {"sequence", length}, {"steps", times.size()},
          {"step_seconds", step}, {"tokens_per_second", batch * length / step}};
}

nlohmann::json dpo(model::CausalLmImpl& lm, const model::DeviceSettings& settings, const model::AutocastSettings& autocast,
                   int batch, int length, int steps) {
  // The frozen reference in the compute dtype; its log-probabilities are computed a
  // micro-batch at a time before the first step (trainDpo).
  auto reference = std::make_shared<model::CausalLmImpl>(lm.config());
  reference->initialiseRandomly(2);
  reference->to(settings.device, settings.dtype);
  const auto prompts = randomSequences(batch * (steps + 1), length / 2, lm.config().vocabSize, 2);
  const auto answers = randomSequences(2 * batch * (steps + 1), length / 2, lm.config().vocabSize, 3);
  std::vector<train::PreferenceExample> pairs;
  for (std::size_t i = 0; i < prompts.size(); ++i)
    pairs.push_back({prompts[i].ids, answers[2 * i].ids, answers[2 * i + 1].ids});
  train::LoopSettings loop;
  loop.autocast = autocast;
  loop.batchSize = batch;
  loop.optimiser.learningRate = 5e-6;
  loop.optimiser.totalSteps = steps + 1;
  std::vector<double> times;
  auto last = Clock::now();
  train::trainDpo(lm, *reference, pairs, {0.1, 0.0}, loop, [&](std::int64_t step, const auto&) {
    sync(lm.outputWeight());
    if (step == 1) last = Clock::now(); // reference log-probs and the first step are set-up
    else times.push_back(seconds(last)), last = Clock::now();
  });
  double total = 0.0;
  for (double t : times) total += t;
  const double step = total / static_cast<double>(std::max<std::size_t>(times.size(), 1));
  return {{"phase", "dpo"}, {"pairs_per_step", batch}, {"sequence", length}, {"steps", times.size()},
          {"step_seconds", step}, {"pairs_per_second", batch / step}};
}

// For the transformers/PEFT check (check_transformers.py): the tiny fixture with a LoRA
// adapter whose B is random, saved as a PEFT adapter and as merged full weights, with our
// log-probabilities of a fixed sequence beside them.
int exportLora(const std::string& fixture, const std::string& out) {
  auto lm = model::loadCausalLm(fixture);
  model::addLora(*lm, {4, 8.0, 0.0, {"q_proj", "v_proj", "down_proj"}});
  {
    at::NoGradGuard noGrad;
    for (auto& item : lm->named_parameters())
      if (item.key().find("lora_B") != std::string::npos) item.value().normal_(0.0, 0.05);
  }
  const std::vector<std::int64_t> ids = {381, 12, 200, 45, 300, 7, 99, 150, 23, 377, 5, 64, 128, 256, 1, 2, 3};
  const at::Tensor logprobs = model::nextTokenLogProbabilities(*lm, ids).contiguous();
  std::FILE* f = std::fopen((out + "/lora_logprobs.f32").c_str(), "wb");
  std::fwrite(logprobs.data_ptr<float>(), sizeof(float), static_cast<std::size_t>(logprobs.numel()), f);
  std::fclose(f);
  model::saveLoraAdapter(*lm, {4, 8.0, 0.0, {"q_proj", "v_proj", "down_proj"}}, out + "/adapter", fixture);
  lm->mergeLoraAdapters();
  model::saveCausalLm(*lm, out + "/merged", {at::kFloat, fixture, {}});
  std::printf("{\"phase\": \"lora-export\", \"positions\": %lld}\n", static_cast<long long>(logprobs.size(0)));
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "lora-export") return exportLora(argv[2], argv[3]);
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_gpu decode|sft|dpo [--size 0.5b|tiny] [--device cuda] [--dtype bfloat16]\n");
    return 2;
  }
  const std::string phase = argv[1];
  std::string size = "0.5b", device = "cuda", dtype = "auto";
  int batch = 8, length = 512, steps = 6, loraRank = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--size") size = value;
    else if (key == "--device") device = value;
    else if (key == "--dtype") dtype = value;
    else if (key == "--batch") batch = std::stoi(value);
    else if (key == "--length") length = std::stoi(value);
    else if (key == "--steps") steps = std::stoi(value);
    else if (key == "--lora") loraRank = std::stoi(value);
  }
  try {
    const auto settings = model::DeviceSettings::parse(device, dtype);
    if (phase == "bandwidth") {
      std::printf("%s\n", bandwidth(settings.device).dump().c_str());
      return 0;
    }
    const bool training = phase == "sft" || phase == "dpo";
    if (!training && phase != "decode") throw std::runtime_error("unknown phase \"" + phase + "\"");
    auto lm = std::make_shared<model::CausalLmImpl>(configFor(size));
    lm->initialiseRandomly(1);
    // Inference and LoRA's frozen base in the compute dtype; trained full weights in float32.
    const bool fullWeightsTrain = training && loraRank == 0;
    lm->to(settings.device, fullWeightsTrain ? at::kFloat : settings.dtype);
    if (training && loraRank > 0)
      model::addLora(*lm, {loraRank, 2.0 * loraRank, 0.0, {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}});
    lm->eval();
    const model::AutocastSettings autocast = autocastFor(settings, loraRank > 0);
    double bandwidthGbPerSecond = 0.0;
    for (int i = 2; i + 1 < argc; i += 2)
      if (std::string(argv[i]) == "--bandwidth-gb-s") bandwidthGbPerSecond = std::stod(argv[i + 1]);
    nlohmann::json result = phase == "decode" ? decode(*lm, bandwidthGbPerSecond)
                            : phase == "sft"  ? sft(*lm, autocast, batch, length, steps)
                                              : dpo(*lm, settings, autocast, batch / 2, length, steps);
    result["size"] = size;
    result["parameters"] = lm->config().parameterCount();
    result["device"] = device;
    result["dtype"] = dtype;
    result["lora_rank"] = loraRank;
    result["autocast"] = autocast.enabled;
    std::printf("%s\n", result.dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gpu: %s\n", e.what());
    return 1;
  }
  return 0;
}
