#include "simulate/Policy.h"

#include <cstddef>

namespace collab::simulate {

namespace {

// The turns of one task, by their places in the call.
struct TaskGroup {
  const task::TaskInstance* task;
  std::vector<std::size_t> places;
};

std::vector<TaskGroup> groupByTask(const std::vector<PolicyTurn>& turns) {
  std::vector<TaskGroup> groups;
  for (std::size_t i = 0; i < turns.size(); ++i) {
    auto group = groups.begin();
    while (group != groups.end() && group->task != turns[i].task) ++group;
    if (group == groups.end()) group = groups.insert(groups.end(), {turns[i].task, {}});
    group->places.push_back(i);
  }
  return groups;
}

} // namespace

std::vector<std::string> Policy::respondToTurns(const std::vector<PolicyTurn>& turns) {
  std::vector<std::string> replies(turns.size());
  for (const TaskGroup& group : groupByTask(turns)) {
    std::vector<conversation::Messages> conversations;
    std::vector<std::uint64_t> streams;
    for (const std::size_t i : group.places) {
      conversations.push_back(*turns[i].conversation);
      streams.push_back(turns[i].stream);
    }
    std::vector<std::string> answered = respondInStreams(*group.task, conversations, streams);
    for (std::size_t k = 0; k < group.places.size(); ++k) replies[group.places[k]] = std::move(answered.at(k));
  }
  return replies;
}

} // namespace collab::simulate
