#include "train/ResumeRequest.h"

#include "common/Error.h"
#include "store/Project.h"
#include "train/CheckpointFolder.h"
#include "train/RecordedRunFields.h"
#include "train/StageCheckpoint.h"

#include <filesystem>

namespace collab::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The stage after `stage` in the config, or "" when it is the last.
std::string stageAfter(const TrainConfig& config, const std::string& stage) {
  for (std::size_t i = 0; i + 1 < config.stages.size(); ++i)
    if (config.stages[i].name == stage) return config.stages[i + 1].name;
  return "";
}

// The newest resumable checkpoint of `stage`, checked to be `run`'s ("" when none).
std::string newestCheckpoint(const TrainConfig& config, const std::string& stage, std::int64_t run, const std::string& runName) {
  const CheckpointFolder folder(CheckpointFolder::forStage((fs::path(config.output) / stage).string()));
  const auto latest = folder.latest();
  if (!latest) return "";
  const TrainerState state = TrainerState::read(*latest);
  if (state.run != run)
    throw Error(runName + ": the checkpoints in " + folder.directory() + " belong to run " + std::to_string(state.run) +
                " (the same output folder was trained again since): nothing of this run to resume");
  return *latest;
}

} // namespace

ResumeRequest resumeRun(store::Project& project, std::int64_t run) {
  const std::string runName = "run " + std::to_string(run) + " of " + project.path().string();
  const auto record = project.runs().find(run);
  if (!record) throw InputError(project.path().string(), 0, "no run " + std::to_string(run) + " to resume");
  json recorded = json::parse(record->configJson, nullptr, false);
  if (recorded.is_discarded() || !recorded.is_object() || !recorded.contains(kRecordedStage) ||
      !recorded[kRecordedStage].is_string())
    throw InputError(runName, 0, "its recorded config is not that of a `collab train` stage");
  const std::string stage = recorded[kRecordedStage].get<std::string>();
  recorded.erase(kRecordedStage);
  recorded.erase(kRecordedWorldSize); // how it ran, not what: this resume runs as it is launched
  // Runs recorded before paths were resolved read theirs as the original run did:
  // personas from the project's folder, output from the current directory.
  ResumeRequest request{TrainConfig::fromJson(recorded, runName, project.path().parent_path().string()), {}};
  if (!request.config.stage(stage)) throw InputError(runName, 0, "its config has no stage \"" + stage + "\"");
  if (record->status == "finished") {
    const std::string next = stageAfter(request.config, stage);
    if (next.empty()) throw Error(runName + " (" + record->name + ") has finished, and its stage is the config's last: nothing to resume");
    request.point = {next, 0, ""};
    return request;
  }
  request.point = {stage, run, newestCheckpoint(request.config, stage, run, runName)};
  return request;
}

ResumeRequest resumePath(const std::string& path, store::Project* project) {
  fs::path checkpoint = fs::path(path).lexically_normal();
  if (checkpoint.filename().empty()) checkpoint = checkpoint.parent_path(); // a trailing '/'
  if (!fs::exists(checkpoint / kTrainerStateFile)) {
    const std::string name = checkpoint.filename().string();
    const CheckpointFolder folder(name.ends_with(".checkpoints") ? checkpoint.string() : CheckpointFolder::forStage(checkpoint.string()));
    const auto latest = folder.latest();
    if (!latest) throw InputError(path, 0, "no resumable checkpoint (expected " + folder.directory() + "/checkpoint-STEP)");
    checkpoint = *latest;
  }
  const TrainerState state = TrainerState::read(checkpoint.string());
  if (project && state.run > 0) return resumeRun(*project, state.run);
  const std::string source = (checkpoint / kTrainerStateFile).string();
  return {TrainConfig::fromJson(state.config, source, checkpoint.string()), {state.stage, 0, checkpoint.string()}};
}

} // namespace collab::train
