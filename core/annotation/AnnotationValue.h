#pragma once

// The value of one annotation, as the JSON the project stores, by label kind:
//
//   label        "yes"                                      an option's value
//   multi-label  ["too-long", "wrong"]                      option values, sorted, no repeats
//   rating       4                                          an option's value, as a number
//   ranking      [17, 15, 16]                               candidate node ids, best first
//   pairwise     [{"a": 15, "b": 16, "verdict": "tie"}]     one verdict per pair judged
//   free-text    "asked exactly what mattered"
//
// A pairwise label holds a list because a turn with three candidates has three pairs.

#include "annotation/LabelSchema.h"
#include "conversation/Node.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace collab::annotation {

using Json = nlohmann::json;

// What is wrong with `value` for `label`, or nothing when it fits.
std::optional<std::string> valueProblem(const LabelDefinition& label, const Json& value);

// The value that picking `option` stores (ratings as numbers, others as text).
Json optionValue(const LabelDefinition& label, const LabelOption& option);
// A multi-label value with `option` turned on or off.
Json toggledOption(const Json& multiLabelValue, const std::string& option);
// A pairwise value with the verdict on (a, b) set, replacing any earlier verdict on the
// same two candidates in either order.
Json withVerdict(const Json& pairwiseValue, conversation::NodeId a, conversation::NodeId b, const std::string& verdict);
// The verdict recorded on (a, b), read in that order ("a" means a is better), if any.
std::optional<std::string> verdictOn(const Json& pairwiseValue, conversation::NodeId a, conversation::NodeId b);

// A short text for lists: "Yes", "Too long, Wrong", "4", "#17 > #15 > #16", "#15 vs #16: tie".
std::string describeValue(const LabelDefinition& label, const Json& value);

} // namespace collab::annotation
