#pragma once

// The frame of the tiny `collab train` configs the training suites run: seed 3, the math and
// documents families, conversations of at most 3 exchanges, the default personas (from
// COLLAB_SOURCE_DIR, which the including target defines); the stages fill it.

#include <nlohmann/json.hpp>

#include <string>

namespace collab::test {

inline nlohmann::json tinyTrainConfig(const std::string& name, const std::string& output, int tasksPerFamily,
                                      nlohmann::json stages) {
  return {{"name", name},
          {"seed", 3},
          {"output", output},
          {"families", {"math", "documents"}},
          {"tasks_per_family", tasksPerFamily},
          {"max_exchanges", 3},
          {"personas", COLLAB_SOURCE_DIR "/resources/personas"},
          {"stages", std::move(stages)}};
}

} // namespace collab::test
