#pragma once

#include "persona/TemplateProblem.h"

#include <QString>

#include <vector>

namespace collab::ui {

// Where things are on one line of a prompt template, in QString (UTF-16) positions,
// which is what the editor's highlighter and cursor speak; the core counts in UTF-8.
struct TemplateSpan {
  enum class Kind { Placeholder, Escape, Problem };
  Kind kind;
  int start = 0;
  int length = 0;
  QString message; // for a problem: what is wrong, without the position
};

// The placeholders, escapes ({{ and }}) and problems of one line of a template. Lines are
// independent: a placeholder must close on its line, so a line's spans depend on it alone.
std::vector<TemplateSpan> templateSpans(const QString& line);

} // namespace collab::ui
