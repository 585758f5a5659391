#include "TrainCommand.h"

#include "ExitCodes.h"
#include "store/Project.h"
#include "UsageError.h"
#include "train/ProcessGroup.h"
#include "train/ResumeRequest.h"
#include "train/TrainingRun.h"

#include <algorithm>
#include <optional>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>

namespace collab::cli {

namespace {

std::atomic<bool> stopRequested{false};

extern "C" void requestStop(int) { stopRequested = true; }

// What --check prints: enough for a launcher to show what would run.
int printSummary(const train::TrainConfig& config) {
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& stage : config.stages) stages.push_back({{"name", stage.name}, {"method", stage.method}, {"from", stage.from}});
  nlohmann::json summary = {{"event", "check"}, {"ok", true}, {"name", config.name}, {"output", config.output},
                            {"device", config.device}, {"stages", stages}};
  if (config.hf)
    summary["policy"] = {{"model", config.hf->model}, {"lora", config.hf->lora.has_value()}, {"dtype", config.dtype}};
  std::fputs((summary.dump() + "\n").c_str(), stdout);
  return exit_code::kOk;
}

// --resume RUN (all digits: a run id, which needs the project) or a path.
train::ResumeRequest resumeRequest(const std::string& target, store::Project* project) {
  const bool runId = !target.empty() && std::all_of(target.begin(), target.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!runId) return train::resumePath(target, project);
  if (!project) throw UsageError("train: --resume " + target + " names a run: --project is needed too");
  return train::resumeRun(*project, std::stoll(target));
}

} // namespace

CLI::App* TrainCommand::addTo(CLI::App& app) {
  auto* command = app.add_subcommand("train", "Train a policy from a config (JSON, or TOML for a .toml file); progress as JSON lines on stdout");
  auto* config = command->add_option("--config", config_, "Training config, JSON or TOML (see resources/presets/)")->check(CLI::ExistingFile);
  auto* resume = command->add_option("--resume", resume_,
                                     "Go on from the last checkpoint of a run: its id in --project, or OUTPUT/STAGE");
  config->excludes(resume);
  command->add_option("--project", project_, "Project file that records the runs, metrics and checkpoints");
  command->add_flag("--check", check_, "Validate the config and print its stages as one JSON line; train nothing");
  return command;
}

int TrainCommand::run() {
  if (config_.empty() && resume_.empty()) throw UsageError("train: --config or --resume is needed");
  std::unique_ptr<store::Project> project;
  if (!project_.empty()) project = std::make_unique<store::Project>(store::Project::open(project_));
  std::optional<train::ResumeRequest> resume;
  if (!resume_.empty()) resume = resumeRequest(resume_, project.get());
  const train::TrainConfig config = resume ? resume->config : train::TrainConfig::fromFile(config_);
  if (check_) return printSummary(config);
  // One rank of a data-parallel run when torchrun's variables say so; only rank 0 records
  // in the project and prints progress (the others read the project's data and report
  // errors on stderr).
  const auto environment = train::DistributedEnvironment::fromProcess();
  if (environment.distributed()) train::setDefaultProcessGroup(train::ProcessGroup::join(environment));
  const bool main = train::isMainProcess();
  std::signal(SIGINT, requestStop);
  std::signal(SIGTERM, requestStop);
  try {
    train::runTraining(
        config, project.get(),
        [main](const nlohmann::json& event) {
          if (!main) return;
          std::fputs((event.dump() + "\n").c_str(), stdout);
          std::fflush(stdout);
        },
        [] { return stopRequested.load(); }, resume ? &resume->point : nullptr);
  } catch (const std::exception&) {
    if (environment.distributed()) std::fprintf(stderr, "collab: train: %s failed:\n", environment.describe().c_str());
    throw;
  }
  return stopRequested ? exit_code::kStopped : exit_code::kOk;
}

} // namespace collab::cli
