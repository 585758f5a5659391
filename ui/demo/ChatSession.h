#pragma once

#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QString>

namespace collab::ui {

// One `collab chat --checkpoint DIR` child: the user's messages go to its stdin as JSON
// lines, its act and reply come back as events. The model runs in that process, never
// in the GUI's.
class ChatSession : public QObject {
  Q_OBJECT

public:
  ChatSession(QString collabProgram, QObject* parent = nullptr);
  ~ChatSession() override;

  void start(const QString& checkpoint, const QString& taskId, quint64 seed = 0);
  void send(const QString& userMessage);
  void reset();
  void close();
  bool ready() const { return ready_; }
  bool waiting() const { return waiting_; }
  QString checkpoint() const { return checkpoint_; }
  QJsonObject task() const { return task_; }

signals:
  void started(const QJsonObject& task);
  void actChosen(const QString& act);
  void replied(const QString& text, double seconds);
  void failed(const QString& message);

private:
  void readOutput();
  void handle(const QJsonObject& event);

  QString program_;
  QProcess* process_;
  QString checkpoint_;
  QJsonObject task_;
  QByteArray pending_;
  bool ready_ = false;
  bool waiting_ = false;
};

} // namespace collab::ui
