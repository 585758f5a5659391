#include "train/StageCheckpoint.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "policy/ActPolicy.h"
#include "train/Optimiser.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace collab::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "collab-trainer-state/1";

// `key` of `object`, or an InputError naming the file and the field (`prefix` + key).
template <typename T>
T field(const json& object, const char* key, const std::string& source, const std::string& prefix = "") {
  try {
    return object.at(key).get<T>();
  } catch (const json::exception&) {
    throw InputError(source, 0, prefix + key + ": missing or of the wrong type");
  }
}

// A 64-bit fingerprint as 16 hex digits: JSON readers that hold numbers in doubles keep it whole.
std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

TrainerState::Rounds roundsOf(const json& value, const std::string& source) {
  if (!value.is_object()) throw InputError(source, 0, "online: expected an object");
  TrainerState::Rounds rounds;
  rounds.done = field<int>(value, "rounds_done", source, "online.");
  rounds.sampleCalls = field<std::uint64_t>(value, "sample_calls", source, "online.");
  const std::string fingerprint = field<std::string>(value, "reference_fingerprint", source, "online.");
  std::size_t parsed = 0;
  try {
    rounds.referenceFingerprint = std::stoull(fingerprint, &parsed, 16);
  } catch (const std::exception&) {
    parsed = 0;
  }
  if (fingerprint.size() != 16 || parsed != 16)
    throw InputError(source, 0, "online.reference_fingerprint: expected 16 hex digits, found \"" + fingerprint + "\"");
  if (rounds.done < 0) throw InputError(source, 0, "online.rounds_done: expected 0 or more");
  return rounds;
}

} // namespace

json TrainerState::toJson() const {
  json out = {{"format", kFormat},
              {"stage", stage},
              {"run", run},
              {"global_step", position.step},
              {"epoch", position.epoch},
              {"batch_in_epoch", position.batch},
              {"max_steps", maxSteps},
              {"examples", examples},
              {"config", config}};
  if (online)
    out["online"] = {{"rounds_done", online->done},
                     {"sample_calls", online->sampleCalls},
                     {"reference_fingerprint", hex(online->referenceFingerprint)}};
  return out;
}

TrainerState TrainerState::read(const std::string& checkpoint) {
  const std::string path = (fs::path(checkpoint) / kTrainerStateFile).string();
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open (not a checkpoint written by collab train?)");
  const json value = json::parse(in, nullptr, false);
  if (value.is_discarded() || !value.is_object()) throw InputError(path, 0, "not a JSON object");
  if (value.value("format", "") != kFormat)
    throw InputError(path, 0, "format: expected \"" + std::string(kFormat) + "\", found " + value.value("format", json()).dump());
  TrainerState state;
  state.stage = field<std::string>(value, "stage", path);
  state.run = field<std::int64_t>(value, "run", path);
  state.position.step = field<std::int64_t>(value, "global_step", path);
  state.position.epoch = field<int>(value, "epoch", path);
  state.position.batch = field<std::int64_t>(value, "batch_in_epoch", path);
  state.maxSteps = field<std::int64_t>(value, "max_steps", path);
  state.examples = field<std::size_t>(value, "examples", path);
  state.config = value.at("config");
  if (!state.config.is_object()) throw InputError(path, 0, "config: expected the training config (an object)");
  if (value.contains("online")) state.online = roundsOf(value["online"], path);
  // An online stage's steps depend on what its rounds draw: it knows no total.
  if (state.position.step < 0 || (!state.online && state.position.step > state.maxSteps))
    throw InputError(path, 0, "global_step: expected 0.." + std::to_string(state.maxSteps));
  return state;
}

std::string writeStageCheckpoint(const CheckpointFolder& folder, const policy::ActPolicy& policy,
                                 const Optimiser& optimiser, const TrainerState& state) {
  return writeStageCheckpoint(folder, [&policy](const std::string& directory) { policy.save(directory); }, optimiser, state);
}

std::string writeStageCheckpoint(const CheckpointFolder& folder, const std::function<void(const std::string&)>& saveModel,
                                 const Optimiser& optimiser, const TrainerState& state) {
  return writeStageCheckpoint(
      folder, saveModel,
      [&optimiser](const std::string& directory) { optimiser.save((fs::path(directory) / kOptimiserStateFile).string()); },
      state);
}

std::string writeStageCheckpoint(const CheckpointFolder& folder, const std::function<void(const std::string&)>& saveModel,
                                 const std::function<void(const std::string&)>& saveTrainer, const TrainerState& state) {
  return folder.write(state.position.step, [&](const std::string& directory) {
    saveModel(directory);
    saveTrainer(directory);
    // Last: a folder with a trainer state is one whose other files were all written.
    writeFileAtomically((fs::path(directory) / kTrainerStateFile).string(), state.toJson().dump(2) + "\n");
  });
}

} // namespace collab::train
