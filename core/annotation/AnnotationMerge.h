#pragma once

// Bringing annotations home: a project copy sent to an annotator comes back labelled, and
// its annotations, notes and (if this project has none) label schema are merged in.
//
// Items are matched by id, as a copy keeps the ids of the project it was made from, and
// checked: a turn must have the same role and text in both files, a conversation the same
// title and source, or the annotation is left out as a mismatch (the copy was not made
// from this project, or was edited). One answer per annotator, item and label: an answer
// already here with the same value is a duplicate; one with another value is a conflict,
// reported and left as it is here.

#include "annotation/AnnotationItem.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace collab::store {
class Project;
}

namespace collab::annotation {

struct MergeConflict {
  AnnotationItem item;
  std::string label; // "(note)" for a note
  std::string annotator;
  std::string ours;
  std::string theirs;
};

struct MergeReport {
  std::size_t added = 0;
  std::size_t duplicates = 0;
  std::size_t notesAdded = 0;
  std::vector<MergeConflict> conflicts;
  std::vector<std::string> mismatches; // "tree 3, turn 17: the turn's text differs"
  bool schemaAdopted = false;  // this project had no schema and took the copy's
  bool schemaDiffers = false;  // both have one and they differ: this project's is kept
};

// Merges in one transaction: on any error nothing is written. The other file is only
// read. Throws ProjectError when it is missing, not a project, or newer than this build.
MergeReport mergeAnnotations(store::Project& into, const std::filesystem::path& other);

} // namespace collab::annotation
