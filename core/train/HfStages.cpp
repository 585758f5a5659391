#include "train/HfStages.h"

#include "common/Error.h"
#include "common/Seeds.h"
#include "model/Autocast.h"
#include "train/ChatTokenization.h"
#include "train/ConversationData.h"
#include "train/HfPolicy.h"
#include "train/PreferenceFile.h"
#include "train/ProcessGroup.h"
#include "train/RankDevice.h"

#include <filesystem>

namespace collab::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

store::Project& projectFor(const StageConfig& stage, const HfStageContext& context) {
  if (!context.project)
    throw Error("stage \"" + stage.name + "\" trains on the project's data (project_data): run with --project");
  return *context.project;
}

// Full fine-tuning on CUDA in bf16: float32 weights, each forward pass under autocast
// (the trainers scope it to the forward pass and loss of one micro-batch).
model::AutocastSettings autocastFor(const HfPolicy& policy) {
  return {policy.needsAutocast(), at::kCUDA, policy.computeType()};
}

// LoRA dropout draws from the global generator: seeding it from (seed, step) before each
// step makes the draws a function of the step, so a resumed run repeats the interrupted
// one's. The trainers report a step after its update, which is when the next step's seed
// is set. In a data-parallel run the rank is mixed in too: with one seed, every rank would
// draw the same masks for its share of the batch.
void seedStep(std::uint64_t seed, std::int64_t step) {
  const std::uint64_t stepSeed = mixSeed(seed, static_cast<std::uint64_t>(step));
  const ProcessGroup* group = defaultProcessGroup();
  at::manual_seed(group ? mixSeed(stepSeed, static_cast<std::uint64_t>(group->rank())) : stepSeed);
}

MetricsCallback seededSteps(const MetricsCallback& report, std::uint64_t seed) {
  return [report, seed](std::int64_t step, const std::map<std::string, double>& metrics) {
    seedStep(seed, step);
    if (report) report(step, metrics);
  };
}

std::int64_t trainConversations(const TrainConfig& config, const StageConfig& stage, HfPolicy& policy,
                                const HfStageContext& context) {
  std::vector<SftConversation> rows;
  if (!stage.data.empty()) rows = readSftFile(stage.data);
  const std::size_t fromFile = rows.size();
  if (stage.projectData)
    for (auto& c : projectConversations(projectFor(stage, context))) rows.push_back(std::move(c));
  const ChatTokenization tokens(policy.chatFormat(), policy.tokenizer(), static_cast<std::size_t>(config.hf->maxLength));
  std::vector<TokenSequence> data;
  double targets = 0.0;
  for (const auto& row : rows)
    if (auto sequence = tokens.sft(row)) {
      for (std::size_t t = 1; t < sequence->target.size(); ++t) targets += sequence->target[t];
      data.push_back(std::move(*sequence));
    }
  context.hooks.emit({{"event", "data"}, {"stage", stage.name}, {"sequences", data.size()}, {"from_file", fromFile},
                      {"from_project", rows.size() - fromFile}, {"without_assistant_tokens", rows.size() - data.size()},
                      {"assistant_tokens", targets}});
  if (data.empty()) throw Error("stage \"" + stage.name + "\": no conversation with an assistant token to train on");
  LoopSettings loop = context.loopFor(data.size());
  context.attachCheckpoints(loop, [&policy](const std::string& d) { policy.saveForResume(d); }, data.size());
  loop.autocast = autocastFor(policy);
  std::int64_t steps = loop.start.step;
  seedStep(config.seed, steps);
  trainSft(policy.model(), data, loop,
           seededSteps([&](std::int64_t step, const auto& metrics) { context.hooks.step(steps = step, metrics); }, config.seed),
           context.hooks.stop);
  return steps;
}

PreferenceData buildPreferences(const TrainConfig& config, const StageConfig& stage, HfPolicy& policy,
                                const HfStageContext& context) {
  std::vector<PreferenceConversation> rows;
  if (!stage.data.empty()) rows = readPreferenceFile(stage.data);
  const std::size_t fromFile = rows.size();
  if (stage.projectData)
    for (auto& p : projectPreferences(projectFor(stage, context), stage.minGap, stage.humanPreferences)) rows.push_back(std::move(p));
  const ChatTokenization tokens(policy.chatFormat(), policy.tokenizer(), static_cast<std::size_t>(config.hf->maxLength));
  PreferenceData data;
  for (const auto& row : rows) data.pairs.push_back(tokens.preference(row));
  data.summary = {{"event", "data"}, {"stage", stage.name}, {"pairs", data.pairs.size()}, {"from_file", fromFile},
                  {"from_project", rows.size() - fromFile}};
  // Not trained yet: the policy is the reference (with a fresh adapter, exactly the base).
  // A batch of the stage's size at a time: the trainers' default chunk of 64 pairs would not
  // fit a GPU with a large model.
  if (!data.pairs.empty())
    data.reference = referenceLogProbs(policy.model(), data.pairs, autocastFor(policy), static_cast<std::size_t>(stage.batchSize));
  return data;
}

std::int64_t trainPreferences(const TrainConfig& config, const StageConfig& stage, HfPolicy& policy,
                              const HfStageContext& context) {
  const std::string file = (fs::path(context.checkpointFolder) / kPreferenceFile).string();
  PreferenceData data;
  if (!context.resumeFrom.empty()) {
    data = readPreferenceData(file);
  } else {
    data = buildPreferences(config, stage, policy, context);
    fs::create_directories(context.checkpointFolder);
    if (!data.pairs.empty() && isMainProcess()) writePreferenceData(file, data);
  }
  context.hooks.emit(data.summary);
  if (data.pairs.empty()) throw Error("stage \"" + stage.name + "\": no preference pairs to train on");
  LoopSettings loop = context.loopFor(data.pairs.size());
  context.attachCheckpoints(loop, [&policy](const std::string& d) { policy.saveForResume(d); }, data.pairs.size());
  loop.autocast = autocastFor(policy);
  std::int64_t steps = loop.start.step;
  seedStep(config.seed, steps);
  trainDpo(policy.model(), data.reference, data.pairs, {stage.beta, stage.rpoAlpha}, loop,
           seededSteps([&](std::int64_t step, const auto& metrics) { context.hooks.step(steps = step, metrics); }, config.seed),
           context.hooks.stop);
  return steps;
}

} // namespace

std::int64_t runHfStage(const TrainConfig& config, const StageConfig& stage, const HfStageContext& context,
                        const std::string& finalDirectory) {
  if (!config.hf) throw Error("runHfStage: the config's policy is not a Hugging Face checkpoint");
  const std::string deviceName = thisRanksDevice(config.device);
  const model::DeviceSettings device = model::DeviceSettings::parse(deviceName, config.dtype);
  makeCurrentDevice(deviceName);
  const std::string from = !context.resumeFrom.empty() ? context.resumeFrom
                           : stage.from == "init"     ? ""
                                                      : (fs::path(config.output) / stage.from).string();
  HfPolicy policy = HfPolicy::load(*config.hf, device, from, mixSeed(config.seed, 1));
  policy.model().setGradientCheckpointing(stage.gradientCheckpointing);
  const std::int64_t steps = stage.method == "sft" ? trainConversations(config, stage, policy, context)
                                                   : trainPreferences(config, stage, policy, context);
  if (isMainProcess()) policy.save(finalDirectory);
  return steps;
}

} // namespace collab::train
