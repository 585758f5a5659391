#pragma once

#include "store/Project.h"

#include <string>

namespace collab::test {

// The content of a project as canonical text, without ids or timestamps: trees in order,
// each node under its parent with role, kind, sample, text and scores. Two projects with
// the same content give the same dump, whatever ids their rows got.
std::string projectDump(store::Project& project);

} // namespace collab::test
