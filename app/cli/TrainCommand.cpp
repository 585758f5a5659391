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

} // namespace

CLI::App* TrainCommand::addTo(CLI::App& app) {
  auto* command = app.add_subcommand("train", "Train a policy from a config (JSON); progress as JSON lines on stdout");
  command->add_option("--config", config_, "Training config (see resources/presets/)")->required()->check(CLI::ExistingFile);
  command->add_option("--project", project_, "Project file that records the runs, metrics and checkpoints");
  return command;
}

int TrainCommand::run() {
  const train::TrainConfig config = train::TrainConfig::fromFile(config_);
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
