#include "train/StageCheckpoint.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "policy/ActPolicy.h"
#include "train/Optimiser.h"

#include <filesystem>
#include <fstream>

namespace collab::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "collab-trainer-state/1";

template <typename T>
T field(const json& object, const char* key, const std::string& source) {
  try {
    return object.at(key).get<T>();
  } catch (const json::exception&) {
    throw InputError(source, 0, std::string(key) + ": missing or of the wrong type");
  }
}

} // namespace

json TrainerState::toJson() const {
  return {{"format", kFormat},
          {"stage", stage},
          {"run", run},
          {"global_step", position.step},
          {"epoch", position.epoch},
          {"batch_in_epoch", position.batch},
          {"max_steps", maxSteps},
          {"examples", examples},
          {"config", config}};
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
  if (state.position.step < 0 || state.position.step > state.maxSteps)
    throw InputError(path, 0, "global_step: expected 0.." + std::to_string(state.maxSteps));
  return state;
}

std::string writeStageCheckpoint(const CheckpointFolder& folder, const policy::ActPolicy& policy,
                                 const Optimiser& optimiser, const TrainerState& state) {
  return writeStageCheckpoint(folder, [&policy](const std::string& directory) { policy.save(directory); }, optimiser, state);
}

std::string writeStageCheckpoint(const CheckpointFolder& folder, const std::function<void(const std::string&)>& saveModel,
                                 const Optimiser& optimiser, const TrainerState& state) {
  return folder.write(state.position.step, [&](const std::string& directory) {
    saveModel(directory);
    optimiser.save((fs::path(directory) / kOptimiserStateFile).string());
    // Last: a folder with a trainer state is one whose other files were all written.
    writeFileAtomically((fs::path(directory) / kTrainerStateFile).string(), state.toJson().dump(2) + "\n");
  });
}

} // namespace collab::train
