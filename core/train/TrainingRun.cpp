#include "train/TrainingRun.h"

#include "common/Error.h"
#include "persona/DefaultPersonas.h"
#include "policy/ActPolicy.h"
#include "policy/PolicyData.h"
#include "store/Project.h"
#include "train/OnlineStages.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace collab::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The process's resident memory in MiB (Linux /proc; 0 elsewhere): plotted beside the
// loss so that a leak or an oversized batch shows while the run goes.
double residentMebibytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = 0.0, resident = 0.0;
  if (!(statm >> pages >> resident)) return 0.0;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

policy::EpisodeSource sourceFor(const TrainConfig& config, std::size_t tasksPerFamily) {
  policy::EpisodeSource source;
  source.families = config.families;
  source.split = "train";
  source.taskSeed = config.taskSeed;
  source.tasksPerFamily = tasksPerFamily;
  source.maxExchanges = config.maxExchanges;
  if (!config.personas.empty())
    for (const auto& p : persona::loadDefaultPersonas(config.personas)) source.personas.push_back(p.traits);
  return source;
}

LoopSettings loopFor(const StageConfig& stage, std::size_t examples, std::uint64_t seed) {
  LoopSettings loop;
  loop.epochs = stage.epochs;
  loop.batchSize = stage.batchSize;
  loop.seed = seed;
  loop.optimiser.learningRate = stage.learningRate;
  loop.optimiser.warmupSteps = stage.warmupSteps;
  loop.optimiser.weightDecay = stage.weightDecay;
  loop.optimiser.maxGradNorm = stage.maxGradNorm;
  loop.optimiser.totalSteps = stepsFor(examples, loop);
  return loop;
}

// One stage's bookkeeping: its run in the project and its progress events.
class StageLog {
public:
  StageLog(const TrainConfig& config, const StageConfig& stage, store::Project* project, const ProgressSink& progress)
      : stage_(stage), project_(project), progress_(progress) {
    json record = config.original;
    record["stage"] = stage.name;
    if (project_) {
      run_ = project_->runs().create(config.name + "/" + stage.name, stage.runMethod(), record.dump());
      project_->runs().setStatus(run_, "running");
    }
    emit({{"event", "stage_start"}, {"stage", stage.name}, {"method", stage.method}, {"run", run_}});
  }

  void step(std::int64_t step, std::map<std::string, double> metrics) {
    const double wall = now();
    // The same wall time as the stored rows, so that live plots and the project agree.
    json event = {{"event", "step"}, {"stage", stage_.name}, {"run", run_}, {"step", step}, {"wall_time", wall}};
    if (const double memory = residentMebibytes(); memory > 0.0) metrics["memory/rss_mib"] = memory;
    for (const auto& [key, value] : metrics) {
      event[key] = value;
      if (project_) project_->runs().addMetric(run_, step, key, value, wall);
    }
    emit(event);
  }
  void emit(json event) const {
    if (progress_) progress_(event);
  }
  void checkpoint(std::int64_t step, const std::string& path) {
    if (project_) project_->runs().addCheckpoint({0, run_, step, path, "{}"});
    emit({{"event", "checkpoint"}, {"stage", stage_.name}, {"run", run_}, {"step", step}, {"path", path}});
  }
  void finish(const std::string& status, const std::string& reason = "") {
    if (project_) project_->runs().setStatus(run_, status, reason);
    json event = {{"event", "stage_end"}, {"stage", stage_.name}, {"run", run_}, {"status", status}};
    if (!reason.empty()) event["reason"] = reason;
    emit(event);
  }

private:
  const StageConfig& stage_;
  store::Project* project_;
  ProgressSink progress_;
  std::int64_t run_ = 0;
};

policy::ActPolicy startingPolicy(const TrainConfig& config, const StageConfig& stage, const task::TaskRegistry& tasks,
                                 const policy::EpisodeSource& source) {
  model::SamplingParams sampling;
  sampling.temperature = stage.temperature;
  if (stage.from != "init")
    return policy::ActPolicy::load((fs::path(config.output) / stage.from).string(), tasks, sampling, config.seed);
  policy::ActVocabulary vocabulary = policy::vocabularyFor(tasks, source, config.seed);
  auto model = std::make_shared<model::CausalLmImpl>(policy::builtinPolicyConfig(vocabulary.size()));
  model->initialiseRandomly(config.seed);
  return policy::ActPolicy(model, std::move(vocabulary), tasks, sampling, config.seed);
}

