#include "simulate/TurnRescorer.h"

#include "common/Error.h"
#include "persona/PersonaJson.h"
#include "reward/EstimateScores.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "simulate/ScriptedPolicy.h"
#include "simulate/TreeTask.h"
#include "store/Project.h"
#include "store/Transaction.h"
#include "task/PluginLoader.h"
#include "task/TaskRegistry.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace collab::simulate {

namespace {

using Behaviour = ScriptedPolicy::Behaviour;

std::string nodeText(conversation::NodeId node) { return "node " + std::to_string(node); }

// The persona the conversation was simulated with, "name@vN" in the tree's metadata.
persona::Traits traitsOf(store::Project& project, const store::TreeRecord& tree, std::string& label) {
  label = nlohmann::json::parse(tree.metadataJson).value("persona", "default");
  const auto at = label.rfind("@v");
  if (at == std::string::npos) return {};
  const std::string name = label.substr(0, at);
  const int version = std::stoi(label.substr(at + 2));
  for (const store::PersonaVersion& saved : project.personas().history(name)) {
    if (saved.version != version) continue;
    std::vector<std::string> problems;
    persona::Traits traits = persona::traitsFromJson(nlohmann::json::parse(saved.traitsJson), "traits", problems);
    if (!problems.empty()) throw Error("persona " + label + " has unusable traits: " + problems.front());
    return traits;
  }
  throw Error("cannot re-score: persona " + label + " is not in the project any more");
}

Behaviour behaviourOf(const std::string& author) {
  constexpr std::array<std::pair<Behaviour, const char*>, 3> kNames = {{
      {Behaviour::AnswerAtOnce, "policy:scripted/answer-at-once"},
      {Behaviour::AskThenAnswer, "policy:scripted/ask-then-answer"},
      {Behaviour::AskEverything, "policy:scripted/ask-everything"},
  }};
  for (const auto& [behaviour, name] : kNames)
    if (author == name) return behaviour;
  return Behaviour::AskThenAnswer;
}

std::optional<reward::Score> latestMr(store::Project& project, conversation::NodeId node) {
  std::optional<reward::Score> latest;
  for (reward::Score& score : project.scores().forNode(node))
    if (score.kind == "MR") latest = std::move(score);
  return latest;
}

} // namespace

Rescored rescoreTurn(store::Project& project, conversation::NodeId node, reward::RewardConfig config,
                     const std::function<bool()>& stopped) {
  const std::optional<conversation::Node> turn = project.nodes().find(node);
  if (!turn) throw Error("cannot re-score " + nodeText(node) + ": it is not in the project");
  if (turn->role != conversation::Role::Assistant || turn->kind != conversation::NodeKind::Turn)
    throw Error("cannot re-score " + nodeText(node) + ": only assistant turns have a multiturn-aware reward");
  const std::optional<store::TreeRecord> tree = project.trees().find(turn->treeId);
  const TreeTaskSettings taskSettings{std::make_shared<task::TaskRegistry>(), "", task::defaultPluginRoots()};
  const TreeTask treeTask = [&] {
    try {
      return taskOfTree(project, *tree, taskSettings);
    } catch (const Error& e) {
      throw Error("cannot re-score turns of conversation " + std::to_string(tree->id) + ": " + e.what());
    }
  }();
  const task::TaskInstance& task = treeTask.task;
  const task::TaskFamily& family = *treeTask.family;
  persona::Traits traits = traitsOf(project, *tree, config.personaVersion);

  conversation::Messages history;
  for (const conversation::Node& step : project.nodes().pathToRoot(node))
    if (step.id != node) history.push_back({step.role, step.content});
  ScriptedPolicy policy(family, behaviourOf(turn->author), static_cast<std::uint64_t>(history.size()));
  // The seeds the sampler gives its simulated users, so that the same config plays the same futures.
  const reward::SimulatorFactory simulators = [&](int sample) -> std::unique_ptr<UserSimulator> {
    return std::make_unique<RuleBasedUserSimulator>(family, traits,
                                                    config.seed * 1000 + history.size() * 10 +
                                                        static_cast<std::uint64_t>(sample));
  };

  Rescored result;
  result.previous = latestMr(project, node);
  result.estimate = reward::estimateMultiturnReward(family, task, history, turn->content, policy, simulators, config);
  if (stopped && stopped()) throw Error("re-scoring " + nodeText(node) + " was stopped; nothing was stored");
  store::Transaction transaction(project.database());
  for (reward::Score& score : reward::estimateScores(turn->treeId, node, result.estimate)) {
    score.id = project.scores().add(score);
    if (score.kind == "MR") result.current = score;
  }
  transaction.commit();
  result.current.configHash = reward::configHash(result.current.configJson);
  return result;
}

} // namespace collab::simulate
