#include "annotation/HumanPreferences.h"

#include "annotation/AnnotationValue.h"
#include "store/Project.h"

namespace collab::annotation {

namespace {

store::Preference pair(const store::Annotation& annotation, conversation::NodeId chosen, conversation::NodeId rejected) {
  return {0, annotation.treeId, chosen, rejected, annotation.annotator, "annotation:" + annotation.label, annotation.createdAt};
}

void addPairs(const LabelDefinition& label, const store::Annotation& annotation, const Json& value,
              std::vector<store::Preference>& pairs) {
  if (label.kind == LabelKind::Ranking) {
    pairs.push_back(pair(annotation, value.front().get<conversation::NodeId>(), value.back().get<conversation::NodeId>()));
    return;
  }
  for (const Json& entry : value) {
    const auto a = entry["a"].get<conversation::NodeId>(), b = entry["b"].get<conversation::NodeId>();
    const std::string verdict = entry["verdict"].get<std::string>();
    if (verdict == "a") pairs.push_back(pair(annotation, a, b));
    if (verdict == "b") pairs.push_back(pair(annotation, b, a));
  }
}

} // namespace

std::vector<store::Preference> humanPreferences(store::Project& project, conversation::TreeId tree,
                                                const LabelSchema& schema) {
  std::vector<store::Preference> pairs;
  for (const store::Annotation& annotation : project.annotations().forTree(tree)) {
    const LabelDefinition* label = schema.find(annotation.label);
    if (!label || !judgesCandidates(label->kind)) continue;
    const Json value = Json::parse(annotation.valueJson, nullptr, false);
    if (value.is_discarded() || valueProblem(*label, value)) continue;
    addPairs(*label, annotation, value, pairs);
  }
  return pairs;
}

} // namespace collab::annotation
