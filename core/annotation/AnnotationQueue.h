#pragma once

// The annotation queue: which items an annotator has still to do, and how far they are.
// At turn level the items are the assistant turns of the conversations proper (sampled
// futures are not annotated); a turn counts as done when the annotator gave it any
// turn-level label, or ranked or compared the candidates it belongs to. At conversation
// level the items are the conversations.

#include "annotation/AnnotationItem.h"
#include "annotation/LabelSchema.h"

#include <cstdint>
#include <optional>
#include <string>

namespace collab::store {
class Project;
}

namespace collab::annotation {

struct QueueProgress {
  std::int64_t annotated = 0;
  std::int64_t total = 0;
};

QueueProgress queueProgress(store::Project& project, const LabelSchema& schema, LabelLevel level,
                            const std::string& annotator);

// The first item not yet annotated after `after` (from the start when empty), going round
// to the start once; nothing when every item is done.
std::optional<AnnotationItem> nextUnannotated(store::Project& project, const LabelSchema& schema, LabelLevel level,
                                              const std::string& annotator,
                                              const std::optional<AnnotationItem>& after = std::nullopt);

} // namespace collab::annotation
