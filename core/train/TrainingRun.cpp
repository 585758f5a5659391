#include "train/TrainingRun.h"

#include "common/Error.h"
#include "persona/DefaultPersonas.h"
#include "policy/ActPolicy.h"
#include "policy/PolicyData.h"
#include "store/Project.h"
#include "store/Transaction.h"
#include "train/CheckpointFolder.h"
#include "train/DataParallel.h"
#include "train/HfStages.h"
#include "train/OnlineStages.h"
#include "train/PreferenceFile.h"
#include "train/RecordedRunFields.h"
#include "train/ProcessGroup.h"
#include "train/StageCheckpoint.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
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
  loop.gradientAccumulationSteps = stage.gradientAccumulationSteps;
  loop.group = defaultProcessGroup();
  loop.seed = seed;
  loop.optimiser.learningRate = stage.learningRate;
  loop.optimiser.warmupSteps = stage.warmupSteps;
  loop.optimiser.weightDecay = stage.weightDecay;
  loop.optimiser.maxGradNorm = stage.maxGradNorm;
  loop.optimiser.epsilon = stage.adamEpsilon;
  loop.optimiser.totalSteps = stepsFor(examples, loop);
  return loop;
}

// One stage's bookkeeping: its run in the project and its progress events.
class StageLog {
public:
  // A new run, or the existing run `resumedRun` going on (the same run, so that the
  // dashboard draws one curve across the interruption).
  StageLog(const TrainConfig& config, const StageConfig& stage, store::Project* project, const ProgressSink& progress,
           std::int64_t resumedRun)
      : stage_(stage), project_(project), progress_(progress), run_(resumedRun) {
    json record = config.resolvedJson();
    record[kRecordedStage] = stage.name;
    // How many processes train it: a resume from the GUI starts as many (RunLauncher).
    const ProcessGroup* group = defaultProcessGroup();
    record[kRecordedWorldSize] = group ? group->size() : 1;
    if (project_) {
      if (!run_) run_ = project_->runs().create(config.name + "/" + stage.name, stage.runMethod(), record.dump());
      project_->runs().setStatus(run_, "running");
    }
    json event = {{"event", "stage_start"}, {"stage", stage.name}, {"method", stage.method}, {"run", run_}};
    if (resumedRun) event["resumed"] = true;
    emit(event);
  }

  std::int64_t run() const { return run_; }

