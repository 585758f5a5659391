#include "annotation/AnnotationQueue.h"

#include "store/Project.h"

#include <nlohmann/json.hpp>

namespace collab::annotation {

namespace {

store::QueueLevel queueLevel(LabelLevel level) {
  return level == LabelLevel::Turn ? store::QueueLevel::AssistantTurns : store::QueueLevel::Conversations;
}

store::QueueLabels queueLabels(const LabelSchema& schema, LabelLevel level) {
  nlohmann::json items = nlohmann::json::array(), groups = nlohmann::json::array();
  for (const LabelDefinition* label : schema.atLevel(level))
    (judgesCandidates(label->kind) ? groups : items).push_back(label->name);
  return {items.dump(), groups.dump()};
}

} // namespace

QueueProgress queueProgress(store::Project& project, const LabelSchema& schema, LabelLevel level,
                            const std::string& annotator) {
  auto& annotations = project.annotations();
  return {annotations.annotatedCount(queueLevel(level), annotator, queueLabels(schema, level)),
          annotations.queueSize(queueLevel(level))};
}

std::optional<AnnotationItem> nextUnannotated(store::Project& project, const LabelSchema& schema, LabelLevel level,
                                              const std::string& annotator, const std::optional<AnnotationItem>& after) {
  const store::QueueLabels labels = queueLabels(schema, level);
  auto next = [&](conversation::TreeId tree, conversation::NodeId node) -> std::optional<AnnotationItem> {
    const auto found = project.annotations().nextUnannotated(queueLevel(level), annotator, labels, tree, node);
    if (!found) return std::nullopt;
    return AnnotationItem{found->tree, found->node};
  };
  if (after)
    if (auto found = next(after->tree, after->node.value_or(0))) return found;
  // Round to the start: what was skipped before `after` is still to do.
  return next(0, 0);
}

} // namespace collab::annotation
