#include "policy/Episodes.h"

namespace collab::policy {

std::vector<Episode> episodes(const task::TaskRegistry& tasks, const EpisodeSource& source, std::uint64_t seed) {
  std::vector<Episode> all;
  const std::vector<persona::Traits> personas = source.personas.empty() ? std::vector<persona::Traits>{persona::Traits{}}
                                                                        : source.personas;
  for (const auto& name : source.families) {
    const auto& family = tasks.family(name);
    for (auto& task : tasks.tasks(name, source.taskSeed, source.tasksPerFamily, source.split)) {
      const std::size_t i = all.size();
      all.push_back({&family, std::move(task), personas[i % personas.size()], episodeSeed(seed, i)});
    }
  }
  return all;
}

conversation::Messages opening(const task::TaskInstance& task) {
  return {conversation::Message{conversation::Role::User, task.firstUserMessage}};
}

} // namespace collab::policy
