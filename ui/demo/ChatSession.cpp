#include "demo/ChatSession.h"

#include <QJsonDocument>

namespace collab::ui {

ChatSession::ChatSession(QString collabProgram, QObject* parent)
    : QObject(parent), program_(std::move(collabProgram)), process_(new QProcess(this)) {
  connect(process_, &QProcess::readyReadStandardOutput, this, &ChatSession::readOutput);
  connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) emit failed(tr("%1 could not be started: %2").arg(program_, process_->errorString()));
  });
  connect(process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    ready_ = waiting_ = false;
    if (status == QProcess::CrashExit || code != 0) {
      const QString why = QString::fromUtf8(process_->readAllStandardError()).trimmed();
      emit failed(why.isEmpty() ? tr("collab chat ended (exit code %1)").arg(code) : why);
    }
  });
}

ChatSession::~ChatSession() {
  close();
}

void ChatSession::start(const QString& checkpoint, const QString& taskId, quint64 seed) {
  close();
  checkpoint_ = checkpoint;
  pending_.clear();
  process_->start(program_, {QStringLiteral("chat"), QStringLiteral("--checkpoint"), checkpoint, QStringLiteral("--task"), taskId,
                             QStringLiteral("--seed"), QString::number(seed)});
}

void ChatSession::send(const QString& userMessage) {
  if (!ready_) return;
  waiting_ = true;
  const QJsonObject line{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), userMessage}};
  process_->write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
}

void ChatSession::reset() {
  if (!ready_) return;
  process_->write(QJsonDocument(QJsonObject{{QStringLiteral("command"), QStringLiteral("reset")}}).toJson(QJsonDocument::Compact) + '\n');
}

void ChatSession::close() {
  if (process_->state() == QProcess::NotRunning) return;
  process_->closeWriteChannel(); // end of input: collab chat ends by itself
  if (!process_->waitForFinished(3000)) {
    process_->kill();
    process_->waitForFinished(1000);
  }
  ready_ = waiting_ = false;
}

void ChatSession::readOutput() {
  pending_ += process_->readAllStandardOutput();
  for (qsizetype end; (end = pending_.indexOf('\n')) >= 0;) {
    handle(QJsonDocument::fromJson(pending_.left(end)).object());
    pending_.remove(0, end + 1);
  }
}

void ChatSession::handle(const QJsonObject& event) {
  const QString kind = event.value(QLatin1String("event")).toString();
  if (kind == QLatin1String("ready")) {
    ready_ = true;
    task_ = event.value(QLatin1String("task")).toObject();
    emit started(task_);
  } else if (kind == QLatin1String("act")) {
    emit actChosen(event.value(QLatin1String("act")).toString());
  } else if (kind == QLatin1String("reply")) {
    waiting_ = false;
    emit replied(event.value(QLatin1String("content")).toString(), event.value(QLatin1String("seconds")).toDouble());
  } else if (kind == QLatin1String("error")) {
    emit failed(event.value(QLatin1String("message")).toString());
  }
}

} // namespace collab::ui
