#include "ChatCommand.h"

#include "ExitCodes.h"
#include "policy/ActPolicy.h"
#include "policy/DialogueAct.h"
#include "task/TaskRegistry.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

namespace collab::cli {

namespace {

void print(const nlohmann::json& event) {
  std::fputs((event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n").c_str(), stdout);
  std::fflush(stdout);
}

nlohmann::json describe(const task::TaskInstance& task) {
  return {{"id", task.id}, {"family", task.family}, {"first_user_message", task.firstUserMessage},
          {"goal", task.goalValues()}, {"metric", task.metric}};
}

} // namespace

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
  print({{"event", "ready"}, {"checkpoint", checkpoint_}, {"task", describe(task)}});
  conversation::Messages messages;
  for (std::string line; std::getline(std::cin, line);) {
    if (line.empty()) continue;
    const nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
      print({{"event", "error"}, {"message", "expected one JSON object per line"}});
      continue;
    }
    if (request.value("command", "") == "reset") {
      messages.clear();
      print({{"event", "reset"}});
      continue;
    }
    messages.push_back({conversation::Role::User, request.value("content", "")});
    const auto started = std::chrono::steady_clock::now();
    const std::string reply = policy.respond(task, messages);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    print({{"event", "act"}, {"act", policy::actText(policy::readAct(task, reply))}});
    print({{"event", "reply"}, {"content", reply}, {"seconds", seconds}});
    messages.push_back({conversation::Role::Assistant, reply});
  }
  return exit_code::kOk;
}

} // namespace collab::cli
