#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace collab::persona {

// The candidate a misspelt name most likely meant, for "did you mean" hints: the closest
// one by edit distance (case-insensitive; a swap of two neighbours counts as one edit),
// if it is close enough to be a typo rather than a different word.
std::optional<std::string> nearestName(std::string_view name, const std::vector<std::string_view>& candidates);

} // namespace collab::persona
