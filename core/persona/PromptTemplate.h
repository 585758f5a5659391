#pragma once

// A user-simulator prompt with named placeholders, in the syntax of std::format and
// Python's str.format: `{goal}` is replaced by a value, `{{` and `}}` stand for literal
// braces (a JSON example in a prompt is written `{{"response": "..."}}`). A placeholder
// must be closed on the line it opens. The placeholders known and required are listed in
// Placeholders.h.

#include "persona/TemplateProblem.h"

#include <map>
#include <string>
#include <vector>

namespace collab::persona {

class PromptTemplate {
public:
  // Never throws: an invalid template is kept with its problems, so an editor can show them.
  explicit PromptTemplate(std::string text = {});

  const std::string& text() const { return text_; }
  // Every problem, in order of position, whole-template problems last.
  const std::vector<TemplateProblem>& problems() const { return problems_; }
  bool isValid() const { return problems_.empty(); }
  // The known placeholders used, each once, in order of first use.
  std::vector<std::string> placeholdersUsed() const;

  // The text with every placeholder replaced by its value (inserted as is: braces in a
  // value are not read as placeholders) and escapes resolved. Throws collab::Error listing
  // the problems if the template is invalid, or naming a used placeholder without a value.
  std::string render(const std::map<std::string, std::string>& values) const;

private:
  struct Segment {
    bool placeholder;
    std::string text; // literal text, or the placeholder's name
  };

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<TemplateProblem> problems_;
};

} // namespace collab::persona
