#pragma once

#include <map>
#include <string>

namespace collab::task {

// Replaces each {name} in `pattern` by values.at(name); the task tables' only templating
// (persona prompts have their own, validated, templates).
std::string fill(const std::string& pattern, const std::map<std::string, std::string>& values);

} // namespace collab::task
