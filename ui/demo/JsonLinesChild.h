#pragma once

#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QStringList>

namespace collab::ui {

// A `collab` child that speaks JSON lines (collab chat, collab play): started with its
// arguments, each complete stdout line becomes an event; a failed start, a crash or a
// non-zero exit becomes one failure message naming the command and what it said on stderr.
class JsonLinesChild : public QObject {
  Q_OBJECT

public:
  JsonLinesChild(QString collabProgram, QObject* parent = nullptr);
  ~JsonLinesChild() override;

  void start(const QStringList& arguments);
  void write(const QJsonObject& line);
  // Closes its input (both commands end at end of input), then kills it if it lingers.
  void stop();
  bool running() const { return process_->state() != QProcess::NotRunning; }

signals:
  void event(const QJsonObject& event);
  void failed(const QString& message);
  void ended(); // the process ended, whether it succeeded or not

private:
  void readOutput();
  QString commandName() const;

  QString program_;
  QProcess* process_;
  QByteArray pending_;
  bool stopping_ = false;
};

} // namespace collab::ui
