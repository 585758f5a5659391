#include "simulate/PersonaTrial.h"

#include "simulate/PromptText.h"

#include "common/Error.h"
#include "io/LoadedTree.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "store/Project.h"
#include "task/TaskRegistry.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace collab::simulate {

namespace {

using conversation::NodeId;
using conversation::Role;

// The built-in task a tree was simulated on, rebuilt from its id "<family>/<seed>/<index>"
// (tasks are pure functions of those), if the tree has one.
std::optional<task::TaskInstance> builtInTask(const store::TaskRecord& record) {
  const auto metadata = nlohmann::json::parse(record.metadataJson, nullptr, false);
  if (!metadata.is_object() || !metadata.contains("id") || !metadata["id"].is_string()) return std::nullopt;
  std::istringstream id(metadata["id"].get<std::string>());
  std::string family, seed, index;
  if (!std::getline(id, family, '/') || !std::getline(id, seed, '/') || !std::getline(id, index)) return std::nullopt;
  const task::TaskRegistry registry;
  const auto names = registry.names();
  if (family != record.family || std::find(names.begin(), names.end(), family) == names.end()) return std::nullopt;
  try {
    task::TaskInstance instance = registry.family(family).generate(std::stoull(seed), std::stoull(index));
    if (instance.firstUserMessage != record.prompt) return std::nullopt; // made by another version of the suite
    return instance;
  } catch (const std::logic_error&) { // stoull on a malformed id
    return std::nullopt;
  }
}

std::vector<NodeId> pathFor(store::Project& project, const store::TreeRecord& record, std::optional<NodeId> upTo) {
  const io::LoadedTree loaded = io::LoadedTree::load(project, record);
  if (upTo) {
    if (!loaded.tree.find(*upTo)) throw Error("turn " + std::to_string(*upTo) + " is not in tree " + std::to_string(record.id));
    return loaded.tree.pathTo(*upTo);
  }
  return loaded.bestPath("MR");
}

} // namespace

TrialInput prepareTrial(store::Project& project, conversation::TreeId tree, std::optional<NodeId> upTo) {
  TrialInput input;
  const auto record = project.trees().find(tree);
  if (!record) {
    input.problem = "conversation " + std::to_string(tree) + " is not in the project";
    return input;
  }
  std::vector<NodeId> path = pathFor(project, *record, upTo);
  // The simulated user replies to an assistant turn: cut after the last one on the path.
  while (!path.empty() && project.nodes().find(path.back())->role != Role::Assistant) path.pop_back();
  if (path.empty()) {
    input.problem = "the conversation has no assistant turn for the user to reply to";
    return input;
  }
  for (NodeId id : path) {
    const auto node = project.nodes().find(id);
    input.conversation.push_back({node->role, node->content});
  }
  if (record->taskId)
    if (auto task = project.tasks().find(*record->taskId)) {
      input.task = builtInTask(*task);
      input.context.task = task->prompt;
      input.context.goal = input.task ? goalText(*input.task) : task->goal;
    }
  if (input.context.task.empty()) input.context.task = input.conversation.front().content;
  input.context.history = formatHistory(input.conversation);
  return input;
}

TrialResult runTrial(const TrialInput& input, const persona::Persona& persona, std::uint64_t seed) {
  if (!input.problem.empty()) throw Error(input.problem);
  TrialResult result;
  result.prompt = persona::renderPrompt(persona, input.context);
  if (!input.task) {
    result.noReplyReason = "the rule-based simulator plays the built-in tasks only (documents, math, code); "
                           "this conversation's task has no hidden goal it can act on. The prompt above is what an "
                           "LLM-backed simulator would be given.";
    return result;
  }
  const task::TaskRegistry registry;
  RuleBasedUserSimulator simulator(registry.family(input.task->family), persona.traits, seed);
  result.reply = simulator.reply(*input.task, input.conversation);
  return result;
}

} // namespace collab::simulate
