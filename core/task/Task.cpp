#include "task/Task.h"

namespace collab::task {

const GoalAttribute* TaskInstance::attribute(const std::string& key) const {
  for (const GoalAttribute& a : goal)
    if (a.key == key) return &a;
  return nullptr;
}

std::map<std::string, std::string> TaskInstance::goalValues() const {
  std::map<std::string, std::string> values;
  for (const GoalAttribute& a : goal) values[a.key] = a.value;
  return values;
}

} // namespace collab::task
