#include "annotation/LabelAgreement.h"

#include "annotation/AnnotationValue.h"
#include "store/Project.h"

#include <algorithm>
#include <map>
#include <set>

namespace collab::annotation {

namespace {

struct UnitKey {
  AnnotationItem item;
  std::string unit;
  auto operator<=>(const UnitKey&) const = default;
};

// unit -> annotator -> (category compared, answer shown)
using Answers = std::map<UnitKey, std::map<std::string, std::pair<std::string, std::string>>>;

std::string pairName(conversation::NodeId a, conversation::NodeId b) {
  return "#" + std::to_string(a) + " vs #" + std::to_string(b);
}

void addAnswer(const LabelDefinition& label, const store::Annotation& annotation, const Json& value, Answers& answers) {
  const AnnotationItem item{annotation.treeId, annotation.nodeId};
  if (label.kind != LabelKind::Pairwise) {
    std::string category = describeValue(label, value);
    if (label.kind == LabelKind::MultiLabel) category = value.dump(); // sorted values: the set itself
    answers[{item, ""}][annotation.annotator] = {category, describeValue(label, value)};
    return;
  }
  // Each pair read in one orientation (lower id first), so "A better" on (15, 16) and
  // "B better" on (16, 15) are the same answer.
  for (const Json& entry : value) {
    const auto a = entry["a"].get<conversation::NodeId>(), b = entry["b"].get<conversation::NodeId>();
    const auto low = std::min(a, b), high = std::max(a, b);
    const std::string verdict = *verdictOn(value, low, high);
    const LabelOption* option = label.option(verdict);
    answers[{item, pairName(low, high)}][annotation.annotator] = {verdict, option ? option->text : verdict};
  }
}

LabelAgreement agreementOf(const LabelDefinition& label, const Answers& answers, std::vector<Disagreement>& disagreements) {
  LabelAgreement result;
  result.label = label.name;
  result.kind = label.kind;
  std::set<std::string> annotators;
  for (const auto& [unit, byAnnotator] : answers)
    for (const auto& [annotator, answer] : byAnnotator) annotators.insert(annotator);
  result.annotators.assign(annotators.begin(), annotators.end());
  Ratings ratings;
  for (const auto& [unit, byAnnotator] : answers) {
    ++result.units;
    std::vector<std::optional<std::string>> row;
    std::set<std::string> categories;
    for (const auto& annotator : result.annotators) {
      auto it = byAnnotator.find(annotator);
      row.push_back(it == byAnnotator.end() ? std::nullopt : std::optional(it->second.first));
      if (it != byAnnotator.end()) categories.insert(it->second.first);
    }
    ratings.push_back(std::move(row));
    if (byAnnotator.size() < 2) continue;
    ++result.sharedUnits;
    if (categories.size() < 2) continue;
    Disagreement disagreement{unit.item, label.name, unit.unit, {}};
    for (const auto& [annotator, answer] : byAnnotator) disagreement.answers.emplace_back(annotator, answer.second);
    disagreements.push_back(std::move(disagreement));
  }
  if (result.annotators.size() == 2) result.cohen = cohensKappa(ratings);
  result.fleiss = fleissKappa(ratings);
  result.alpha = krippendorffAlphaNominal(ratings);
  return result;
}

} // namespace

AgreementReport computeAgreement(store::Project& project, const LabelSchema& schema) {
  AgreementReport report;
  std::map<std::string, Answers> answersByLabel;
  std::set<std::string> annotators;
  project.annotations().forEach([&](const store::Annotation& annotation) {
    const LabelDefinition* label = schema.find(annotation.label);
    const Json value = Json::parse(annotation.valueJson, nullptr, false);
    if (!label || value.is_discarded() || valueProblem(*label, value)) {
      ++report.skipped;
      return true;
    }
    annotators.insert(annotation.annotator);
    if (label->kind != LabelKind::FreeText) addAnswer(*label, annotation, value, answersByLabel[label->name]);
    return true;
  });
  report.annotators.assign(annotators.begin(), annotators.end());
  for (const LabelDefinition& label : schema.labels) {
    if (label.kind == LabelKind::FreeText) {
      report.labels.push_back({label.name, label.kind, {}, 0, 0, std::nullopt, {}, {}, "free text is not compared"});
      continue;
    }
    report.labels.push_back(agreementOf(label, answersByLabel[label.name], report.disagreements));
  }
  std::stable_sort(report.disagreements.begin(), report.disagreements.end(),
                   [](const Disagreement& a, const Disagreement& b) { return a.item < b.item; });
  return report;
}

} // namespace collab::annotation
