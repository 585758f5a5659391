#include "AnnotationsCommand.h"

#include "annotation/AnnotationMerge.h"
#include "annotation/LabelAgreement.h"
#include "annotation/LabelSchemaJson.h"
#include "annotation/LabelSchemaStore.h"
#include "common/Error.h"
#include "store/Project.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace collab::cli {

namespace {

using nlohmann::ordered_json;

std::string statisticText(const std::optional<annotation::AgreementStatistic>& statistic) {
  if (!statistic || !statistic->value) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.3f", *statistic->value);
  return text;
}

ordered_json statisticJson(const annotation::AgreementStatistic& statistic) {
  ordered_json json = {{"value", statistic.value ? ordered_json(*statistic.value) : ordered_json()},
                       {"units", statistic.units}};
  if (!statistic.note.empty()) json["note"] = statistic.note;
  return json;
}

ordered_json reportJson(const annotation::AgreementReport& report) {
  ordered_json labels = ordered_json::array(), disagreements = ordered_json::array();
  for (const auto& label : report.labels) {
    ordered_json entry = {{"label", label.label},     {"kind", annotation::toString(label.kind)},
                          {"annotators", label.annotators}, {"items", label.units},
                          {"shared_items", label.sharedUnits}};
    if (label.cohen) entry["cohen_kappa"] = statisticJson(*label.cohen);
    entry["fleiss_kappa"] = statisticJson(label.fleiss);
    entry["krippendorff_alpha_nominal"] = statisticJson(label.alpha);
    if (!label.note.empty()) entry["note"] = label.note;
    labels.push_back(std::move(entry));
  }
  for (const auto& d : report.disagreements) {
    ordered_json answers = ordered_json::object();
    for (const auto& [annotator, answer] : d.answers) answers[annotator] = answer;
    disagreements.push_back({{"tree", d.item.tree},
                             {"node", d.item.node ? ordered_json(*d.item.node) : ordered_json()},
                             {"label", d.label},
                             {"unit", d.unit},
                             {"answers", answers}});
  }
  return {{"annotators", report.annotators}, {"labels", labels}, {"disagreements", disagreements},
          {"skipped_annotations", report.skipped}};
}

void printReport(const annotation::AgreementReport& report) {
  std::string annotators;
  for (const auto& name : report.annotators) annotators += (annotators.empty() ? "" : ", ") + name;
  std::printf("annotators: %s\n\n", annotators.empty() ? "(none)" : annotators.c_str());
  std::printf("%-16s %-12s %10s %6s %7s %8s %9s %8s\n", "label", "kind", "annotators", "items", "shared", "cohen_k",
              "fleiss_k", "alpha");
  for (const auto& label : report.labels)
    std::printf("%-16s %-12s %10zu %6zu %7zu %8s %9s %8s%s\n", label.label.c_str(),
                std::string(annotation::toString(label.kind)).c_str(), label.annotators.size(), label.units,
                label.sharedUnits, statisticText(label.cohen).c_str(), statisticText(label.fleiss).c_str(),
                statisticText(label.alpha).c_str(), label.note.empty() ? "" : ("  (" + label.note + ")").c_str());
  std::printf("\n%zu disagreement(s)\n", report.disagreements.size());
  for (const auto& d : report.disagreements) {
    std::string answers;
    for (const auto& [annotator, answer] : d.answers) answers += (answers.empty() ? "" : " | ") + annotator + ": " + answer;
    std::printf("  %s  %s%s  %s\n", d.item.describe().c_str(), d.label.c_str(),
                d.unit.empty() ? "" : (" " + d.unit).c_str(), answers.c_str());
  }
}

} // namespace

CLI::App* AnnotationsCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand("annotations", "Label schema, agreement between annotators, merging copies");
  command->require_subcommand(1);

  agreement_ = command->add_subcommand("agreement", "Agreement per label (Cohen's kappa, Fleiss' kappa, Krippendorff's "
                                                    "alpha) and the items annotators disagree on");
  agreement_->add_option("project", project_, "Project file (.collab)")->required();
  agreement_->add_flag("--json", json_, "Print one JSON object instead of text");

  merge_ = command->add_subcommand("merge", "Merge the annotations of annotated project copies into PROJECT");
  merge_->add_option("project", project_, "Project file (.collab) to merge into")->required();
  merge_->add_option("copies", copies_, "Annotated copies (.collab); only read")->required();

  schema_ = command->add_subcommand("schema", "Print the label schema (JSON), or replace it with --set");
  schema_->add_option("project", project_, "Project file (.collab)")->required();
  schema_->add_option("--set", schemaFile_, "Label schema file (JSON) to save as the project's schema");
  return command;
}

int AnnotationsCommand::run() {
  if (agreement_->parsed()) return agreement();
  if (merge_->parsed()) return merge();
  return schema();
}

int AnnotationsCommand::agreement() {
  store::Project project = store::Project::open(project_);
  const annotation::AgreementReport report =
      annotation::computeAgreement(project, annotation::currentLabelSchema(project));
  if (json_) std::cout << reportJson(report).dump(2) << '\n';
  else printReport(report);
  return 0;
}

// Each copy is one transaction: a bad copy stops the command, leaving earlier merges in.
int AnnotationsCommand::merge() {
  store::Project project = store::Project::open(project_);
  for (const std::string& copy : copies_) {
    const annotation::MergeReport report = annotation::mergeAnnotations(project, copy);
    std::printf("%s: %zu added, %zu notes added, %zu duplicates, %zu conflicts, %zu mismatched items\n", copy.c_str(),
                report.added, report.notesAdded, report.duplicates, report.conflicts.size(), report.mismatches.size());
    if (report.schemaAdopted) std::printf("  label schema taken from the copy (the project had none)\n");
    if (report.schemaDiffers) std::printf("  the copy's label schema differs: the project's is kept\n");
    for (const auto& c : report.conflicts)
      std::printf("  conflict: %s, %s, %s: here %s, in the copy %s (kept here)\n", c.item.describe().c_str(),
                  c.label.c_str(), c.annotator.c_str(), c.ours.c_str(), c.theirs.c_str());
    for (const auto& m : report.mismatches) std::printf("  left out: %s\n", m.c_str());
  }
  return 0;
}

int AnnotationsCommand::schema() {
  store::Project project = store::Project::open(project_);
  if (schemaFile_.empty()) {
    std::cout << annotation::toJson(annotation::currentLabelSchema(project)).dump(2) << '\n';
    return 0;
  }
  std::ifstream in(schemaFile_, std::ios::binary);
  if (!in) throw InputError(schemaFile_, 0, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  annotation::saveLabelSchema(project, annotation::parseLabelSchema(text.str(), schemaFile_));
  std::printf("label schema of %s set from %s\n", project_.c_str(), schemaFile_.c_str());
  return 0;
}

} // namespace collab::cli
