#pragma once

#include "annotation/AnnotationItem.h"
#include "annotation/AnnotationValue.h"
#include "annotation/LabelSchema.h"

#include <optional>
#include <string>

namespace collab::store {
class Project;
}

namespace collab::annotation {

// One annotator at work on a project: reads and writes their labels and notes, each write
// checked against the project's label schema, so that what lands in the project is always
// something the schema asked for.
class AnnotatorSession {
public:
  // Throws collab::Error for an empty annotator name (every annotation says who made it).
  AnnotatorSession(store::Project& project, std::string annotator);

  const std::string& annotator() const { return annotator_; }
  const LabelSchema& schema() const { return schema_; }
  // Rereads the schema after it was edited.
  void reloadSchema();

  std::optional<Json> value(const AnnotationItem& item, const std::string& label) const;
  // Throws collab::Error naming the item and label when the label is unknown, is of the
  // other level, or the value does not fit it; or when the item is not in the project.
  void set(const AnnotationItem& item, const std::string& label, const Json& value);
  void clear(const AnnotationItem& item, const std::string& label);

  std::string note(const AnnotationItem& item) const;
  void setNote(const AnnotationItem& item, const std::string& text);

private:
  const LabelDefinition& checkedLabel(const AnnotationItem& item, const std::string& name) const;
  void checkItem(const AnnotationItem& item) const;
  void checkCandidates(const AnnotationItem& item, const LabelDefinition& label, const Json& value) const;

  store::Project& project_;
  std::string annotator_;
  LabelSchema schema_;
};

} // namespace collab::annotation
