#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

namespace collab::ui {

class JsonLinesChild;

// What one side of an auto-play runs: a checkpoint against the simulated user of a task.
struct PlaySettings {
  QString checkpoint;
  QString taskId;      // FAMILY/SEED/INDEX
  QString personaFile; // a persona file (JSON); empty: the reference persona
  quint64 seed = 0;
  int maxExchanges = 6;

  // `collab play ...`: the arguments, as a terminal would take them too.
  QStringList arguments() const;
};

// One `collab play` child: the simulated user and the checkpoint play the task to its end
// in that process; each turn, each act word as it is drawn and the final summary (task
// score, turns, tokens) come back as events.
class PlaySession : public QObject {
  Q_OBJECT

public:
  PlaySession(QString collabProgram, QObject* parent = nullptr);

  void start(const PlaySettings& settings);
  void stop();
  const PlaySettings& settings() const { return settings_; }
  bool running() const { return running_; }
  bool done() const { return !summary_.isEmpty(); }
  QJsonObject summary() const { return summary_; }

signals:
  void started(const QJsonObject& task, const QJsonObject& persona);
  void tokenStreamed(const QString& word);
  void turnPlayed(const QJsonObject& turn); // role, content; act and tokens for the assistant
  void finished(const QJsonObject& summary);
  void failed(const QString& message);

private:
  void handle(const QJsonObject& event);

  JsonLinesChild* child_;
  PlaySettings settings_;
  QJsonObject summary_;
  bool running_ = false;
};

} // namespace collab::ui
