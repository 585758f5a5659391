#pragma once

#include <QPlainTextEdit>
#include <QSyntaxHighlighter>
#include <QStringList>

namespace collab::ui {

// Colours the placeholders of a prompt template and underlines its problems with a red
// wave, line by line (TemplateSpans.h).
class PlaceholderHighlighter : public QSyntaxHighlighter {
  Q_OBJECT

public:
  explicit PlaceholderHighlighter(QTextDocument* document);

protected:
  void highlightBlock(const QString& text) override;
};

// The prompt template editor: monospace, highlighted, and validated as it is typed.
// Hovering an underlined problem shows what is wrong; problems() lists them all with
// their positions, as the persona form shows them under the editor.
class TemplateEditor : public QPlainTextEdit {
  Q_OBJECT

public:
  explicit TemplateEditor(QWidget* parent = nullptr);

  // "LINE:COLUMN (byte OFFSET): detail" per problem, as the core words them.
  QStringList problems() const;
  // The problem under a document position (what the tooltip shows), or an empty string.
  QString problemAt(int position) const;
  // Character formats applied by the highlighter at a document position (for tests).
  QTextCharFormat formatAt(int position) const;

protected:
  bool viewportEvent(QEvent* event) override;
};

} // namespace collab::ui
