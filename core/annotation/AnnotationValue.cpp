#include "annotation/AnnotationValue.h"

#include "io/JsonFields.h"

#include <algorithm>
#include <set>

namespace collab::annotation {

namespace {

std::optional<std::string> expected(const std::string& what, const Json& found) {
  return "expected " + what + ", found " + io::describeFound(found);
}

std::optional<std::string> optionProblem(const LabelDefinition& label, const std::string& value) {
  if (label.option(value)) return std::nullopt;
  std::string list;
  for (const auto& option : label.options) list += (list.empty() ? "" : ", ") + option.value;
  return "`" + value + "` is not an option of `" + label.name + "` (options: " + list + ")";
}

// Ratings are compared as numbers, so 4 and 4.0 are the same point of the scale.
std::optional<std::string> ratingProblem(const LabelDefinition& label, const Json& value) {
  if (!value.is_number()) return expected("a number", value);
  for (const auto& option : label.options)
    if (std::stod(option.value) == value.get<double>()) return std::nullopt;
  return optionProblem(label, value.dump());
}

std::optional<std::string> pairwiseProblem(const LabelDefinition& label, const Json& value) {
  if (!value.is_array()) return expected("an array of {a, b, verdict}", value);
  for (const Json& entry : value) {
    if (!entry.is_object() || !entry.contains("a") || !entry.contains("b") || !entry.contains("verdict") ||
        !entry["a"].is_number_integer() || !entry["b"].is_number_integer() || !entry["verdict"].is_string())
      return expected("{\"a\": node id, \"b\": node id, \"verdict\": text}", entry);
    if (entry["a"] == entry["b"]) return "a candidate is compared with itself (" + entry["a"].dump() + ")";
    if (auto problem = optionProblem(label, entry["verdict"].get<std::string>())) return problem;
  }
  return std::nullopt;
}

std::optional<std::string> rankingProblem(const Json& value) {
  if (!value.is_array() || value.size() < 2) return expected("an array of at least two node ids", value);
  std::set<std::int64_t> seen;
  for (const Json& id : value) {
    if (!id.is_number_integer()) return expected("a node id", id);
    if (!seen.insert(id.get<std::int64_t>()).second) return "node " + id.dump() + " is ranked twice";
  }
  return std::nullopt;
}

std::string optionText(const LabelDefinition& label, const std::string& value) {
  const LabelOption* option = label.option(value);
  return option ? option->text : value;
}

} // namespace

std::optional<std::string> valueProblem(const LabelDefinition& label, const Json& value) {
  switch (label.kind) {
  case LabelKind::Label:
    if (!value.is_string()) return expected("a string", value);
    return optionProblem(label, value.get<std::string>());
  case LabelKind::MultiLabel:
    if (!value.is_array()) return expected("an array of option values", value);
    for (const Json& entry : value) {
      if (!entry.is_string()) return expected("a string", entry);
      if (auto problem = optionProblem(label, entry.get<std::string>())) return problem;
    }
    return std::nullopt;
  case LabelKind::Rating: return ratingProblem(label, value);
  case LabelKind::Ranking: return rankingProblem(value);
  case LabelKind::Pairwise: return pairwiseProblem(label, value);
  case LabelKind::FreeText:
    if (!value.is_string()) return expected("a string", value);
    return std::nullopt;
  }
  return std::nullopt;
}

Json optionValue(const LabelDefinition& label, const LabelOption& option) {
  if (label.kind == LabelKind::Rating) return std::stod(option.value);
  return option.value;
}

Json toggledOption(const Json& multiLabelValue, const std::string& option) {
  std::set<std::string> chosen;
  if (multiLabelValue.is_array())
    for (const Json& entry : multiLabelValue)
      if (entry.is_string()) chosen.insert(entry.get<std::string>());
  if (!chosen.erase(option)) chosen.insert(option);
  return Json(std::vector<std::string>(chosen.begin(), chosen.end()));
}

Json withVerdict(const Json& pairwiseValue, conversation::NodeId a, conversation::NodeId b, const std::string& verdict) {
  Json result = Json::array();
  if (pairwiseValue.is_array())
    for (const Json& entry : pairwiseValue) {
      const bool samePair = (entry.value("a", 0LL) == a && entry.value("b", 0LL) == b) ||
                            (entry.value("a", 0LL) == b && entry.value("b", 0LL) == a);
      if (!samePair) result.push_back(entry);
    }
  result.push_back({{"a", a}, {"b", b}, {"verdict", verdict}});
  return result;
}

std::optional<std::string> verdictOn(const Json& pairwiseValue, conversation::NodeId a, conversation::NodeId b) {
  if (!pairwiseValue.is_array()) return std::nullopt;
  for (const Json& entry : pairwiseValue) {
    const std::string verdict = entry.value("verdict", "");
    if (entry.value("a", 0LL) == a && entry.value("b", 0LL) == b) return verdict;
    if (entry.value("a", 0LL) == b && entry.value("b", 0LL) == a)
      return verdict == "a" ? "b" : verdict == "b" ? "a" : verdict; // the same verdict, read the other way round
  }
  return std::nullopt;
}

std::string describeValue(const LabelDefinition& label, const Json& value) {
  std::string text;
  switch (label.kind) {
  case LabelKind::Label: return value.is_string() ? optionText(label, value.get<std::string>()) : value.dump();
  case LabelKind::MultiLabel:
    for (const Json& entry : value) text += (text.empty() ? "" : ", ") + optionText(label, entry.get<std::string>());
    return text.empty() ? "(none)" : text;
  case LabelKind::Rating: {
    if (!value.is_number()) return value.dump();
    const double number = value.get<double>();
    return number == static_cast<double>(static_cast<long long>(number)) ? std::to_string(static_cast<long long>(number))
                                                                          : value.dump();
  }
  case LabelKind::Ranking:
    for (const Json& id : value) text += (text.empty() ? "#" : " > #") + id.dump();
    return text;
  case LabelKind::Pairwise:
    for (const Json& entry : value)
      text += (text.empty() ? "#" : "; #") + entry["a"].dump() + " vs #" + entry["b"].dump() + ": " +
              optionText(label, entry["verdict"].get<std::string>());
    return text;
  case LabelKind::FreeText: return value.is_string() ? value.get<std::string>() : value.dump();
  }
  return value.dump();
}

} // namespace collab::annotation
