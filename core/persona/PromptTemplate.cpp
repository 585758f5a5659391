#include "persona/PromptTemplate.h"

#include "common/Error.h"
#include "persona/NearestName.h"
#include "persona/Placeholders.h"

#include <algorithm>

namespace collab::persona {

namespace {

using Kind = TemplateProblem::Kind;

TemplateProblem problemAt(const std::string& text, std::size_t offset, Kind kind, std::string detail) {
  TemplateProblem problem{kind, 1, 1, offset, std::move(detail)};
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++problem.line;
      problem.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++problem.column; // count a UTF-8 character at its first byte only
    }
  }
  return problem;
}

std::string knownList() {
  std::string list;
  for (const auto& placeholder : placeholders()) list += (list.empty() ? "{" : ", {") + std::string(placeholder.name) + "}";
  return list;
}

std::string unknownDetail(const std::string& name) {
  std::string detail = "unknown placeholder `{" + name + "}`";
  // Spaces inside the braces are a typo of their own: `{ goal }` means `{goal}`.
  const std::size_t first = name.find_first_not_of(" \t\r");
  const std::string trimmed = name.substr(first, name.find_last_not_of(" \t\r") - first + 1);
  if (auto near = nearestName(trimmed, placeholderNames())) return detail + "; did you mean `{" + *near + "}`?";
  return detail + " (known: " + knownList() + ")";
}

} // namespace

PromptTemplate::PromptTemplate(std::string text) : text_(std::move(text)) {
  std::string literal;
  auto flushLiteral = [&] {
    if (!literal.empty()) segments_.push_back({false, std::move(literal)});
    literal.clear();
  };
  const std::size_t size = text_.size();
  std::size_t i = 0;
  while (i < size) {
    const char c = text_[i];
    if (c == '}') {
      if (i + 1 < size && text_[i + 1] == '}') {
        literal += '}';
        i += 2;
      } else {
        problems_.push_back(problemAt(text_, i, Kind::StrayClosingBrace,
                                      "`}` closes nothing; write `}}` for a literal brace"));
        literal += '}';
        ++i;
      }
      continue;
    }
    if (c != '{') {
      literal += c;
      ++i;
      continue;
    }
    if (i + 1 < size && text_[i + 1] == '{') {
      literal += '{';
      i += 2;
      continue;
    }
    const std::size_t end = text_.find_first_of("{}\n", i + 1);
    if (end == std::string::npos || text_[end] != '}') {
      // Keep the brace as text and read on after it, so later problems are found too.
      problems_.push_back(problemAt(text_, i, Kind::UnclosedBrace,
                                    "`{` is not closed on its line; write `{{` for a literal brace"));
      literal += '{';
      ++i;
      continue;
    }
    const std::string name = text_.substr(i + 1, end - i - 1);
    if (name.find_first_not_of(" \t\r") == std::string::npos)
      problems_.push_back(problemAt(text_, i, Kind::EmptyPlaceholder,
                                    "empty placeholder `{" + name + "}`; write `{{}}` for literal braces"));
    else if (!findPlaceholder(name))
      problems_.push_back(problemAt(text_, i, Kind::UnknownPlaceholder, unknownDetail(name)));
    flushLiteral();
    segments_.push_back({true, name});
    i = end + 1;
  }
  flushLiteral();

  const auto used = placeholdersUsed();
  for (const auto& placeholder : placeholders())
    if (placeholder.required && std::find(used.begin(), used.end(), placeholder.name) == used.end())
      problems_.push_back({Kind::MissingPlaceholder, 0, 0, 0,
                           "missing required placeholder `{" + std::string(placeholder.name) + "}` (" +
                               std::string(placeholder.meaning) + ")"});
}

std::vector<std::string> PromptTemplate::placeholdersUsed() const {
  std::vector<std::string> used;
  for (const auto& segment : segments_)
    if (segment.placeholder && findPlaceholder(segment.text) &&
        std::find(used.begin(), used.end(), segment.text) == used.end())
      used.push_back(segment.text);
  return used;
}

std::string PromptTemplate::render(const std::map<std::string, std::string>& values) const {
  if (!isValid()) {
    std::string message = "cannot render an invalid prompt template:";
    for (const auto& problem : problems_) message += "\n" + problem.message();
    throw Error(message);
  }
  std::string result;
  for (const auto& segment : segments_) {
    if (!segment.placeholder) {
      result += segment.text;
      continue;
    }
    auto it = values.find(segment.text);
    if (it == values.end()) throw Error("no value given for placeholder `{" + segment.text + "}`");
    result += it->second;
  }
  return result;
}

} // namespace collab::persona
