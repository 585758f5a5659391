#include "EvalCommand.h"

#include "ExitCodes.h"
#include "UsageError.h"
#include "persona/DefaultPersonas.h"
#include "policy/ActPolicy.h"
#include "policy/Evaluation.h"

#include <cstdio>
#include <filesystem>

namespace collab::cli {

CLI::App* EvalCommand::addTo(CLI::App& app) {
  auto* command = app.add_subcommand("eval", "Evaluate checkpoints on held-out tasks with simulated users");
  command->add_option("--checkpoint", checkpoints_, "Checkpoint folder (repeat to compare)")->required()->check(CLI::ExistingDirectory);
  command->add_option("--families", families_, "Task families")->capture_default_str();
  command->add_option("--tasks", tasks_, "Test tasks per family")->capture_default_str();
  command->add_option("--personas", personas_, "Folder of persona files for the simulated users")->check(CLI::ExistingDirectory);
  command->add_option("--seed", seed_, "Seed of the simulated conversations")->capture_default_str();
  command->add_option("--task-seed", taskSeed_, "Seed of the task set")->capture_default_str();
  command->add_option("--window", window_, "MR window (exchanges)")->capture_default_str();
  command->add_option("--samples", samples_, "MR samples per turn")->capture_default_str();
  command->add_option("--lambda", lambda_, "Token penalty per token in MR")->capture_default_str();
  command->add_option("--temperature", temperature_, "Policy sampling temperature")->capture_default_str();
  command->add_option("--max-exchanges", maxExchanges_, "Assistant turns at most per conversation")->capture_default_str();
  command->add_flag("--no-mr", noMr_, "Skip the per-turn MR column (faster)");
  command->add_option("--show", show_, "Print the first N conversations of each checkpoint to stderr");
  command->add_option("--format", format_, "Table format")->check(CLI::IsMember({"text", "markdown", "csv"}))->capture_default_str();
  command->add_option("--baseline", baseline_,
                      "Checkpoint the others are compared with, conversation by conversation (default: the first)");
  return command;
}

namespace {

// The row of --baseline: a checkpoint given with --checkpoint, by its path or its name.
std::size_t baselineRow(const std::vector<std::string>& checkpoints, const std::vector<policy::EvaluationRow>& rows,
                        const std::string& baseline) {
  if (baseline.empty()) return 0;
  const auto normal = [](const std::string& path) { return std::filesystem::path(path).lexically_normal().string(); };
  for (std::size_t i = 0; i < checkpoints.size(); ++i)
    if (normal(checkpoints[i]) == normal(baseline) || rows[i].name == baseline) return i;
  throw UsageError("--baseline: \"" + baseline + "\" is not one of the --checkpoint folders");
}

} // namespace

int EvalCommand::run() {
  const task::TaskRegistry tasks;
  policy::EvaluationSettings settings;
  settings.source.families = families_;
  settings.source.split = "test";
  settings.source.taskSeed = taskSeed_;
  settings.source.tasksPerFamily = tasks_;
  settings.source.maxExchanges = maxExchanges_;
  if (!personas_.empty())
    for (const auto& p : persona::loadDefaultPersonas(personas_)) settings.source.personas.push_back(p.traits);
  settings.reward.window = window_;
  settings.reward.samples = samples_;
  settings.reward.tokenLambda = lambda_;
  settings.withMr = !noMr_;

  model::SamplingParams sampling;
  sampling.temperature = temperature_;
  std::vector<policy::EvaluationRow> rows;
  for (const auto& checkpoint : checkpoints_) {
    policy::ActPolicy policy = policy::ActPolicy::load(checkpoint, tasks, sampling, seed_);
    int shown = 0;
    settings.onConversation = [&](const task::TaskInstance& task, const conversation::Messages& messages, double score) {
      if (shown++ >= show_) return;
      std::fprintf(stderr, "--- %s, %s (task score %.3f)\n", checkpoint.c_str(), task.id.c_str(), score);
      for (const auto& m : messages)
        std::fprintf(stderr, "[%s] %s\n", std::string(conversation::toString(m.role)).c_str(), m.content.c_str());
    };
    const std::string name = std::filesystem::path(checkpoint).lexically_normal().filename().string();
    rows.push_back(policy::evaluatePolicy(tasks, policy, name.empty() ? checkpoint : name, settings, seed_));
    std::fprintf(stderr, "evaluated %s\n", checkpoint.c_str());
  }
  const auto format = format_ == "csv" ? policy::TableFormat::Csv
                      : format_ == "markdown" ? policy::TableFormat::Markdown
                                              : policy::TableFormat::Text;
  std::fputs(policy::formatEvaluation(rows, "task", format).c_str(), stdout);
  const std::size_t baseline = baselineRow(checkpoints_, rows, baseline_);
  if (const std::string paired = policy::formatPairedDifferences(rows, baseline, "task", format); !paired.empty())
    std::fputs(("\n" + paired).c_str(), stdout);
  return exit_code::kOk;
}

} // namespace collab::cli
