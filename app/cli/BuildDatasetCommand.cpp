#include "BuildDatasetCommand.h"

#include "Interruption.h"
#include "PersonaChoice.h"
#include "ProgressBar.h"
#include "TaskFamilies.h"
#include "UsageError.h"
#include "common/Cancellation.h"
#include "simulate/ConversationSampler.h"

#include <cstdio>

namespace collab::cli {

namespace {

struct Tally {
  int built = 0, skipped = 0, messages = 0;
  double taskSum = 0;
};

} // namespace

CLI::App* BuildDatasetCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "build-dataset", "Build scored conversation trees as the reference builds its datasets (resumable)");
  command->add_option("project", project_, "Project file (.collab); created if missing")->required();
  command->add_option("--family", families_, "Task family (repeat for several)")->required();
  command->add_option("--tasks", tasks_, "Tasks per family")->capture_default_str()->check(CLI::PositiveNumber);
  command->add_option("--task-seed", taskSeed_, "Seed of the generated tasks")->capture_default_str();
  command->add_option("--split", split_, "Task split")->capture_default_str()->check(CLI::IsMember({"train", "test", "all"}));
  command->add_option("--persona", personaFiles_, "Persona file of the simulated user (repeat for several; default: "
                                                  "the reference's generic user)")
      ->check(CLI::ExistingFile);
  command->add_option("--candidates", candidates_, "Candidates per turn (scripted: at most 3)")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  command->add_option("--max-messages", maxMessages_, "Cap on a conversation's messages")
      ->capture_default_str()
      ->check(CLI::Range(2, 64));
  command->add_option("--task-rows", taskRows_, "FAMILY=FILE: other CollabLLM rows for a plugin family");
  reward_.addTo(command);
  backends_.addTo(command);
  return command;
}

int BuildDatasetCommand::run() {
  TaskFamilies families(taskRows_);
  for (const auto& name : families_) { // unknown names fail before any work
    try {
      families.registry().family(name);
    } catch (const Error& e) {
      throw UsageError(std::string("--family: ") + e.what());
    }
  }
  store::Project project = store::Project::openOrCreate(project_);
  std::vector<ChosenPersona> personas;
  if (personaFiles_.empty()) personas.push_back(choosePersona(project, ""));
  for (const auto& file : personaFiles_) personas.push_back(choosePersona(project, file));

  const Interruption interruption;
  BackendOptions::Parts parts = backends_.build(reward_.configFor("bleu").judgeScale);
  const std::string split = split_ == "all" ? "" : split_;
  ProgressBar bar("building", families_.size() * personas.size() * static_cast<std::size_t>(tasks_), "conversations");
  Tally tally;
  std::uint64_t done = 0;
  try {
    for (const auto& name : families_) {
      const task::TaskFamily& family = families.registry().family(name);
      FamilyCandidates candidates(family, parts, candidates_);
      for (const auto& persona : personas) {
        simulate::SamplerSettings settings;
        settings.reward = reward_.configFor(family.metric());
        settings.reward.personaVersion = persona.label;
        settings.traits = persona.persona.traits;
        settings.personaLabel = persona.label;
        settings.maxMessages = maxMessages_;
        settings.candidates = &candidates.source();
        backends_.castIn(settings, family, persona.persona, parts);
        for (const auto& task : families.registry().tasks(name, taskSeed_, static_cast<std::size_t>(tasks_), split)) {
          // The key a resumed run finds: the same task played by the same persona version.
          settings.treeKey = task.id + " " + persona.label;
          if (project.trees().findByExternalId("simulate:" + family.name(), settings.treeKey)) {
            ++tally.skipped;
          } else {
            const auto sampledConversation = simulate::sampleConversation(project, family, task, settings);
            ++tally.built;
            tally.messages += sampledConversation.turns;
            tally.taskSum += sampledConversation.finalTask;
          }
          bar.update(++done);
        }
      }
    }
  } catch (const Cancelled&) {
    bar.finish();
    std::printf("interrupted: %d conversations built in this run (%d were already there); the one in progress was "
                "rolled back. Run the same command again to go on.\n", tally.built, tally.skipped);
    return kInterruptedExitCode;
  }
  bar.finish();
  std::printf("built %d conversations (%d already there) with %zu personas, preset %s: mean final task score %.3f, "
              "%.1f messages each\n",
              tally.built, tally.skipped, personas.size(), reward_.preset().c_str(),
              tally.built > 0 ? tally.taskSum / tally.built : 0.0,
              tally.built > 0 ? static_cast<double>(tally.messages) / tally.built : 0.0);
  return 0;
}

} // namespace collab::cli
