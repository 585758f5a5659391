#include "ScoreCommand.h"

#include "Interruption.h"
#include "PersonaChoice.h"
#include "ProgressBar.h"
#include "TaskFamilies.h"
#include "UsageError.h"
#include "common/Cancellation.h"
#include "reward/MultiturnReward.h"
#include "simulate/ScoredTreeWriter.h"
#include "simulate/ScriptedPolicy.h"
#include "simulate/TreeTask.h"
#include "store/Transaction.h"
#include "task/PluginLoader.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace collab::cli {

namespace {

using conversation::Node;

// The scripted behaviour that wrote a candidate plays its futures; others get ask-then-answer.
simulate::ScriptedPolicy::Behaviour behaviourOf(const std::string& author) {
  using B = simulate::ScriptedPolicy::Behaviour;
  if (author == "policy:scripted/answer-at-once") return B::AnswerAtOnce;
  if (author == "policy:scripted/ask-everything") return B::AskEverything;
  return B::AskThenAnswer;
}

bool alreadyScored(store::Project& project, conversation::NodeId node, const std::string& hash) {
  for (const auto& score : project.scores().forNode(node))
    if (score.kind == "MR" && score.configHash == hash) return true;
  return false;
}

struct Tally {
  int scored = 0, skipped = 0, treesWithoutTask = 0;
  double mrSum = 0;
  std::map<std::string, int> importedAs; // imported trees by the family that scored them
};

// With one policy playing every future (--policy http), the turns of this many trees are
// scored in one lock-step play, its calls batched across tasks; an interruption rolls back
// the trees of the group not written yet. The scripted behaviours score tree by tree.
constexpr std::size_t kTreesScoredTogether = 8;

// An assistant turn to score and the conversation before it.
struct PendingTurn {
  Node node;
  conversation::Messages history;
  reward::MultiturnRewardEstimate mr; // once scored
};

// A tree whose turns are to be scored, with what their futures are played with.
struct PendingTree {
  store::TreeRecord record;
  std::size_t position = 0; // among the trees of the command, from 1 (for the progress bar)
  simulate::TreeTask task;
  std::string simulatorAuthor;
  reward::RewardConfig config;
  std::string configJson;
  simulate::SeededSimulatorFactory makeSimulator;
  std::vector<PendingTurn> turns;
};

// The assistant turns of a tree still to score (all of them with --force; only `onlyNode`
// when not 0), each with the conversation before it.
std::vector<PendingTurn> turnsToScore(store::Project& project, conversation::TreeId tree, std::int64_t onlyNode,
                                      const std::string& hash, bool force, Tally& tally) {
  std::vector<PendingTurn> turns;
  for (const Node& node : project.nodes().ofTree(tree)) {
    if (node.role != conversation::Role::Assistant || node.kind != conversation::NodeKind::Turn) continue;
    if (onlyNode != 0 && node.id != onlyNode) continue;
    if (!force && alreadyScored(project, node.id, hash)) {
      ++tally.skipped;
      continue;
    }
    conversation::Messages history;
    for (const Node& step : project.nodes().pathToRoot(node.id))
      if (step.id != node.id) history.push_back({step.role, step.content});
    turns.push_back({node, std::move(history), {}});
  }
  return turns;
}

reward::SimulatorFactory simulatorsOf(const PendingTree& tree, const PendingTurn& turn) {
  return [&tree, &turn](int sample) {
    return tree.makeSimulator(simulate::simulatorSeed(tree.config.seed, turn.history.size(), sample));
  };
}

// Each turn played by the scripted behaviour that wrote it, turn by turn.
void scoreWithScriptedPolicies(std::vector<PendingTree>& trees, const reward::RewardJudges& judges) {
  for (PendingTree& tree : trees)
    for (PendingTurn& turn : tree.turns) {
      throwIfCancelled();
      simulate::ScriptedPolicy scripted(*tree.task.family, behaviourOf(turn.node.author), turn.history.size());
      turn.mr = reward::estimateMultiturnReward(*tree.task.family, tree.task.task, turn.history, turn.node.content, scripted,
                                                simulatorsOf(tree, turn), tree.config, judges);
    }
}

// Every turn of every tree played by `policy` in one lock step, its calls batched across
// the trees' tasks; each MR the same as scored turn by turn.
void scoreWithOnePolicy(std::vector<PendingTree>& trees, simulate::Policy& policy, const reward::RewardJudges& judges) {
  throwIfCancelled();
  std::vector<reward::CandidateTurn> all;
  for (const PendingTree& tree : trees)
    for (const PendingTurn& turn : tree.turns)
      all.push_back({tree.task.family, &tree.task.task, &turn.history, {turn.node.content}, simulatorsOf(tree, turn),
                     tree.config, judges});
  auto estimates = reward::estimateMultiturnRewardsOfTurns(all, policy);
  auto next = estimates.begin();
  for (PendingTree& tree : trees)
    for (PendingTurn& turn : tree.turns) turn.mr = std::move((next++)->front());
}

// A tree's scores and futures, in one transaction.
void writeTree(store::Project& project, const PendingTree& tree, const std::string& policyAuthor, Tally& tally) {
  store::Transaction transaction(project.database());
  simulate::ScoredTreeWriter writer(project, tree.record.id, tree.simulatorAuthor, tree.configJson);
  for (const PendingTurn& turn : tree.turns) {
    writer.addScores(turn.node.id, turn.mr);
    writer.addFutures(turn.node.id, turn.mr, policyAuthor.empty() ? turn.node.author : policyAuthor);
    ++tally.scored;
    tally.mrSum += turn.mr.mean;
  }
  transaction.commit();
}

} // namespace

