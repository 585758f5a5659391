#include "annotation/LabelSchemaStore.h"

#include "annotation/LabelSchemaJson.h"
#include "common/Error.h"
#include "store/Project.h"

namespace collab::annotation {

LabelSchema currentLabelSchema(store::Project& project) {
  const std::optional<std::string> json = project.annotations().labelSchemaJson();
  if (!json) return defaultLabelSchema();
  return parseLabelSchema(*json, project.path().string() + " (label schema)");
}

bool hasOwnLabelSchema(store::Project& project) { return project.annotations().labelSchemaJson().has_value(); }

void saveLabelSchema(store::Project& project, const LabelSchema& schema) {
  if (auto problems = validate(schema); !problems.empty()) {
    std::string message = "the label schema cannot be saved:";
    for (const auto& problem : problems) message += "\n" + problem.message();
    throw Error(message);
  }
  project.annotations().addLabelSchemaVersion(toJson(schema).dump());
}

} // namespace collab::annotation
