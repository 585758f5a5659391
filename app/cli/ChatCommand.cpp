#include "ChatCommand.h"

#include "ExitCodes.h"
#include "JsonEvents.h"
#include "policy/ActPolicy.h"
#include "policy/DialogueAct.h"
#include "task/TaskRegistry.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <string>

namespace collab::cli {

CLI::App* ChatCommand::addTo(CLI::App& app) {
  auto* command = app.add_subcommand("chat", "Chat with a trained checkpoint over JSON lines on stdin/stdout (the workbench's demo)");
  command->add_option("--checkpoint", checkpoint_, "Checkpoint folder written by collab train")->required()->check(CLI::ExistingDirectory);
  command->add_option("--task", task_, "The task the conversation is about: its id, FAMILY/SEED/INDEX")->capture_default_str();
  command->add_option("--seed", seed_, "Seed of the policy's sampling")->capture_default_str();
  command->add_option("--temperature", temperature_, "Sampling temperature of the acts")->capture_default_str();
  return command;
}

int ChatCommand::run() {
  const task::TaskRegistry tasks;
  const task::TaskInstance task = tasks.byId(task_);
  model::SamplingParams sampling;
  sampling.temperature = temperature_;
  policy::ActPolicy policy = policy::ActPolicy::load(checkpoint_, tasks, sampling, seed_);
  printEvent({{"event", "ready"}, {"checkpoint", checkpoint_}, {"task", describeTask(task)}});
  conversation::Messages messages;
  for (std::string line; std::getline(std::cin, line);) {
    if (line.empty()) continue;
    const nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
      printEvent({{"event", "error"}, {"message", "expected one JSON object per line"}});
      continue;
    }
    if (request.value("command", "") == "reset") {
      messages.clear();
      printEvent({{"event", "reset"}});
      continue;
    }
    messages.push_back({conversation::Role::User, request.value("content", "")});
    const auto started = std::chrono::steady_clock::now();
    // Each act word as it is drawn, then the rendered reply: the demo shows the act grow.
    const std::string reply =
        policy.respond(task, messages, [](const std::string& word) { printEvent({{"event", "token"}, {"text", word}}); });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    printEvent({{"event", "act"}, {"act", policy::actText(policy::readAct(task, reply))}});
    printEvent({{"event", "reply"}, {"content", reply}, {"seconds", seconds}});
    messages.push_back({conversation::Role::Assistant, reply});
  }
  return exit_code::kOk;
}

} // namespace collab::cli
