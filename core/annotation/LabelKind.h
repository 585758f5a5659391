#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace collab::annotation {

// What an annotator gives for a label.
enum class LabelKind {
  Label,      // one option of a set ("helpful": yes / partly / no)
  MultiLabel, // any options of a set ("problems": wrong, rude, too long)
  Rating,     // one point of a numeric scale (1..5)
  Ranking,    // an order of the sibling candidates for a turn, best first
  Pairwise,   // A/B between two sibling candidates: A, B, tie or both bad
  FreeText,   // a sentence or two
};

// What a label is about: one turn, or the whole conversation. Ranking and Pairwise labels
// are at turn level but judge the turn's candidates together (see AnnotationItem.h).
enum class LabelLevel { Turn, Conversation };

std::string_view toString(LabelKind kind);
std::string_view toString(LabelLevel level);
std::optional<LabelKind> parseLabelKind(std::string_view name);
std::optional<LabelLevel> parseLabelLevel(std::string_view name);
const std::vector<std::string_view>& labelKindNames();
const std::vector<std::string_view>& labelLevelNames();

// Whether the kind is answered by picking options (each with its keyboard shortcut).
bool hasOptions(LabelKind kind);
// Whether the kind judges the candidates of a turn as a group rather than one turn.
bool judgesCandidates(LabelKind kind);

} // namespace collab::annotation
