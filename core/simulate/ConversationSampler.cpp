#include "simulate/ConversationSampler.h"

#include "reward/MultiturnReward.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "simulate/ScriptedPolicy.h"
#include "store/Transaction.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <memory>

namespace collab::simulate {

namespace {

using Behaviour = ScriptedPolicy::Behaviour;
using conversation::Message;
using conversation::Messages;
using conversation::NodeId;
using conversation::Role;

constexpr std::array<std::pair<Behaviour, const char*>, 3> kBehaviours = {{
    {Behaviour::AnswerAtOnce, "answer-at-once"},
    {Behaviour::AskThenAnswer, "ask-then-answer"},
    {Behaviour::AskEverything, "ask-everything"},
}};

struct Candidate {
  std::string text;
  const char* behaviour;
  reward::MultiturnRewardEstimate mr;
  NodeId node = 0;
};

class TreeWriter {
public:
  TreeWriter(store::Project& project, conversation::TreeId tree, std::string simulatorAuthor, std::string configJson)
      : project_(project), tree_(tree), simulatorAuthor_(std::move(simulatorAuthor)), configJson_(std::move(configJson)) {}

  NodeId add(std::optional<NodeId> parent, const Message& message, const std::string& author,
             conversation::NodeKind kind = conversation::NodeKind::Turn, std::optional<int> sample = std::nullopt) {
    return project_.nodes().add(store::NewNode::of(tree_, parent, message, author, kind, sample));
  }

  void addScores(NodeId node, const reward::MultiturnRewardEstimate& mr) {
    auto samplesOf = [&](auto part) {
      std::vector<double> values;
      for (const auto& s : mr.samples) values.push_back(part(s.reward));
      return values;
    };
    score(node, "MR", mr.mean, mr.std, samplesOf([](const auto& r) { return r.total; }), "");
    score(node, "task", mr.task, std::nullopt, samplesOf([](const auto& r) { return r.task; }), "");
    score(node, "efficiency", mr.efficiency, std::nullopt, samplesOf([](const auto& r) { return r.efficiency; }), "");
    score(node, "interactivity", mr.interactivity, std::nullopt, samplesOf([](const auto& r) { return r.interactivity; }),
          mr.samples.empty() ? "" : mr.samples.front().reward.interactivityRationale);
  }

  // Each sampled future as a continuation chain below the candidate, with its own R*.
  void addFutures(NodeId candidate, const reward::MultiturnRewardEstimate& mr, const std::string& policyAuthor) {
    for (std::size_t s = 0; s < mr.samples.size(); ++s) {
      const auto& sample = mr.samples[s];
      std::optional<NodeId> parent = candidate, first;
      for (const auto& message : sample.future) {
        parent = add(parent, message, message.role == Role::User ? simulatorAuthor_ : policyAuthor,
                     conversation::NodeKind::Continuation, static_cast<int>(s));
        if (!first) first = parent;
      }
      if (first) score(*first, "R*", sample.reward.total, std::nullopt, {}, sample.reward.taskDetail);
    }
  }

private:
  void score(NodeId node, const std::string& kind, double value, std::optional<double> std, std::vector<double> samples,
             const std::string& rationale) {
    reward::Score s = reward::nodeScore(tree_, node, kind, value, configJson_);
    s.std = std;
    s.samples = std::move(samples);
    s.rationale = rationale;
    project_.scores().add(s);
  }

  store::Project& project_;
  conversation::TreeId tree_;
  std::string simulatorAuthor_;
  std::string configJson_; // the reward config, recorded with every score
};

} // namespace

SampledConversation sampleConversation(store::Project& project, const task::TaskFamily& family,
                                       const task::TaskInstance& task, const SamplerSettings& settings) {
  store::Transaction transaction(project.database());
  store::TaskRecord taskRecord{0, family.name(), task.firstUserMessage, task.reference,
                               nlohmann::json{{"id", task.id}, {"goal", task.goalValues()}, {"metric", task.metric}}.dump(),
                               task.split};
  store::TreeRecord record;
  record.title = task.firstUserMessage;
  record.source = "simulate:" + family.name();
  record.externalId = task.id;
  record.taskId = project.tasks().add(taskRecord);
  record.metadataJson = nlohmann::json{{"persona", settings.personaLabel}}.dump();
  const conversation::TreeId tree = project.trees().add(record);
  TreeWriter writer(project, tree, "simulator:rule/" + settings.personaLabel, settings.reward.toJson());

  Messages history = {{Role::User, task.firstUserMessage}};
  NodeId last = writer.add(std::nullopt, history.back(), "simulator:rule/" + settings.personaLabel);
  SampledConversation result{tree, 1, 0.0};
  while (static_cast<int>(history.size()) < settings.maxMessages) {
    std::vector<Candidate> candidates;
    for (const auto& [behaviour, name] : kBehaviours) {
      ScriptedPolicy policy(family, behaviour, static_cast<std::uint64_t>(history.size()));
      const std::string text = policy.respond(task, history);
      if (std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& c) { return c.text == text; })) continue;
      reward::SimulatorFactory simulators = [&](int sample) -> std::unique_ptr<UserSimulator> {
        return std::make_unique<RuleBasedUserSimulator>(family, settings.traits,
                                                        settings.reward.seed * 1000 + history.size() * 10 +
                                                            static_cast<std::uint64_t>(sample));
      };
      candidates.push_back({text, name, reward::estimateMultiturnReward(family, task, history, text, policy, simulators,
                                                                        settings.reward)});
    }
    for (Candidate& c : candidates) {
      const std::string author = std::string("policy:scripted/") + c.behaviour;
      c.node = writer.add(last, {Role::Assistant, c.text}, author);
      writer.addScores(c.node, c.mr);
      writer.addFutures(c.node, c.mr, author);
    }
    const Candidate& best = *std::max_element(candidates.begin(), candidates.end(),
                                              [](const Candidate& a, const Candidate& b) { return a.mr.mean < b.mr.mean; });
    history.push_back({Role::Assistant, best.text});
    last = best.node;
    ++result.turns;
    // The user's next turn comes from the best candidate's longest sampled future, as the
    // reference implementation (v2) continues its datasets.
    const auto& future = std::max_element(best.mr.samples.begin(), best.mr.samples.end(), [](const auto& a, const auto& b) {
                           return a.future.size() < b.future.size();
                         })->future;
    if (future.empty() || future.front().role != Role::User) break;
    history.push_back(future.front());
    last = writer.add(last, future.front(), "simulator:rule/" + settings.personaLabel);
    ++result.turns;
    if (future.front().content.find(kTerminateChat) != std::string::npos) break;
  }
  result.finalTask = family.score(task, family.extractArtefact(history)).value;
  transaction.commit();
  return result;
}

} // namespace collab::simulate
