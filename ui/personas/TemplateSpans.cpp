#include "TemplateSpans.h"

#include "persona/PromptTemplate.h"

namespace collab::ui {

namespace {

// The UTF-16 index of a 1-based column counted in Unicode characters.
int indexOfColumn(const QString& line, std::size_t column) {
  int index = 0;
  for (std::size_t c = 1; c < column && index < line.size(); ++c)
    index += line.at(index).isHighSurrogate() && index + 1 < line.size() ? 2 : 1;
  return index;
}

// A placeholder or a brace problem reaches to the `}` that closes it on the line, or for
// an unclosed `{` up to the next brace or the end of the line.
int problemLength(const QString& line, int start, persona::TemplateProblem::Kind kind) {
  using Kind = persona::TemplateProblem::Kind;
  if (kind == Kind::StrayClosingBrace) return 1;
  int end = start + 1;
  while (end < line.size() && line.at(end) != QLatin1Char('}') && line.at(end) != QLatin1Char('{')) ++end;
  if (kind != Kind::UnclosedBrace && end < line.size() && line.at(end) == QLatin1Char('}')) ++end;
  return end - start;
}

void addPlaceholdersAndEscapes(const QString& line, const std::vector<TemplateSpan>& problems,
                               std::vector<TemplateSpan>& spans) {
  auto insideProblem = [&](int at) {
    for (const auto& p : problems)
      if (at >= p.start && at < p.start + p.length) return true;
    return false;
  };
  for (int i = 0; i < line.size(); ++i) {
    const QChar c = line.at(i);
    if ((c == QLatin1Char('{') || c == QLatin1Char('}')) && i + 1 < line.size() && line.at(i + 1) == c) {
      spans.push_back({TemplateSpan::Kind::Escape, i, 2, {}});
      ++i;
    } else if (c == QLatin1Char('{') && !insideProblem(i)) {
      const qsizetype close = line.indexOf(QLatin1Char('}'), i);
      if (close < 0) continue;
      spans.push_back({TemplateSpan::Kind::Placeholder, i, static_cast<int>(close) - i + 1, {}});
      i = static_cast<int>(close);
    }
  }
}

} // namespace

std::vector<TemplateSpan> templateSpans(const QString& line) {
  std::vector<TemplateSpan> spans;
  const persona::PromptTemplate parsed(line.toStdString());
  for (const auto& problem : parsed.problems()) {
    if (problem.line == 0) continue; // about the template as a whole, not this line
    const int start = indexOfColumn(line, problem.column);
    spans.push_back({TemplateSpan::Kind::Problem, start, problemLength(line, start, problem.kind),
                     QString::fromStdString(problem.detail)});
  }
  const std::vector<TemplateSpan> problems = spans;
  addPlaceholdersAndEscapes(line, problems, spans);
  return spans;
}

} // namespace collab::ui
