#include "PlayCommand.h"

#include "ExitCodes.h"
#include "JsonEvents.h"
#include "persona/PersonaJson.h"
#include "persona/ReferencePersona.h"
#include "policy/ActPolicy.h"
#include "policy/DialogueAct.h"
#include "reward/ConversationReward.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "task/TaskRegistry.h"

#include <chrono>

namespace collab::cli {

namespace {

using conversation::Messages;
using conversation::Role;

// Totals of the conversation the summary reports, counted as `collab eval` counts them.
struct Tally {
  int assistantTurns = 0;
  int assistantTokens = 0;
  bool terminated = false;
};

void userTurn(const simulate::SimulatedReply& reply, std::size_t index) {
  printEvent({{"event", "turn"}, {"index", index}, {"role", "user"}, {"content", reply.text},
              {"thought", reply.thought}, {"terminated", reply.terminated}});
}

void assistantTurn(policy::ActPolicy& policy, const task::TaskInstance& task, Messages& conversation, Tally& tally) {
  const auto started = std::chrono::steady_clock::now();
  const std::string reply =
      policy.respond(task, conversation, [](const std::string& word) { printEvent({{"event", "token"}, {"text", word}}); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const int tokens = reward::countTokens(reply);
  printEvent({{"event", "turn"}, {"index", conversation.size()}, {"role", "assistant"}, {"content", reply},
              {"act", policy::actText(policy::readAct(task, reply))}, {"tokens", tokens}, {"seconds", seconds}});
  conversation.push_back({Role::Assistant, reply});
  ++tally.assistantTurns;
  tally.assistantTokens += tokens;
}

void summary(const task::TaskFamily& family, const task::TaskInstance& task, const Messages& conversation,
             const Tally& tally) {
  const std::string artefact = family.extractArtefact(conversation);
  const task::TaskScore score = family.score(task, artefact);
  printEvent({{"event", "summary"}, {"task_score", score.value}, {"detail", score.detail}, {"metric", task.metric},
              {"turns", conversation.size()}, {"assistant_turns", tally.assistantTurns}, {"tokens", tally.assistantTokens},
              {"terminated", tally.terminated}, {"artefact", artefact}});
}

} // namespace

CLI::App* PlayCommand::addTo(CLI::App& app) {
  auto* command = app.add_subcommand(
      "play", "A persona-driven simulated user plays one task against a checkpoint, as JSON lines (the workbench's auto-play demo)");
  command->add_option("--checkpoint", checkpoint_, "Checkpoint folder written by collab train")->required()->check(CLI::ExistingDirectory);
  command->add_option("--task", task_, "The task: its id, FAMILY/SEED/INDEX")->capture_default_str();
  command->add_option("--persona", personaFile_, "Persona file (JSON) of the simulated user (default: the reference persona)")
      ->check(CLI::ExistingFile);
  command->add_option("--seed", seed_, "Seed of the simulated user and of the policy's sampling")->capture_default_str();
  command->add_option("--max-exchanges", maxExchanges_, "Assistant turns at most")->capture_default_str()->check(CLI::Range(1, 50));
  command->add_option("--temperature", temperature_, "Sampling temperature of the acts")->capture_default_str();
  return command;
}

int PlayCommand::run() {
  const task::TaskRegistry tasks;
  const task::TaskInstance task = tasks.byId(task_);
  const task::TaskFamily& family = tasks.family(task.family);
  const persona::Persona persona = personaFile_.empty() ? persona::referencePersona() : persona::readPersonaFile(personaFile_);
  model::SamplingParams sampling;
  sampling.temperature = temperature_;
  policy::ActPolicy policy = policy::ActPolicy::load(checkpoint_, tasks, sampling, seed_);
  simulate::RuleBasedUserSimulator user(family, persona.traits, seed_);
  printEvent({{"event", "ready"}, {"checkpoint", checkpoint_}, {"task", describeTask(task)},
              {"persona", {{"name", persona.name}, {"description", persona.description}}}, {"seed", seed_},
              {"max_exchanges", maxExchanges_}});

  Messages conversation = {{Role::User, task.firstUserMessage}};
  userTurn({task.firstUserMessage, "the task's first message", false, {}}, 0);
  Tally tally;
  while (tally.assistantTurns < maxExchanges_ && !tally.terminated) {
    assistantTurn(policy, task, conversation, tally);
    const simulate::SimulatedReply reply = user.reply(task, conversation);
    userTurn(reply, conversation.size());
    conversation.push_back({Role::User, reply.text});
    tally.terminated = reply.terminated;
  }
  summary(family, task, conversation, tally);
  return exit_code::kOk;
}

} // namespace collab::cli
