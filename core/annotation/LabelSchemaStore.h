#pragma once

#include "annotation/LabelSchema.h"

namespace collab::store {
class Project;
}

namespace collab::annotation {

// The project's label schema: its newest saved version, or defaultLabelSchema() when it
// has never saved one. Throws InputError if the stored schema cannot be read.
LabelSchema currentLabelSchema(store::Project& project);
// Whether the project has saved a schema of its own.
bool hasOwnLabelSchema(store::Project& project);
// Saves `schema` as the project's newest version (older versions stay, so annotations made
// under them can still be read). Throws collab::Error listing the problems of an invalid one.
void saveLabelSchema(store::Project& project, const LabelSchema& schema);

} // namespace collab::annotation
