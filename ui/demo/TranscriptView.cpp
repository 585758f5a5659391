#include "demo/TranscriptView.h"

#include <QScrollBar>

namespace collab::ui {

namespace {

QString block(const QString& who, const QString& text, const QString& colour, bool italic) {
  const QString body = text.toHtmlEscaped().replace('\n', QLatin1String("<br>"));
  return QStringLiteral("<p><b style=\"color:%1\">%2</b><br>%3</p>")
      .arg(colour, who.toHtmlEscaped(), italic ? QStringLiteral("<i>%1</i>").arg(body) : body);
}

} // namespace

TranscriptView::TranscriptView(QWidget* parent) : QTextBrowser(parent) {
  setOpenLinks(false);
}

void TranscriptView::addTurn(const QString& who, const QString& text, const QString& colour) {
  blocks_ << block(who, text, colour, false);
  streaming_.clear();
  render();
}

void TranscriptView::setStreaming(const QString& who, const QString& text) {
  streaming_ = block(who, text, QStringLiteral("#7a7a7a"), true);
  render();
}

void TranscriptView::endStreaming() {
  if (streaming_.isEmpty()) return;
  streaming_.clear();
  render();
}

void TranscriptView::clearTurns() {
  blocks_.clear();
  streaming_.clear();
  clear();
}

void TranscriptView::render() {
  // The whole conversation again: a demo has tens of turns, and a block replaced in
  // place would need cursor bookkeeping for no visible gain.
  setHtml(blocks_.join(QString()) + streaming_);
  verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

} // namespace collab::ui
