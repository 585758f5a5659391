#include "TrainCommand.h"

#include "ExitCodes.h"
#include "store/Project.h"
#include "train/TrainingRun.h"

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
  const nlohmann::json summary = {{"event", "check"}, {"ok", true}, {"name", config.name}, {"output", config.output},
                                  {"device", config.device}, {"stages", stages}};
  std::fputs((summary.dump() + "\n").c_str(), stdout);
  return exit_code::kOk;
}

} // namespace

CLI::App* TrainCommand::addTo(CLI::App& app) {
  auto* command = app.add_subcommand("train", "Train a policy from a config (JSON); progress as JSON lines on stdout");
  command->add_option("--config", config_, "Training config (see resources/presets/)")->required()->check(CLI::ExistingFile);
  command->add_option("--project", project_, "Project file that records the runs, metrics and checkpoints");
  command->add_flag("--check", check_, "Validate the config and print its stages as one JSON line; train nothing");
  return command;
}

int TrainCommand::run() {
  const train::TrainConfig config = train::TrainConfig::fromFile(config_);
  if (check_) return printSummary(config);
  std::unique_ptr<store::Project> project;
  if (!project_.empty()) project = std::make_unique<store::Project>(store::Project::open(project_));
  std::signal(SIGINT, requestStop);
  std::signal(SIGTERM, requestStop);
  train::runTraining(
      config, project.get(),
      [](const nlohmann::json& event) {
        std::fputs((event.dump() + "\n").c_str(), stdout);
        std::fflush(stdout);
      },
      [] { return stopRequested.load(); });
  return stopRequested ? exit_code::kStopped : exit_code::kOk;
}

} // namespace collab::cli
