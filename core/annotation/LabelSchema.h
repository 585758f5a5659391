#pragma once

// What annotators are asked, per project: a list of labels, each of a kind (LabelKind.h),
// at turn or conversation level, with the options to pick from and a keyboard shortcut
// for each option. Kept in the project (LabelSchemaStore.h) so that every copy sent to an
// annotator asks the same questions.

#include "annotation/LabelKind.h"

#include <string>
#include <string_view>
#include <vector>

namespace collab::annotation {

struct LabelOption {
  std::string value;    // what is stored ("yes", "4", "both-bad")
  std::string text;     // what the button says ("Yes", "4 — good")
  std::string shortcut; // "Y", "Shift+4"; empty for none

  bool operator==(const LabelOption&) const = default;
};

struct LabelDefinition {
  std::string name; // identifies the label in annotations: never shown translated
  LabelKind kind = LabelKind::Label;
  LabelLevel level = LabelLevel::Turn;
  std::string description; // the question the label asks, for the annotator
  std::vector<LabelOption> options;

  bool operator==(const LabelDefinition&) const = default;

  const LabelOption* option(std::string_view value) const;
};

// The options a new label of `kind` starts with: a 1..5 scale for ratings, A / B / tie /
// both bad for pairwise comparisons, none for the others.
std::vector<LabelOption> defaultOptions(LabelKind kind);
// The values a pairwise verdict takes, in order: "a", "b", "tie", "both-bad".
const std::vector<std::string>& pairwiseVerdicts();

struct LabelSchema {
  std::vector<LabelDefinition> labels;

  bool operator==(const LabelSchema&) const = default;

  const LabelDefinition* find(std::string_view name) const;
  std::vector<const LabelDefinition*> atLevel(LabelLevel level) const;
};

// The schema of a project that has not defined its own: one label of every kind, aimed
// at what CollabLLM cares about (did the response help, was its question worth asking).
LabelSchema defaultLabelSchema();

// One problem with a schema, named by its place in the schema file
// ("labels[2].options[1].shortcut: `Y` is also the shortcut of `helpful` option `yes`").
struct SchemaProblem {
  std::string field;
  std::string detail;

  std::string message() const { return "field `" + field + "`: " + detail; }
};

// Every problem: label names (present, unique, one line), options of kinds that have
// them (present, unique values, numbers for ratings, the four verdicts for pairwise),
// shortcuts (valid, not reserved, unique among the labels of one level, which are
// active together). Empty when the schema can be used.
std::vector<SchemaProblem> validate(const LabelSchema& schema);

} // namespace collab::annotation
