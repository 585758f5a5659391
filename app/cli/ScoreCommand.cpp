#include "ScoreCommand.h"

#include "Interruption.h"
#include "PersonaChoice.h"
#include "ProgressBar.h"
#include "TaskFamilies.h"
#include "common/Cancellation.h"
#include "reward/MultiturnReward.h"
#include "simulate/ScoredTreeWriter.h"
#include "simulate/ScriptedPolicy.h"
#include "simulate/TreeTask.h"
#include "task/PluginLoader.h"
#include "store/Transaction.h"

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
  try {
    for (const auto& tree : trees) {
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
      if (treeTask->origin.rfind("imported", 0) == 0) ++tally.importedAs[family.name()];
      const ChosenPersona persona = [&] {
        if (fixedPersona) return *fixedPersona;
        auto own = personaOfTree(project, tree);
        return own ? *own : choosePersona(project, "");
      }();
      reward::RewardConfig config = reward_.configFor(family.metric());
      config.personaVersion = persona.label;
      backends_.describeIn(config, parts);
      lastConfig = config.toJson();
      const std::string hash = reward::configHash(lastConfig);
      const auto makeSimulator = backends_.simulators(family, persona.persona, parts);

      store::Transaction transaction(project.database());
      simulate::ScoredTreeWriter writer(project, tree.id, "simulator:" + std::string(backends_.simulatorIsHttp() ? "http" : "rule") +
                                                              "/" + persona.label, lastConfig);
      for (const Node& node : project.nodes().ofTree(tree.id)) {
        if (node.role != conversation::Role::Assistant || node.kind != conversation::NodeKind::Turn) continue;
        if (node_ != 0 && node.id != node_) continue;
        if (!force_ && alreadyScored(project, node.id, hash)) {
          ++tally.skipped;
          continue;
        }
        throwIfCancelled();
        conversation::Messages history;
        for (const Node& step : project.nodes().pathToRoot(node.id))
          if (step.id != node.id) history.push_back({step.role, step.content});
        simulate::ScriptedPolicy scripted(family, behaviourOf(node.author), history.size());
        simulate::Policy& policy = parts.policy ? static_cast<simulate::Policy&>(*parts.policy) : scripted;
        const reward::SimulatorFactory simulators = [&](int sample) {
          return makeSimulator(simulate::simulatorSeed(config.seed, history.size(), sample));
        };
        const auto mr = reward::estimateMultiturnReward(family, treeTask->task, history, node.content, policy, simulators, config,
                                                        parts.judges());
        writer.addScores(node.id, mr);
        writer.addFutures(node.id, mr, parts.policy ? "policy:" + parts.policy->describe() : node.author);
        ++tally.scored;
        tally.mrSum += mr.mean;
      }
      transaction.commit();
      bar.update(static_cast<std::uint64_t>(&tree - trees.data() + 1));
    }
  } catch (const Cancelled&) {
    bar.finish();
    std::printf("interrupted after scoring %d candidates; the trees finished before are saved, the one in progress "
                "was rolled back. Run the same command again to go on.\n", tally.scored);
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
