#include "annotation/AnnotatorSession.h"

#include "annotation/LabelSchemaStore.h"
#include "common/Error.h"
#include "store/Project.h"

#include <set>

namespace collab::annotation {

namespace {

std::set<conversation::NodeId> candidateIds(const LabelDefinition& label, const Json& value) {
  std::set<conversation::NodeId> ids;
  if (label.kind == LabelKind::Ranking)
    for (const Json& id : value) ids.insert(id.get<conversation::NodeId>());
  else
    for (const Json& entry : value) ids.insert({entry["a"].get<conversation::NodeId>(), entry["b"].get<conversation::NodeId>()});
  return ids;
}

} // namespace

AnnotatorSession::AnnotatorSession(store::Project& project, std::string annotator)
    : project_(project), annotator_(std::move(annotator)), schema_(currentLabelSchema(project)) {
  if (annotator_.empty()) throw Error("annotations need an annotator name; set one in the settings");
}

void AnnotatorSession::reloadSchema() { schema_ = currentLabelSchema(project_); }

std::optional<Json> AnnotatorSession::value(const AnnotationItem& item, const std::string& label) const {
  const auto found = project_.annotations().find(item.tree, item.node, annotator_, label);
  if (!found) return std::nullopt;
  return Json::parse(found->valueJson);
}

void AnnotatorSession::set(const AnnotationItem& item, const std::string& label, const Json& value) {
  const LabelDefinition& definition = checkedLabel(item, label);
  if (auto problem = valueProblem(definition, value))
    throw Error(item.describe() + ", label `" + label + "`: " + *problem);
  checkItem(item);
  if (judgesCandidates(definition.kind)) checkCandidates(item, definition, value);
  project_.annotations().set({0, item.tree, item.node, annotator_, label, value.dump(), ""});
}

void AnnotatorSession::clear(const AnnotationItem& item, const std::string& label) {
  project_.annotations().remove(item.tree, item.node, annotator_, label);
}

std::string AnnotatorSession::note(const AnnotationItem& item) const {
  const auto found = project_.annotations().note(item.tree, item.node, annotator_);
  return found ? found->text : std::string();
}

void AnnotatorSession::setNote(const AnnotationItem& item, const std::string& text) {
  checkItem(item);
  project_.annotations().setNote({item.tree, item.node, annotator_, text, ""});
}

const LabelDefinition& AnnotatorSession::checkedLabel(const AnnotationItem& item, const std::string& name) const {
  const LabelDefinition* label = schema_.find(name);
  if (!label) throw Error(item.describe() + ": `" + name + "` is not a label of this project's schema");
  const LabelLevel level = item.node ? LabelLevel::Turn : LabelLevel::Conversation;
  if (label->level != level)
    throw Error(item.describe() + ": `" + name + "` is a " + std::string(toString(label->level)) +
                " label, this is a " + std::string(toString(level)));
  return *label;
}

void AnnotatorSession::checkItem(const AnnotationItem& item) const {
  if (!project_.trees().find(item.tree)) throw Error(item.describe() + ": no such conversation in the project");
  if (!item.node) return;
  const auto node = project_.nodes().find(*item.node);
  if (!node || node->treeId != item.tree) throw Error(item.describe() + ": no such turn in this conversation");
}

// A ranking or a verdict is about the candidates answering the item's turn: its children.
void AnnotatorSession::checkCandidates(const AnnotationItem& item, const LabelDefinition& label, const Json& value) const {
  std::set<conversation::NodeId> children;
  for (const auto& child : project_.nodes().children(*item.node))
    if (child.kind == conversation::NodeKind::Turn) children.insert(child.id);
  for (conversation::NodeId id : candidateIds(label, value))
    if (!children.count(id))
      throw Error(item.describe() + ", label `" + label.name + "`: node " + std::to_string(id) +
                  " is not one of the candidates answering this turn");
}

} // namespace collab::annotation
