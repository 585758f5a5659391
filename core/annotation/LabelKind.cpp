#include "annotation/LabelKind.h"

#include <cstddef>

namespace collab::annotation {

namespace {

// In declaration order, so an enum value indexes its name.
const std::vector<std::string_view> kKinds = {"label", "multi-label", "rating", "ranking", "pairwise", "free-text"};
const std::vector<std::string_view> kLevels = {"turn", "conversation"};

template <class E> std::optional<E> parseIn(const std::vector<std::string_view>& names, std::string_view text) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

} // namespace

std::string_view toString(LabelKind kind) { return kKinds.at(static_cast<std::size_t>(kind)); }
std::string_view toString(LabelLevel level) { return kLevels.at(static_cast<std::size_t>(level)); }
std::optional<LabelKind> parseLabelKind(std::string_view name) { return parseIn<LabelKind>(kKinds, name); }
std::optional<LabelLevel> parseLabelLevel(std::string_view name) { return parseIn<LabelLevel>(kLevels, name); }
const std::vector<std::string_view>& labelKindNames() { return kKinds; }
const std::vector<std::string_view>& labelLevelNames() { return kLevels; }

bool hasOptions(LabelKind kind) {
  return kind == LabelKind::Label || kind == LabelKind::MultiLabel || kind == LabelKind::Rating ||
         kind == LabelKind::Pairwise;
}

bool judgesCandidates(LabelKind kind) { return kind == LabelKind::Ranking || kind == LabelKind::Pairwise; }

} // namespace collab::annotation
