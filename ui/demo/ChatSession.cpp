#include "demo/ChatSession.h"

#include "demo/JsonLinesChild.h"

namespace collab::ui {

ChatSession::ChatSession(QString collabProgram, QObject* parent)
    : QObject(parent), child_(new JsonLinesChild(std::move(collabProgram), this)) {
  connect(child_, &JsonLinesChild::event, this, &ChatSession::handle);
  connect(child_, &JsonLinesChild::failed, this, &ChatSession::failed);
  connect(child_, &JsonLinesChild::ended, this, [this] { ready_ = waiting_ = false; });
}

void ChatSession::start(const QString& checkpoint, const QString& taskId, quint64 seed) {
  close();
  checkpoint_ = checkpoint;
  seed_ = seed;
  child_->start({QStringLiteral("chat"), QStringLiteral("--checkpoint"), checkpoint, QStringLiteral("--task"), taskId,
                 QStringLiteral("--seed"), QString::number(seed)});
}

void ChatSession::send(const QString& userMessage) {
  if (!ready_) return;
  waiting_ = true;
  child_->write({{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), userMessage}});
}

void ChatSession::reset() {
  if (ready_) child_->write({{QStringLiteral("command"), QStringLiteral("reset")}});
}

void ChatSession::close() {
  child_->stop();
  ready_ = waiting_ = false;
}

void ChatSession::handle(const QJsonObject& event) {
  const QString kind = event.value(QLatin1String("event")).toString();
  if (kind == QLatin1String("ready")) {
    ready_ = true;
    task_ = event.value(QLatin1String("task")).toObject();
    emit started(task_);
  } else if (kind == QLatin1String("token")) {
    emit tokenStreamed(event.value(QLatin1String("text")).toString());
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
