#include "JsonEvents.h"

#include <cstdio>

namespace collab::cli {

void printEvent(const nlohmann::json& event) {
  // Invalid UTF-8 in a generated text is replaced, not thrown: the line still reaches the GUI.
  std::fputs((event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n").c_str(), stdout);
  std::fflush(stdout);
}

nlohmann::json describeTask(const task::TaskInstance& task) {
  return {{"id", task.id},         {"family", task.family}, {"split", task.split}, {"first_user_message", task.firstUserMessage},
          {"goal", task.goalValues()}, {"metric", task.metric}};
}

} // namespace collab::cli
