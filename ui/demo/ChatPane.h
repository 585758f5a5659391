#pragma once

#include <QWidget>

class QLabel;
class QTextBrowser;

namespace collab::ui {

class ChatSession;

// One checkpoint's side of the demo chat: its transcript, the act the policy chose for
// each reply, and its own `collab chat` session.
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

private:
  void append(const QString& who, const QString& text, const QString& colour);

  ChatSession* session_;
  QLabel* title_;
  QLabel* status_;
  QTextBrowser* view_;
  QString pendingAct_;
  int replies_ = 0;
};

} // namespace collab::ui
