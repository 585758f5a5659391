#include "TemplateEditor.h"

#include "TemplateSpans.h"
#include "persona/PromptTemplate.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolTip>

namespace collab::ui {

PlaceholderHighlighter::PlaceholderHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {}

void PlaceholderHighlighter::highlightBlock(const QString& text) {
  QTextCharFormat placeholder;
  placeholder.setForeground(QColor(0x1a, 0x5f, 0xb4));
  placeholder.setFontWeight(QFont::Bold);
  QTextCharFormat escape;
  escape.setForeground(QColor(0x77, 0x77, 0x77));
  QTextCharFormat problem;
  problem.setUnderlineStyle(QTextCharFormat::WaveUnderline);
  problem.setUnderlineColor(Qt::red);
  problem.setForeground(QColor(0xb0, 0x00, 0x20));
  for (const TemplateSpan& span : templateSpans(text)) {
    switch (span.kind) {
    case TemplateSpan::Kind::Placeholder: setFormat(span.start, span.length, placeholder); break;
    case TemplateSpan::Kind::Escape: setFormat(span.start, span.length, escape); break;
    case TemplateSpan::Kind::Problem: {
      QTextCharFormat withMessage = problem;
      withMessage.setToolTip(span.message);
      setFormat(span.start, span.length, withMessage);
      break;
    }
    }
  }
}

TemplateEditor::TemplateEditor(QWidget* parent) : QPlainTextEdit(parent) {
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  setLineWrapMode(QPlainTextEdit::WidgetWidth);
  setTabChangesFocus(true);
  new PlaceholderHighlighter(document());
}

QStringList TemplateEditor::problems() const {
  QStringList list;
  const persona::PromptTemplate parsed(toPlainText().toStdString());
  for (const auto& problem : parsed.problems())
    list << QString::fromStdString(problem.message());
  return list;
}

QString TemplateEditor::problemAt(int position) const {
  const QTextBlock block = document()->findBlock(position);
  if (!block.isValid()) return {};
  const int inBlock = position - block.position();
  for (const TemplateSpan& span : templateSpans(block.text()))
    if (span.kind == TemplateSpan::Kind::Problem && inBlock >= span.start && inBlock < span.start + span.length)
      return span.message;
  return {};
}

QTextCharFormat TemplateEditor::formatAt(int position) const {
  const QTextBlock block = document()->findBlock(position);
  const int inBlock = position - block.position();
  for (const QTextLayout::FormatRange& range : block.layout()->formats())
    if (inBlock >= range.start && inBlock < range.start + range.length) return range.format;
  return {};
}

// Tooltips arrive at the viewport, the widget under the mouse.
bool TemplateEditor::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString message = problemAt(cursorForPosition(help->pos()).position());
    if (message.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(help->globalPos(), message, this);
    return true;
  }
  return QPlainTextEdit::viewportEvent(event);
}

} // namespace collab::ui
