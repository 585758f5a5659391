#pragma once

// A project with conversations simulated by the built-in engine (documents tasks played
// by the impatient-expert persona): candidates, sampled futures and every reward part,
// as the demo project has them. Tests read what they expect from the project itself.

#include "persona/DefaultPersonas.h"
#include "simulate/ConversationSampler.h"
#include "store/Project.h"
#include "task/TaskRegistry.h"

#include <QString>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace collab::test {

inline std::unique_ptr<store::Project> makeSimulatedProject(const QString& path, int conversations = 1) {
  auto project = std::make_unique<store::Project>(store::Project::create(std::filesystem::path(path.toStdU16String()), "simulated"));
  const auto personas = persona::loadDefaultPersonas(std::filesystem::path(COLLAB_SOURCE_DIR) / "resources/personas");
  const auto expert =
      std::find_if(personas.begin(), personas.end(), [](const auto& p) { return p.name == "impatient-expert"; });
  persona::seedPersonas(project->personas(), {*expert});
  simulate::SamplerSettings settings;
  settings.traits = expert->traits;
  settings.personaLabel = "impatient-expert@v1";
  settings.reward.personaVersion = settings.personaLabel;
  const task::TaskRegistry registry;
  for (const auto& task : registry.tasks("documents", 7, static_cast<std::size_t>(conversations)))
    simulate::sampleConversation(*project, registry.family("documents"), task, settings);
  return project;
}

} // namespace collab::test
