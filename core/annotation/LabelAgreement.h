#pragma once

// How far a project's annotators agree, label by label, and on which items they do not.
//
// Each label's answers become nominal categories per unit (Agreement.h): a unit is an
// item for most kinds; for a pairwise label it is one pair of candidates (so a turn
// with three candidates gives three units). A multi-label answer counts as the whole set
// chosen, a ranking as the whole order; free text is not compared.

#include "annotation/Agreement.h"
#include "annotation/AnnotationItem.h"
#include "annotation/LabelSchema.h"

#include <string>
#include <utility>
#include <vector>

namespace collab::store {
class Project;
}

namespace collab::annotation {

struct LabelAgreement {
  std::string label;
  LabelKind kind = LabelKind::Label;
  std::vector<std::string> annotators; // those who answered this label
  std::size_t units = 0;               // units answered by anyone
  std::size_t sharedUnits = 0;         // units answered by two or more
  std::optional<AgreementStatistic> cohen; // only with exactly two annotators
  AgreementStatistic fleiss;
  AgreementStatistic alpha;
  std::string note; // "free text is not compared"
};

struct Disagreement {
  AnnotationItem item;
  std::string label;
  std::string unit; // what within the item: "" or "#15 vs #16"
  std::vector<std::pair<std::string, std::string>> answers; // annotator, answer as text
};

struct AgreementReport {
  std::vector<std::string> annotators;
  std::vector<LabelAgreement> labels; // in schema order
  std::vector<Disagreement> disagreements; // by item, then label
  std::size_t skipped = 0; // annotations of labels not in the schema, or not fitting it
};

AgreementReport computeAgreement(store::Project& project, const LabelSchema& schema);

} // namespace collab::annotation
