#include "train/OnlineStages.h"

#include "common/Error.h"
#include "train/OnlineDpo.h"
#include "train/Ppo.h"
#include "train/ProcessGroup.h"

namespace collab::train {

namespace {

using nlohmann::json;

// The stage's reward, per task family (reward_preset and its overrides).
std::function<reward::RewardConfig(const std::string&)> rewardsOf(const StageConfig& stage) {
  return [&stage](const std::string& metric) { return stage.rewardFor(metric); };
}

OptimiserSettings optimiserFor(const StageConfig& stage) {
  OptimiserSettings o;
  o.learningRate = stage.learningRate;
  o.warmupSteps = stage.warmupSteps;
  o.weightDecay = stage.weightDecay;
  o.maxGradNorm = stage.maxGradNorm;
  o.epsilon = stage.adamEpsilon;
  return o;
}

// Round r draws the tasks of task seed + 2000 + r: neither SFT's (task seed) nor offline
// DPO's (+ 1000), and new ones every round.
policy::EpisodeSource roundSource(const TrainConfig& config, const StageConfig& stage, policy::EpisodeSource source) {
  source.taskSeed = config.taskSeed + 2000;
  source.tasksPerFamily = stage.pairTasksPerFamily;
  return source;
}

// Rounds announced and their sampling progress as events; a round's metrics stored with
// the run's steps.
RoundHooks roundHooks(const StageConfig& stage, const StageHooks& hooks) {
  RoundHooks r;
  r.onStep = hooks.step;
  r.stop = hooks.stop;
  const auto round = std::make_shared<int>(0);
  r.onRoundStart = [&stage, &hooks, round](int n) {
    *round = n;
    if (hooks.emit) hooks.emit({{"event", "round"}, {"stage", stage.name}, {"round", n}, {"rounds", stage.rounds}});
  };
  r.onProgress = [&stage, &hooks, round](std::size_t done, std::size_t total) {
    if (hooks.emit && (done % 20 == 0 || done == total))
      hooks.emit({{"event", "sampling"}, {"stage", stage.name}, {"round", *round}, {"done", done}, {"total", total}});
  };
  r.onRound = [&hooks](int, std::int64_t step, const std::map<std::string, double>& metrics) {
    if (hooks.step) hooks.step(step, metrics);
  };
  r.onRoundEnd = hooks.onRoundEnd;
  return r;
}

} // namespace

std::shared_ptr<model::CausalLmImpl> frozenCopy(model::CausalLmImpl& model) {
  auto copy = std::make_shared<model::CausalLmImpl>(model.config(), model::CausalLmImpl::Weights::Unset);
  at::NoGradGuard noGrad;
  auto target = copy->named_parameters();
  for (const auto& item : model.named_parameters()) target[item.key()].copy_(item.value());
  for (auto& p : copy->parameters()) p.set_requires_grad(false);
  copy->to(model.outputWeight().device());
  copy->eval();
  return copy;
}

std::int64_t runOnlineDpoStage(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                               model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                               const policy::EpisodeSource& source, const StageHooks& hooks) {
  OnlineDpoSettings s;
  s.rounds = stage.rounds;
  s.source = roundSource(config, stage, source);
  s.sampling.candidates = stage.candidates;
  s.sampling.rewardForMetric = rewardsOf(stage);
  s.minGap = stage.minGap;
  s.dpo = {stage.beta, stage.rpoAlpha};
  s.epochs = stage.epochs;
  s.batchSize = stage.batchSize;
  s.gradientAccumulationSteps = stage.gradientAccumulationSteps;
  s.group = defaultProcessGroup();
  s.optimiser = optimiserFor(stage);
  s.seed = config.seed;
  s.start = hooks.start;
  return trainOnlineDpo(policy, reference, tasks, s, roundHooks(stage, hooks));
}

std::int64_t runPpoStage(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                         model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                         const policy::EpisodeSource& source, const StageHooks& hooks) {
  if (const ProcessGroup* group = defaultProcessGroup())
    throw Error(group->environment().describe() + ": stage \"" + stage.name +
                "\" (ppo) cannot run data parallel yet: run it in one process (WORLD_SIZE unset or 1)");
  MrPpoSettings s;
  s.rounds = stage.rounds;
  s.source = roundSource(config, stage, source);
  s.sampling.candidates = stage.candidates;
  s.sampling.distinct = false;
  s.sampling.continueWith = policy::TurnSampling::Continue::First;
  s.sampling.rewardForMetric = rewardsOf(stage);
  s.ppo.klCoef = stage.klCoef;
  s.ppo.gamma = stage.gamma;
  s.ppo.lambda = stage.lam;
  s.ppo.clipRange = stage.clipRange;
  s.ppo.valueClipRange = stage.clipRangeValue;
  s.ppo.valueCoef = stage.vfCoef;
  s.ppo.temperature = stage.temperature;
  s.ppo.epochs = stage.epochs;
  s.ppo.batchSize = stage.batchSize;
  s.ppo.seed = config.seed;
  s.optimiser = optimiserFor(stage);
  s.seed = config.seed;
  s.start = hooks.start;
  return trainPpoOnMr(policy, reference, tasks, s, roundHooks(stage, hooks));
}

} // namespace collab::train
