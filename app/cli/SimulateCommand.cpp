#include "SimulateCommand.h"

#include "ProgressBar.h"
#include "persona/DefaultPersonas.h"
#include "persona/PersonaJson.h"
#include "persona/ReferencePersona.h"
#include "simulate/ConversationSampler.h"
#include "store/Project.h"
#include "task/TaskRegistry.h"

#include <cstdio>
#include <iostream>

namespace collab::cli {

CLI::App* SimulateCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "simulate", "Build conversation trees on the built-in tasks: candidates scored by MR over sampled futures");
  command->add_option("project", project_, "Project file (.collab); created if missing")->required();
  command->add_option("--family", family_, "Task family")->required()->check(CLI::IsMember(task::TaskRegistry().names()));
  command->add_option("--tasks", tasks_, "How many tasks")->capture_default_str()->check(CLI::PositiveNumber);
  command->add_option("--seed", seed_, "Task seed")->capture_default_str();
  command->add_option("--split", split_, "Task split")->capture_default_str()->check(CLI::IsMember({"train", "test"}));
  command->add_option("--persona", personaFile_, "Persona file (JSON) of the simulated user")->check(CLI::ExistingFile);
  command->add_option("--window", window_, "MR window w in exchanges (0: single-turn reward)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10));
  command->add_option("--samples", samples_, "Sampled futures S per candidate")->capture_default_str()->check(CLI::Range(1, 32));
  command->add_option("--lambda", lambda_, "Token cost per token")->capture_default_str()->check(CLI::NonNegativeNumber);
  command->add_option("--interactivity-weight", interactivityWeight_, "Weight of the interactivity judge")
      ->capture_default_str();
  command->add_option("--candidates", candidates_, "Candidates per turn (scripted: at most 3)")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  backends_.addTo(command);
  return command;
}

int SimulateCommand::run() {
  store::Project project = store::Project::openOrCreate(project_);
  simulate::SamplerSettings settings;
  settings.reward.window = window_;
  settings.reward.samples = samples_;
  settings.reward.tokenLambda = lambda_;
  settings.reward.interactivityWeight = interactivityWeight_;
  settings.reward.seed = seed_;
  // The simulated user: the persona file's, or default traits (the rule-based user) with
  // the reference persona's prompt (what an LLM-played user needs).
  persona::Persona played = persona::referencePersona();
  played.traits = settings.traits;
  if (!personaFile_.empty()) {
    played = persona::readPersonaFile(personaFile_);
    persona::seedPersonas(project.personas(), {played});
    const auto version = project.personas().latest(played.name);
    settings.traits = played.traits;
    settings.personaLabel = played.name + "@v" + std::to_string(version->version);
  }
  settings.reward.personaVersion = settings.personaLabel;

  const task::TaskRegistry registry;
  const task::TaskFamily& family = registry.family(family_);
  // Who plays the parts: the scripted behaviours, the rule-based user and judge by default;
  // an endpoint's or a local checkpoint's model where asked (as build-dataset).
  const BackendOptions::Parts parts = backends_.build(settings.reward.judgeScale);
  FamilyCandidates candidates(family, parts, candidates_);
  settings.candidates = &candidates.source();
  backends_.castIn(settings, family, played, parts);
  ProgressBar bar("simulating", static_cast<std::uint64_t>(tasks_), "tasks");
  double taskSum = 0;
  int turns = 0, done = 0;
  for (const auto& task : registry.tasks(family_, seed_, static_cast<std::size_t>(tasks_), split_)) {
    const auto sampled = simulate::sampleConversation(project, family, task, settings);
    taskSum += sampled.finalTask;
    turns += sampled.turns;
    bar.update(static_cast<std::uint64_t>(++done));
  }
  bar.finish();
  std::printf("simulated %d conversations (%s, persona %s, w=%d, S=%d): mean %s %.3f, %.1f messages each\n", done,
              family_.c_str(), settings.personaLabel.c_str(), window_, samples_, family.metric().c_str(),
              taskSum / done, static_cast<double>(turns) / done);
  return 0;
}

} // namespace collab::cli
