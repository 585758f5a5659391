// A task plugin written as one outside this source tree would be: it sees only the
// installed plugin API headers (staged in the build tree) and links nothing of the core.
#include <task/TaskPlugin.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

// "Say N": the answer is N.
class EchoFamily : public collab::task::TaskFamily {
public:
  std::string name() const override { return "echo"; }
  std::string metric() const override { return "accuracy"; }
  std::optional<std::uint64_t> size() const override { return 5; }
  collab::task::TaskInstance generate(std::uint64_t seed, std::uint64_t index) const override {
    collab::task::TaskInstance task;
    task.id = "echo/" + std::to_string(seed) + "/" + std::to_string(index);
    task.family = "echo";
    task.split = index % 2 == 0 ? "train" : "test";
    task.firstUserMessage = "Say " + std::to_string(index) + ".";
    task.reference = std::to_string(index);
    task.metric = "accuracy";
    return task;
  }
  std::string extractArtefact(const collab::conversation::Messages& conversation) const override {
    return conversation.empty() ? "" : conversation.back().content;
  }
  collab::task::TaskScore score(const collab::task::TaskInstance& task, const std::string& artefact) const override {
    return {artefact == task.reference ? 1.0 : 0.0, "echoed " + artefact};
  }
  std::string writeArtefact(const collab::task::TaskInstance& task, const std::vector<std::string>&,
                            std::uint64_t) const override {
    return task.reference;
  }
};

} // namespace

COLLAB_TASK_PLUGIN_EXPORT int collab_task_plugin_api_version() { return COLLAB_TASK_PLUGIN_API_VERSION; }

COLLAB_TASK_PLUGIN_EXPORT collab::task::TaskFamily* collab_task_plugin_create(const char* family, const char*, char* error,
                                                                             std::size_t errorSize) {
  if (std::strcmp(family, "echo") == 0) return new EchoFamily;
  std::snprintf(error, errorSize, "no family called %s here", family);
  return nullptr;
}
