#pragma once

#include "simulate/DemoTreeWriter.h"

#include <QJsonObject>
#include <QWidget>

#include <vector>

class QLabel;

namespace collab::ui {

class PlaySession;
class TranscriptView;
struct PlaySettings;

// One checkpoint's side of an auto-play: the simulated user's and the policy's turns as
// they are played (the act growing as the model draws it), and at the end the summary:
// task score, turns, tokens, and whether the user ended the chat.
class PlayPane : public QWidget {
  Q_OBJECT

public:
  PlayPane(const QString& collabProgram, QWidget* parent = nullptr);

  PlaySession* session() const { return session_; }
  void start(const PlaySettings& settings);
  void clear();
  QString transcript() const;
  QString summaryText() const;
  // The conversation played; user turns without an author (saving adds the persona's).
  const std::vector<simulate::AuthoredTurn>& turns() const { return turns_; }

private:
  void showStreamedWord(const QString& word);
  void showTurn(const QJsonObject& turn);
  void showSummary(const QJsonObject& summary);

  PlaySession* session_;
  QLabel* title_;
  TranscriptView* view_;
  QLabel* summary_;
  QString streamedAct_;
  std::vector<simulate::AuthoredTurn> turns_;
};

// "accuracy 1.00 · 3 assistant turns · 48 tokens · the user ended the chat"
QString summaryLine(const QJsonObject& summary);

} // namespace collab::ui