  void step(std::int64_t step, std::map<std::string, double> metrics) {
    const double wall = now();
    // The same wall time as the stored rows, so that live plots and the project agree.
    json event = {{"event", "step"}, {"stage", stage_.name}, {"run", run_}, {"step", step}, {"wall_time", wall}};
    if (const double memory = residentMebibytes(); memory > 0.0) metrics["memory/rss_mib"] = memory;
    std::optional<store::Transaction> transaction; // one commit per step, not per metric
    if (project_) transaction.emplace(project_->database());
    for (const auto& [key, value] : metrics) {
      event[key] = value;
      // SQLite stores NaN as NULL, which run_metrics refuses: a non-finite metric (a
      // reward of a diverging run) is printed (as null) but not recorded.
      if (project_ && std::isfinite(value)) project_->runs().addMetric(run_, step, key, value, wall);
    }
    if (transaction) transaction->commit();
    emit(event);
  }
  void emit(json event) const {
    if (progress_) progress_(event);
  }
  // Going on from a resumable checkpoint: the steps after it are trained again.
  void resumed(std::int64_t step, const std::string& path) {
    if (project_) project_->runs().removeMetricsAfter(run_, step);
    emit({{"event", "resume"}, {"stage", stage_.name}, {"run", run_}, {"step", step}, {"path", path}});
  }
  // A resumable checkpoint (not recorded in the project: only the newest is kept on disk).
  void resumePoint(std::int64_t step, const std::string& path, double seconds) {
    emit({{"event", "resume_point"}, {"stage", stage_.name}, {"run", run_}, {"step", step}, {"path", path}, {"seconds", seconds}});
  }
  // The stage's final checkpoint (HF layout), replacing any the run recorded at this path.
  void checkpoint(std::int64_t step, const std::string& path) {
    if (project_) {
      project_->runs().removeCheckpoints(run_, path);
      project_->runs().addCheckpoint({0, run_, step, path, "{}"});
    }
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

ModelSaver saverOf(const policy::ActPolicy& policy) {
  return [&policy](const std::string& directory) { policy.save(directory); };
}

// A stage's resumable checkpoints: the state read back when the stage resumes, and the
// loop's checkpoint callback that writes them.
class StageCheckpoints {
public:
  StageCheckpoints(const TrainConfig& config, const StageConfig& stage, StageLog& log, const std::string& resumeFrom)
      : config_(config), stage_(stage), log_(log),
        folder_(CheckpointFolder::forStage((fs::path(config.output) / stage.name).string())), from_(resumeFrom) {
    // Only one process writes the folder (rank 0 of a data-parallel run).
    if (from_.empty()) {
      if (isMainProcess()) folder_.clear(); // a stage that starts over must never resume an older run's state
      return;
    }
    if (isMainProcess()) folder_.removeDebris();
    state_ = TrainerState::read(from_);
    if (state_->stage != stage.name)
      throw Error(from_ + ": a checkpoint of stage \"" + state_->stage + "\", not \"" + stage.name + "\"");
  }

  bool resuming() const { return state_.has_value(); }
  const std::string& from() const { return from_; }
  const CheckpointFolder& folder() const { return folder_; }

  // Sets the loop's checkpoints, and its start when resuming (after checking that the
  // data are those the checkpoint was trained on).
  void attach(LoopSettings& loop, const ModelSaver& save, std::size_t examples) {
    const std::int64_t maxSteps = stepsFor(examples, loop);
    if (state_) {
      if (state_->online)
        throw Error(from_ + ": a checkpoint of an online stage's rounds, not of stage \"" + stage_.name + "\"'s loop");
      if (state_->examples != examples || state_->maxSteps != maxSteps)
        throw Error(from_ + ": trained on " + std::to_string(state_->examples) + " examples in " +
                    std::to_string(state_->maxSteps) + " steps, but the stage now has " + std::to_string(examples) +
                    " examples in " + std::to_string(maxSteps) + " steps: not the same data or config");
      loop.start = state_->position;
      loop.optimiserState = (fs::path(from_) / kOptimiserStateFile).string();
      log_.resumed(state_->position.step, from_);
    }
    loop.checkpointEvery = stage_.checkpointEvery;
    loop.onCheckpoint = [this, save, examples, maxSteps](const LoopPosition& position, const Optimiser& optimiser) {
      const auto started = std::chrono::steady_clock::now();
      const TrainerState state{stage_.name, log_.run(), position, maxSteps, examples, config_.resolvedJson(), {}};
      const std::string path = writeStageCheckpoint(folder_, save, optimiser, state);
      log_.resumePoint(position.step, path, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
  }

  // The same for an online stage's rounds: where they go on from when resuming (after
  // checking that the reference is the one they started with), and a checkpoint at each
  // round boundary whose round reached a multiple of checkpoint_every steps (a round is
  // what an online stage resumes from), after the last round and when a stop ends them.
  void attachRounds(StageHooks& hooks, const policy::ActPolicy& policy, std::uint64_t reference) {
    if (state_) {
      if (!state_->online)
        throw Error(from_ + "/" + kTrainerStateFile + ": online: missing (a checkpoint of an SFT or DPO loop, not of \"" +
                    stage_.name + "\"'s rounds)");
      if (state_->online->referenceFingerprint != reference)
        throw Error(from_ + ": the stage's starting weights (" + stage_.from + ", its reference) are not those it started with: "
                    "trained again since? Run the stage again from its start");
      hooks.start = {state_->online->done, state_->position.step, state_->online->sampleCalls, from_};
      savedRound_ = state_->online->done;
      savedStep_ = state_->position.step;
      log_.resumed(state_->position.step, from_);
    }
    hooks.onRoundEnd = [this, &policy, reference](const RoundBoundary& boundary, bool last) {
      const std::int64_t every = stage_.checkpointEvery;
      if (boundary.round == savedRound_ || (!last && boundary.steps / every == savedStep_ / every)) return;
      savedRound_ = boundary.round;
      savedStep_ = boundary.steps;
      if (!isMainProcess()) return; // the other ranks hold the same state
      const auto started = std::chrono::steady_clock::now();
      TrainerState state{stage_.name, log_.run(), {boundary.steps, 0, 0}, 0, 0, config_.resolvedJson(), {}};
      state.online = TrainerState::Rounds{boundary.round, boundary.sampleCalls, reference};
      const std::string path = writeStageCheckpoint(folder_, saverOf(policy), boundary.saveTrainer, state);
      log_.resumePoint(boundary.steps, path, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
  }

private:
  const TrainConfig& config_;
  const StageConfig& stage_;
  StageLog& log_;
  CheckpointFolder folder_;
  std::string from_;
  std::optional<TrainerState> state_;
  int savedRound_ = 0;         // the newest round boundary checkpointed (or resumed from)
  std::int64_t savedStep_ = 0; // and its step
};

// A Hugging Face stage's view of the run around it (HfStages.h).
HfStageContext hfContext(const TrainConfig& config, const StageConfig& stage, store::Project* project, StageLog& log,
                         StageCheckpoints& checkpoints, const StopRequested& stop) {
  HfStageContext context;
  context.hooks = {[&log](std::int64_t step, const auto& metrics) { log.step(step, metrics); },
                   [&log](const json& event) { log.emit(event); }, stop, {}, {}};
  context.project = project;
  context.resumeFrom = checkpoints.resuming() ? checkpoints.from() : "";
  context.checkpointFolder = checkpoints.folder().directory();
  context.loopFor = [&config, &stage](std::size_t examples) { return loopFor(stage, examples, config.seed); };
  context.attachCheckpoints = [&checkpoints](LoopSettings& loop, const ModelSaver& save, std::size_t examples) {
    checkpoints.attach(loop, save, examples);
  };
  return context;
}

model::SamplingParams samplingFor(const StageConfig& stage) {
  model::SamplingParams sampling;
  sampling.temperature = stage.temperature;
  return sampling;
}

// The policy a stage starts from: fresh weights, or an earlier stage's.
policy::ActPolicy freshPolicy(const TrainConfig& config, const StageConfig& stage, const task::TaskRegistry& tasks,
                              const policy::EpisodeSource& source) {
  if (stage.from != "init")
    return policy::ActPolicy::load((fs::path(config.output) / stage.from).string(), tasks, samplingFor(stage), config.seed);
  policy::ActVocabulary vocabulary = policy::vocabularyFor(tasks, source, config.seed);
  auto model = std::make_shared<model::CausalLmImpl>(policy::builtinPolicyConfig(vocabulary.size()));
  model->initialiseRandomly(config.seed);
  return policy::ActPolicy(model, std::move(vocabulary), tasks, samplingFor(stage), config.seed);
}

// The policy a stage trains: the one it starts from, or its checkpoint's when it resumes.
policy::ActPolicy startingPolicy(const TrainConfig& config, const StageConfig& stage, const task::TaskRegistry& tasks,
                                 const policy::EpisodeSource& source, const StageCheckpoints& checkpoints) {
  if (checkpoints.resuming()) return policy::ActPolicy::load(checkpoints.from(), tasks, samplingFor(stage), config.seed);
  return freshPolicy(config, stage, tasks, source);
}

std::int64_t runSft(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                    const task::TaskRegistry& tasks, const policy::EpisodeSource& source, StageLog& log,
                    StageCheckpoints& checkpoints, const StopRequested& stop) {
  const auto data = policy::scriptedSftData(tasks, source, policy.vocabulary(), config.seed);
  log.emit({{"event", "data"}, {"stage", stage.name}, {"sequences", data.size()}});
  LoopSettings loop = loopFor(stage, data.size(), config.seed);
  checkpoints.attach(loop, saverOf(policy), data.size());
  std::int64_t steps = loop.start.step;
  trainSft(policy.model(), data, loop, [&](std::int64_t step, const auto& metrics) { log.step(steps = step, metrics); }, stop);
  return steps;
}

// The stage's pairs, ranked by MR along conversations with the starting policy, and the
// reference's log-probabilities of them (the reference is that same starting policy).
PreferenceData buildPreferences(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                                const task::TaskRegistry& tasks, const policy::EpisodeSource& source, StageLog& log) {
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
  PreferenceData data;
  double gap = 0.0;
  std::map<std::string, int> chosenActs, rejectedActs; // what the rewards prefer, by act kind
  for (const auto& p : pairs) {
    data.pairs.push_back({p.prompt, p.chosen, p.rejected});
    gap += p.chosenScore - p.rejectedScore;
    ++chosenActs[policy.vocabulary().word(p.chosen.front())];
    ++rejectedActs[policy.vocabulary().word(p.rejected.front())];
  }
  data.summary = {{"event", "data"}, {"stage", stage.name}, {"pairs", data.pairs.size()},
                  {"mean_gap", data.pairs.empty() ? 0.0 : gap / static_cast<double>(data.pairs.size())},
                  {"chosen_acts", chosenActs}, {"rejected_acts", rejectedActs}};
  // The policy has not been trained yet: it is the frozen reference, no copy needed.
  if (!data.pairs.empty()) data.reference = referenceLogProbs(policy.model(), data.pairs);
  return data;
}

std::int64_t runDpo(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                    const task::TaskRegistry& tasks, const policy::EpisodeSource& source, StageLog& log,
                    StageCheckpoints& checkpoints, const StopRequested& stop) {
  const std::string file = (fs::path(checkpoints.folder().directory()) / kPreferenceFile).string();
  PreferenceData data;
  if (checkpoints.resuming()) {
    data = readPreferenceData(file);
  } else {
    data = buildPreferences(config, stage, policy, tasks, source, log);
    fs::create_directories(checkpoints.folder().directory());
    if (!data.pairs.empty() && isMainProcess()) writePreferenceData(file, data);
  }
  log.emit(data.summary);
  LoopSettings loop = loopFor(stage, data.pairs.size(), config.seed);
  if (data.pairs.empty()) throw Error("no preference pairs to train on");
  checkpoints.attach(loop, saverOf(policy), data.pairs.size());
  std::int64_t steps = loop.start.step;
  trainDpo(policy.model(), data.reference, data.pairs, {stage.beta, stage.rpoAlpha}, loop,
           [&](std::int64_t step, const auto& metrics) { log.step(steps = step, metrics); }, stop);
  return steps;
}

// An online DPO or PPO stage, from its start or from a round boundary's checkpoint.
std::int64_t runOnline(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                       const task::TaskRegistry& tasks, const policy::EpisodeSource& source, StageHooks hooks,
                       StageCheckpoints& checkpoints) {
  // The reference is the stage's starting policy: a resumed stage reads it again from
  // where the stage started (its fingerprint, kept in the checkpoint, says it is the same).
  const auto reference = frozenCopy(checkpoints.resuming() ? freshPolicy(config, stage, tasks, source).model() : policy.model());
  checkpoints.attachRounds(hooks, policy, fingerprintOf(reference->parameters()));
  return stage.method == "ppo" ? runPpoStage(config, stage, policy, *reference, tasks, source, hooks)
                               : runOnlineDpoStage(config, stage, policy, *reference, tasks, source, hooks);
}

// One stage, from its start or from `resume`'s checkpoint. Returns false when a stop
// request ended it.
bool runStage(const TrainConfig& config, const StageConfig& stage, const task::TaskRegistry& tasks,
              const policy::EpisodeSource& source, store::Project* project, const ProgressSink& progress,
              const StopRequested& stop, const ResumePoint* resume) {
  // Every rank reads the project (project_data); only the main process records in it.
  StageLog log(config, stage, isMainProcess() ? project : nullptr, progress, resume ? resume->run : 0);
  try {
    StageCheckpoints checkpoints(config, stage, log, resume ? resume->checkpoint : "");
    const std::string path = (fs::path(config.output) / stage.name).string();
    std::int64_t steps = 0;
    if (config.hf) {
      steps = runHfStage(config, stage, hfContext(config, stage, project, log, checkpoints, stop), path);
    } else {
      policy::ActPolicy policy = startingPolicy(config, stage, tasks, source, checkpoints);
      policy.model().setGradientCheckpointing(stage.gradientCheckpointing);
      const StageHooks hooks{[&](std::int64_t step, const auto& metrics) { log.step(step, metrics); },
                             [&](const json& event) { log.emit(event); }, stop, {}, {}};
      const bool online = stage.method == "online-dpo" || stage.method == "ppo";
      steps = stage.method == "sft" ? runSft(config, stage, policy, tasks, source, log, checkpoints, stop)
              : online              ? runOnline(config, stage, policy, tasks, source, hooks, checkpoints)
                                    : runDpo(config, stage, policy, tasks, source, log, checkpoints, stop);
      if (isMainProcess()) policy.save(path);
    }
    // The other ranks go on once it is written: a later stage starts from it.
    if (ProcessGroup* group = defaultProcessGroup()) group->barrier("stage " + stage.name + " saved");
    log.checkpoint(steps, path);
    if (stop && stop()) {
      log.finish("stopped", "stop requested");
      return false;
    }
    log.finish("finished");
    return true;
  } catch (const std::exception& e) {
    log.finish("failed", e.what());
    throw;
  }
}

} // namespace

void runTraining(const TrainConfig& config, store::Project* project, const ProgressSink& progress,
                 const StopRequested& stop, const ResumePoint* resume) {
  if (resume && !config.stage(resume->stage))
    throw Error("cannot resume stage \"" + resume->stage + "\": the config has no such stage");
  const task::TaskRegistry tasks;
  const policy::EpisodeSource source = sourceFor(config, config.tasksPerFamily);
  fs::create_directories(config.output);
  bool reached = resume == nullptr;
  for (const auto& stage : config.stages) {
    const bool resumed = !reached && stage.name == resume->stage;
    reached = reached || resumed;
    if (!reached) continue;
    if (!runStage(config, stage, tasks, source, project, progress, stop, resumed ? resume : nullptr)) return;
  }
}

} // namespace collab::train
