#include "demo/JsonLinesChild.h"

#include <QJsonDocument>

namespace collab::ui {

JsonLinesChild::JsonLinesChild(QString collabProgram, QObject* parent)
    : QObject(parent), program_(std::move(collabProgram)), process_(new QProcess(this)) {
  connect(process_, &QProcess::readyReadStandardOutput, this, &JsonLinesChild::readOutput);
  connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) {
      emit failed(tr("%1 could not be started: %2").arg(program_, process_->errorString()));
      emit ended();
    }
  });
  connect(process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    readOutput(); // the last lines may come with the end
    if (!stopping_ && (status == QProcess::CrashExit || code != 0)) {
      const QString why = QString::fromUtf8(process_->readAllStandardError()).trimmed();
      emit failed(why.isEmpty() ? tr("%1 ended (exit code %2)").arg(commandName()).arg(code) : why);
    }
    emit ended();
  });
}

JsonLinesChild::~JsonLinesChild() {
  stop();
}

void JsonLinesChild::start(const QStringList& arguments) {
  stop();
  pending_.clear();
  stopping_ = false;
  process_->start(program_, arguments);
}

void JsonLinesChild::write(const QJsonObject& line) {
  process_->write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
}

void JsonLinesChild::stop() {
  if (process_->state() == QProcess::NotRunning) return;
  stopping_ = true; // ended on purpose: not a failure to report
  process_->closeWriteChannel();
  if (!process_->waitForFinished(3000)) {
    process_->kill();
    process_->waitForFinished(1000);
  }
}

void JsonLinesChild::readOutput() {
  pending_ += process_->readAllStandardOutput();
  for (qsizetype end; (end = pending_.indexOf('\n')) >= 0;) {
    const QJsonObject line = QJsonDocument::fromJson(pending_.left(end)).object();
    pending_.remove(0, end + 1);
    if (!line.isEmpty()) emit event(line);
  }
}

QString JsonLinesChild::commandName() const {
  return QStringLiteral("collab ") + process_->arguments().value(0);
}

} // namespace collab::ui
