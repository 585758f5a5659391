#include "annotation/LabelSchema.h"

#include "annotation/Shortcut.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace collab::annotation {

namespace {

constexpr std::size_t kMaxNameBytes = 80;

std::string labelField(std::size_t index) { return "labels[" + std::to_string(index) + "]"; }
std::string optionField(std::size_t label, std::size_t option) {
  return labelField(label) + ".options[" + std::to_string(option) + "]";
}

bool isNumber(const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

void checkName(const LabelDefinition& label, std::size_t index, std::set<std::string>& seen,
               std::vector<SchemaProblem>& problems) {
  const std::string field = labelField(index) + ".name";
  if (label.name.empty()) return problems.push_back({field, "expected a name, found an empty one"});
  if (label.name.front() == ' ' || label.name.back() == ' ')
    problems.push_back({field, "`" + label.name + "` starts or ends with a space"});
  if (std::any_of(label.name.begin(), label.name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
    problems.push_back({field, "contains a line break or control character"});
  if (label.name.size() > kMaxNameBytes)
    problems.push_back({field, std::to_string(label.name.size()) + " bytes long, at most 80 allowed"});
  if (!seen.insert(label.name).second) problems.push_back({field, "`" + label.name + "` is the name of an earlier label"});
}

void checkOptionCount(const LabelDefinition& label, std::size_t index, std::vector<SchemaProblem>& problems) {
  const std::string field = labelField(index) + ".options";
  if (!hasOptions(label.kind)) {
    if (!label.options.empty())
      problems.push_back({field, "a " + std::string(toString(label.kind)) + " label has no options, found " +
                                     std::to_string(label.options.size())});
    return;
  }
  const std::size_t least = label.kind == LabelKind::MultiLabel ? 1 : 2;
  if (label.options.size() < least)
    problems.push_back({field, "expected at least " + std::to_string(least) + " options, found " +
                                   std::to_string(label.options.size())});
  if (label.kind == LabelKind::Pairwise) {
    std::vector<std::string> values;
    for (const auto& option : label.options) values.push_back(option.value);
    if (values != pairwiseVerdicts())
      problems.push_back({field, "a pairwise label has the options a, b, tie, both-bad, in this order"});
  }
}

void checkOptionValues(const LabelDefinition& label, std::size_t index, std::vector<SchemaProblem>& problems) {
  std::set<std::string> values;
  for (std::size_t i = 0; i < label.options.size(); ++i) {
    const std::string field = optionField(index, i) + ".value";
    const std::string& value = label.options[i].value;
    if (value.empty()) problems.push_back({field, "expected a value, found an empty one"});
    else if (!values.insert(value).second) problems.push_back({field, "`" + value + "` is the value of an earlier option"});
    if (label.kind == LabelKind::Rating && !value.empty() && !isNumber(value))
      problems.push_back({field, "a rating option's value is a number, found `" + value + "`"});
  }
}

// Shortcuts are active for every label of a level at once, so they are unique per level.
void checkShortcuts(const LabelSchema& schema, std::vector<SchemaProblem>& problems) {
  std::map<std::pair<LabelLevel, std::string>, std::string> owners;
  for (std::size_t l = 0; l < schema.labels.size(); ++l) {
    const LabelDefinition& label = schema.labels[l];
    for (std::size_t o = 0; o < label.options.size(); ++o) {
      const std::string& text = label.options[o].shortcut;
      if (text.empty()) continue;
      const std::string field = optionField(l, o) + ".shortcut";
      const std::optional<std::string> key = normalizeShortcut(text);
      if (!key) {
        problems.push_back({field, "expected a key with optional Ctrl+, Alt+, Shift+, Meta+ (such as `Y` or `Shift+2`), found `" +
                                       text + "`"});
        continue;
      }
      const auto& reserved = reservedShortcuts();
      if (std::find(reserved.begin(), reserved.end(), *key) != reserved.end()) {
        problems.push_back({field, "`" + *key + "` is kept by the annotation panel"});
        continue;
      }
      const std::string owner = "`" + label.name + "` option `" + label.options[o].value + "`";
      const auto [it, fresh] = owners.emplace(std::make_pair(label.level, *key), owner);
      if (!fresh) problems.push_back({field, "`" + *key + "` is also the shortcut of " + it->second});
    }
  }
}

} // namespace

const LabelOption* LabelDefinition::option(std::string_view value) const {
  for (const auto& candidate : options)
    if (candidate.value == value) return &candidate;
  return nullptr;
}

const std::vector<std::string>& pairwiseVerdicts() {
  static const std::vector<std::string> verdicts = {"a", "b", "tie", "both-bad"};
  return verdicts;
}

std::vector<LabelOption> defaultOptions(LabelKind kind) {
  switch (kind) {
  case LabelKind::Rating:
    return {{"1", "1 — poor", "1"}, {"2", "2", "2"}, {"3", "3", "3"}, {"4", "4", "4"}, {"5", "5 — excellent", "5"}};
  case LabelKind::Pairwise:
    return {{"a", "A is better", "A"}, {"b", "B is better", "B"}, {"tie", "Tie", "T"}, {"both-bad", "Both bad", "X"}};
  default: return {};
  }
}

const LabelDefinition* LabelSchema::find(std::string_view name) const {
  for (const auto& label : labels)
    if (label.name == name) return &label;
  return nullptr;
}

std::vector<const LabelDefinition*> LabelSchema::atLevel(LabelLevel level) const {
  std::vector<const LabelDefinition*> result;
  for (const auto& label : labels)
    if (label.level == level) result.push_back(&label);
  return result;
}

LabelSchema defaultLabelSchema() {
  using K = LabelKind;
  using L = LabelLevel;
  LabelSchema schema;
  schema.labels = {
      {"helpful", K::Label, L::Turn, "Does this response move the user towards their goal?",
       {{"yes", "Yes", "Y"}, {"partly", "Partly", "P"}, {"no", "No", "N"}}},
      {"question", K::Label, L::Turn, "If the response asks something: was the question worth the user's time?",
       {{"needed", "Needed question", "Q"}, {"needless", "Needless question", "W"}, {"none", "No question", "E"}}},
      {"problems", K::MultiLabel, L::Turn, "What is wrong with the response?",
       {{"wrong", "Wrong", "R"}, {"too-long", "Too long", "L"}, {"ignores-user", "Ignores the user", "I"}}},
      {"quality", K::Rating, L::Turn, "Overall quality of the response", defaultOptions(K::Rating)},
      {"candidates", K::Ranking, L::Turn, "Order the alternative responses for this turn, best first", {}},
      {"compare", K::Pairwise, L::Turn, "Which of two alternative responses is better?", defaultOptions(K::Pairwise)},
      {"outcome", K::Label, L::Conversation, "Did the user get what they wanted?",
       {{"met", "Goal met", "G"}, {"partly", "Partly met", "P"}, {"missed", "Goal missed", "M"}}},
      {"effort", K::Rating, L::Conversation, "How much effort did the conversation cost the user? (1: a lot, 5: very little)",
       defaultOptions(K::Rating)},
      {"summary", K::FreeText, L::Conversation, "What went well or badly, in a sentence", {}},
  };
  return schema;
}

std::vector<SchemaProblem> validate(const LabelSchema& schema) {
  std::vector<SchemaProblem> problems;
  std::set<std::string> names;
  for (std::size_t i = 0; i < schema.labels.size(); ++i) {
    const LabelDefinition& label = schema.labels[i];
    checkName(label, i, names, problems);
    checkOptionCount(label, i, problems);
    checkOptionValues(label, i, problems);
  }
  checkShortcuts(schema, problems);
  return problems;
}

} // namespace collab::annotation
