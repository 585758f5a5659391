#pragma once

// Preference pairs from what annotators said, for DPO next to the pairs ranked by MR:
// - a pairwise verdict "A is better" gives (A, B), "B is better" gives (B, A); a tie or
//   "both bad" gives no pair (there is nothing to prefer);
// - a ranking gives its first against its last candidate, as the MR pairs take the best
//   against the worst scored sibling.
// One pair per annotator and judgement: where annotators disagree, both pairs are kept,
// each with its annotator, so the training set says who preferred what.

#include "annotation/LabelSchema.h"
#include "conversation/Node.h"
#include "store/AnnotationRepository.h"

#include <vector>

namespace collab::store {
class Project;
}

namespace collab::annotation {

// Pairs of `tree`, source "annotation:LABEL", in annotation order. Answers that do not fit
// the schema (of labels since removed, say) are left out.
std::vector<store::Preference> humanPreferences(store::Project& project, conversation::TreeId tree,
                                                const LabelSchema& schema);

} // namespace collab::annotation