CLI::App* ScoreCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand("score", "Score assistant turns by MR over freshly sampled futures");
  command->add_option("project", project_, "Project file (.collab)")->required();
  command->add_option("--tree", tree_, "Only this tree");
  command->add_option("--node", node_, "Only this assistant turn (a candidate)");
  command->add_option("--persona", personaFile_, "Persona file of the simulated user (default: the tree's own)")
      ->check(CLI::ExistingFile);
  command->add_flag("--force", force_, "Score again candidates already scored with the same config");
  command->add_option("--task-rows", taskRows_, "FAMILY=FILE: other CollabLLM rows for a plugin family");
  command->add_option("--imported-family", importedFamily_,
                      "The task family that scores trees imported from CollabLLM rows (default: read from each "
                      "task's data: collabllm-code, collabllm-math or collabllm-documents)");
  reward_.addTo(command);
  backends_.addTo(command);
  return command;
}

int ScoreCommand::run() {
  store::Project project = store::Project::open(project_);
  TaskFamilies families(taskRows_);
  if (node_ != 0) {
    const auto node = project.nodes().find(node_);
    if (!node) throw Error("node " + std::to_string(node_) + ": no such node in " + project_);
    if (tree_ != 0 && node->treeId != tree_)
      throw Error("node " + std::to_string(node_) + " is in tree " + std::to_string(node->treeId) + ", not " + std::to_string(tree_));
    tree_ = node->treeId;
  }
  std::vector<store::TreeRecord> trees;
  if (tree_ != 0) {
    const auto tree = project.trees().find(tree_);
    if (!tree) throw Error("tree " + std::to_string(tree_) + ": no such tree in " + project_);
    trees.push_back(*tree);
  } else {
    project.trees().forEach([&](const store::TreeRecord& tree) {
      trees.push_back(tree);
      return true;
    });
  }

  const Interruption interruption;
  BackendOptions::Parts parts = backends_.build(reward_.configFor("bleu").judgeScale);
  const std::optional<ChosenPersona> fixedPersona =
      personaFile_.empty() ? std::nullopt : std::optional(choosePersona(project, personaFile_));
  ProgressBar bar("scoring", trees.size(), "trees");
  Tally tally;
  std::string lastConfig;
  const simulate::TreeTaskSettings taskSettings{families.shared(), importedFamily_, task::defaultPluginRoots()};
  if (!importedFamily_.empty() && !simulate::pluginProvides(importedFamily_, taskSettings.pluginRoots))
    throw UsageError("--imported-family: no task plugin on the plugin path provides a family `" + importedFamily_ + "`");
  const std::string policyAuthor = parts.policy ? "policy:" + parts.policy->describe() : "";
  std::vector<PendingTree> group;
  const auto scoreGroup = [&] {
    if (parts.policy)
      scoreWithOnePolicy(group, *parts.policy, parts.judges());
    else
      scoreWithScriptedPolicies(group, parts.judges());
    for (const PendingTree& pending : group) {
      writeTree(project, pending, policyAuthor, tally);
      bar.update(pending.position);
    }
    group.clear();
  };
  try {
    for (const auto& tree : trees) {
      throwIfCancelled();
      std::optional<simulate::TreeTask> treeTask;
      try {
        treeTask = simulate::taskOfTree(project, tree, taskSettings);
      } catch (const Error& e) {
        if (tree_ != 0) throw;
        if (tree.taskId) std::fprintf(stderr, "collab: skipped %s\n", e.what()); // a task, but not one to play
        ++tally.treesWithoutTask;
        continue;
      }
      const task::TaskFamily& family = *treeTask->family;
      if (treeTask->imported) ++tally.importedAs[family.name()];
      const ChosenPersona persona = [&] {
        if (fixedPersona) return *fixedPersona;
        auto own = personaOfTree(project, tree);
        return own ? *own : choosePersona(project, "");
      }();
      PendingTree pending;
      pending.record = tree;
      pending.position = static_cast<std::size_t>(&tree - trees.data() + 1);
      pending.config = reward_.configFor(family.metric());
      pending.config.personaVersion = persona.label;
      backends_.describeIn(pending.config, parts);
      pending.configJson = lastConfig = pending.config.toJson();
      pending.simulatorAuthor = "simulator:" + backends_.simulatorKind() + "/" + persona.label;
      pending.makeSimulator = backends_.simulators(family, persona.persona, parts);
      pending.turns = turnsToScore(project, tree.id, node_, reward::configHash(lastConfig), force_, tally);
      pending.task = std::move(*treeTask);
      group.push_back(std::move(pending));
      if (group.size() >= (parts.policy ? kTreesScoredTogether : 1)) scoreGroup();
    }
    scoreGroup();
  } catch (const Cancelled&) {
    bar.finish();
    std::printf("interrupted after scoring %d candidates; the trees finished before are saved, those in progress "
                "were rolled back. Run the same command again to go on.\n", tally.scored);
    return kInterruptedExitCode;
  }
  bar.finish();
  if (node_ != 0 && tally.scored + tally.skipped == 0)
    throw Error("node " + std::to_string(node_) + " is not an assistant turn: only candidates are scored");
  std::printf("scored %d candidates in %zu trees (preset %s): mean MR %.3f", tally.scored, trees.size(),
              reward_.preset().c_str(), tally.scored > 0 ? tally.mrSum / tally.scored : 0.0);
  if (tally.skipped > 0) std::printf("; %d already scored with this config (--force scores them again)", tally.skipped);
  if (tally.treesWithoutTask > 0) std::printf("; %d trees skipped: no task to simulate", tally.treesWithoutTask);
  std::printf("\n");
  for (const auto& [family, count] : tally.importedAs)
    std::printf("%d imported CollabLLM trees scored as %s%s\n", count, family.c_str(),
                importedFamily_.empty() ? " (read from their data; --imported-family chooses)" : "");
  if (!lastConfig.empty()) std::printf("config %s %s\n", reward::configHash(lastConfig).c_str(), lastConfig.c_str());
  return 0;
}

} // namespace collab::cli