std::int64_t runSft(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                    const task::TaskRegistry& tasks, const policy::EpisodeSource& source, StageLog& log,
                    const StopRequested& stop) {
  const auto data = policy::scriptedSftData(tasks, source, policy.vocabulary(), config.seed);
  log.emit({{"event", "data"}, {"stage", stage.name}, {"sequences", data.size()}});
  std::int64_t steps = 0;
  trainSft(policy.model(), data, loopFor(stage, data.size(), config.seed),
           [&](std::int64_t step, const auto& metrics) { log.step(steps = step, metrics); }, stop);
  return steps;
}

std::int64_t runDpo(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                    const task::TaskRegistry& tasks, const policy::EpisodeSource& source, StageLog& log,
                    const StopRequested& stop) {
  policy::PairSettings settings;
  settings.candidates = stage.candidates;
  settings.minGap = stage.minGap;
  settings.rewardForMetric = [&stage](const std::string& metric) { return stage.rewardFor(metric); };
  // Pairs come from tasks the SFT stage did not see (indices after its own).
  policy::EpisodeSource pairSource = source;
  pairSource.taskSeed = config.taskSeed + 1000;
  pairSource.tasksPerFamily = stage.pairTasksPerFamily;
  const auto pairs = policy::mrPreferencePairs(tasks, pairSource, policy, settings, config.seed + 17,
                                               [&](std::size_t done, std::size_t total) {
                                                 if (done % 20 == 0 || done == total)
                                                   log.emit({{"event", "pairs"}, {"stage", stage.name}, {"done", done}, {"total", total}});
                                               });
  std::vector<PreferenceExample> examples;
  double gap = 0.0;
  std::map<std::string, int> chosenActs, rejectedActs; // what the rewards prefer, by act kind
  for (const auto& p : pairs) {
    examples.push_back({p.prompt, p.chosen, p.rejected});
    gap += p.chosenScore - p.rejectedScore;
    ++chosenActs[policy.vocabulary().word(p.chosen.front())];
    ++rejectedActs[policy.vocabulary().word(p.rejected.front())];
  }
  log.emit({{"event", "data"}, {"stage", stage.name}, {"pairs", examples.size()},
            {"mean_gap", examples.empty() ? 0.0 : gap / static_cast<double>(examples.size())},
            {"chosen_acts", chosenActs}, {"rejected_acts", rejectedActs}});
  // The reference is the starting policy, frozen: a copy of its weights.
  auto reference = std::make_shared<model::CausalLmImpl>(policy.model().config(), model::CausalLmImpl::Weights::Unset);
  {
    at::NoGradGuard noGrad;
    auto target = reference->named_parameters();
    for (const auto& item : policy.model().named_parameters()) target[item.key()].copy_(item.value());
  }
  std::int64_t steps = 0;
  trainDpo(policy.model(), *reference, examples, {stage.beta, stage.rpoAlpha}, loopFor(stage, examples.size(), config.seed),
           [&](std::int64_t step, const auto& metrics) { log.step(steps = step, metrics); }, stop);
  return steps;
}

} // namespace

void runTraining(const TrainConfig& config, store::Project* project, const ProgressSink& progress,
                 const StopRequested& stop) {
  const task::TaskRegistry tasks;
  const policy::EpisodeSource source = sourceFor(config, config.tasksPerFamily);
  fs::create_directories(config.output);
  for (const auto& stage : config.stages) {
    StageLog log(config, stage, project, progress);
    try {
      policy::ActPolicy policy = startingPolicy(config, stage, tasks, source);
      const StageHooks hooks{[&](std::int64_t step, const auto& metrics) { log.step(step, metrics); },
                             [&](const json& event) { log.emit(event); }, stop};
      const std::int64_t steps = stage.method == "sft"          ? runSft(config, stage, policy, tasks, source, log, stop)
                                 : stage.method == "online-dpo" ? runOnlineDpoStage(config, stage, policy, tasks, source, hooks)
                                 : stage.method == "ppo"        ? runPpoStage(config, stage, policy, tasks, source, hooks)
                                                                : runDpo(config, stage, policy, tasks, source, log, stop);
      const std::string path = (fs::path(config.output) / stage.name).string();
      policy.save(path);
      log.checkpoint(steps, path);
      if (stop && stop()) {
        log.finish("stopped", "stop requested");
        return;
      }
      log.finish("finished");
    } catch (const std::exception& e) {
      log.finish("failed", e.what());
      throw;
    }
  }
}

} // namespace collab::train
