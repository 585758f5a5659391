#include "demo/PlaySession.h"

#include "demo/JsonLinesChild.h"

namespace collab::ui {

QStringList PlaySettings::arguments() const {
  QStringList args{QStringLiteral("play"),  QStringLiteral("--checkpoint"), checkpoint,
                   QStringLiteral("--task"), taskId,                         QStringLiteral("--seed"),
                   QString::number(seed),    QStringLiteral("--max-exchanges"), QString::number(maxExchanges)};
  if (!personaFile.isEmpty()) args << QStringLiteral("--persona") << personaFile;
  return args;
}

PlaySession::PlaySession(QString collabProgram, QObject* parent)
    : QObject(parent), child_(new JsonLinesChild(std::move(collabProgram), this)) {
  connect(child_, &JsonLinesChild::event, this, &PlaySession::handle);
  connect(child_, &JsonLinesChild::failed, this, &PlaySession::failed);
  connect(child_, &JsonLinesChild::ended, this, [this] { running_ = false; });
}

void PlaySession::start(const PlaySettings& settings) {
  stop();
  settings_ = settings;
  summary_ = {};
  running_ = true;
  child_->start(settings.arguments());
}

void PlaySession::stop() {
  child_->stop();
  running_ = false;
}

void PlaySession::handle(const QJsonObject& event) {
  const QString kind = event.value(QLatin1String("event")).toString();
  if (kind == QLatin1String("ready")) {
    emit started(event.value(QLatin1String("task")).toObject(), event.value(QLatin1String("persona")).toObject());
  } else if (kind == QLatin1String("token")) {
    emit tokenStreamed(event.value(QLatin1String("text")).toString());
  } else if (kind == QLatin1String("turn")) {
    emit turnPlayed(event);
  } else if (kind == QLatin1String("summary")) {
    summary_ = event;
    emit finished(event);
  } else if (kind == QLatin1String("error")) {
    emit failed(event.value(QLatin1String("message")).toString());
  }
}

} // namespace collab::ui
