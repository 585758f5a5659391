#include "simulate/ConversationSampler.h"

#include "common/Cancellation.h"
#include "reward/MultiturnReward.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "simulate/ScoredTreeWriter.h"
#include "store/Transaction.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace collab::simulate {

namespace {

using conversation::Messages;
using conversation::NodeId;
using conversation::Role;

struct Candidate {
  CandidateDraft draft;
  reward::MultiturnRewardEstimate mr;
  NodeId node = 0;
};

conversation::TreeId addTree(store::Project& project, const task::TaskFamily& family, const task::TaskInstance& task,
                             const SamplerSettings& settings) {
  store::TaskRecord taskRecord{0, family.name(), task.firstUserMessage, task.reference,
                               nlohmann::json{{"id", task.id}, {"goal", task.goalValues()}, {"metric", task.metric}}.dump(),
                               task.split};
  store::TreeRecord record;
  record.title = task.firstUserMessage;
  record.source = "simulate:" + family.name();
  record.externalId = settings.treeKey.empty() ? task.id : settings.treeKey;
  record.taskId = project.tasks().add(taskRecord);
  record.metadataJson = nlohmann::json{{"persona", settings.personaLabel}}.dump();
  return project.trees().add(record);
}

// The user's next turn comes from the best candidate's longest sampled future, as the
// reference implementation (v2) continues its datasets.
const Messages& longestFuture(const reward::MultiturnRewardEstimate& mr) {
  return std::max_element(mr.samples.begin(), mr.samples.end(), [](const auto& a, const auto& b) {
           return a.future.size() < b.future.size();
         })->future;
}

} // namespace

std::uint64_t simulatorSeed(std::uint64_t rewardSeed, std::size_t historySize, int sample) {
  return rewardSeed * 1000 + historySize * 10 + static_cast<std::uint64_t>(sample);
}

namespace {

// MR of each draft. Drafts that the same policy continues are scored together, so that
// their futures are played in one batch of rollouts.
std::vector<Candidate> scoreDrafts(const task::TaskFamily& family, const task::TaskInstance& task, const Messages& history,
                                   std::vector<CandidateDraft> drafts, const SeededSimulatorFactory& makeSimulator,
                                   const SamplerSettings& settings) {
  const reward::SimulatorFactory simulators = [&](int sample) {
    return makeSimulator(simulatorSeed(settings.reward.seed, history.size(), sample));
  };
  std::vector<Candidate> candidates;
  for (std::size_t first = 0; first < drafts.size();) {
    std::size_t end = first;
    std::vector<std::string> texts;
    while (end < drafts.size() && drafts[end].policy == drafts[first].policy) texts.push_back(drafts[end++].text);
    auto estimates = reward::estimateMultiturnRewards(family, task, history, texts, *drafts[first].policy, simulators,
                                                      settings.reward, settings.judges);
    for (std::size_t i = first; i < end; ++i) candidates.push_back({std::move(drafts[i]), std::move(estimates[i - first])});
    first = end;
  }
  return candidates;
}

} // namespace

SampledConversation sampleConversation(store::Project& project, const task::TaskFamily& family,
                                       const task::TaskInstance& task, const SamplerSettings& settings) {
  store::Transaction transaction(project.database());
  const conversation::TreeId tree = addTree(project, family, task, settings);
  ScoredTreeWriter writer(project, tree, "simulator:" + settings.simulatorKind + "/" + settings.personaLabel,
                          settings.reward.toJson());
  ScriptedCandidates scripted(family);
  CandidateSource& source = settings.candidates ? *settings.candidates : scripted;
  const SeededSimulatorFactory makeSimulator =
      settings.makeSimulator ? settings.makeSimulator : [&](std::uint64_t seed) -> std::unique_ptr<UserSimulator> {
    return std::make_unique<RuleBasedUserSimulator>(family, settings.traits, seed);
  };

  Messages history = {{Role::User, task.firstUserMessage}};
  NodeId last = writer.add(std::nullopt, history.back(), writer.simulatorAuthor());
  SampledConversation result{tree, 1, 0.0};
  while (static_cast<int>(history.size()) < settings.maxMessages) {
    throwIfCancelled();
    std::vector<Candidate> candidates = scoreDrafts(family, task, history, source.draft(task, history), makeSimulator, settings);
    for (Candidate& c : candidates) {
      c.node = writer.add(last, {Role::Assistant, c.draft.text}, c.draft.author);
      writer.addScores(c.node, c.mr);
      writer.addFutures(c.node, c.mr, c.draft.author);
    }
    const Candidate& best = *std::max_element(candidates.begin(), candidates.end(),
                                              [](const Candidate& a, const Candidate& b) { return a.mr.mean < b.mr.mean; });
    history.push_back({Role::Assistant, best.draft.text});
    last = best.node;
    ++result.turns;
    const Messages& future = longestFuture(best.mr);
    if (future.empty() || future.front().role != Role::User) break;
    history.push_back(future.front());
    last = writer.add(last, future.front(), writer.simulatorAuthor());
    ++result.turns;
    if (future.front().content.find(kTerminateChat) != std::string::npos) break;
  }
  result.finalTask = family.score(task, family.extractArtefact(history)).value;
  transaction.commit();
  return result;
}

} // namespace collab::simulate
