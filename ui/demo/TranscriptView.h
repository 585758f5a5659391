#pragma once

#include <QStringList>
#include <QTextBrowser>

namespace collab::ui {

// A demo conversation as it is read aloud: one block per turn (who, in colour, then the
// text), and at the end the turn being written, re-drawn as its words stream in.
class TranscriptView : public QTextBrowser {
  Q_OBJECT

public:
  explicit TranscriptView(QWidget* parent = nullptr);

  void addTurn(const QString& who, const QString& text, const QString& colour);
  // The turn being written so far (shown last, in italics), replaced on each call.
  void setStreaming(const QString& who, const QString& text);
  void endStreaming();
  void clearTurns();
  bool streaming() const { return !streaming_.isEmpty(); }

private:
  void render();

  QStringList blocks_;
  QString streaming_;
};

} // namespace collab::ui
