#pragma once

#include "simulate/DemoTreeWriter.h"

#include <QWidget>

#include <vector>

class QLabel;

namespace collab::ui {

class ChatSession;
class TranscriptView;

// One checkpoint's side of the demo chat: its transcript (the act growing as the model
// draws it, then the reply), the act the policy chose for each reply, the turns kept for
// saving, and its own `collab chat` session.
class ChatPane : public QWidget {
  Q_OBJECT

public:
  ChatPane(const QString& collabProgram, QWidget* parent = nullptr);

  ChatSession* session() const { return session_; }
  void start(const QString& checkpoint, const QString& taskId);
  void send(const QString& message);
  void clear();
  // The transcript as plain text (tests read it).
  QString transcript() const;
  int replies() const { return replies_; }
  // The conversation so far; user turns without an author (the window knows who typed).
  const std::vector<simulate::AuthoredTurn>& turns() const { return turns_; }

private:
  void showStreamedWord(const QString& word);
  void showReply(const QString& text, double seconds);

  ChatSession* session_;
  QLabel* title_;
  QLabel* status_;
  TranscriptView* view_;
  QString streamedAct_;
  QString pendingAct_;
  int replies_ = 0;
  std::vector<simulate::AuthoredTurn> turns_;
};

} // namespace collab::ui
