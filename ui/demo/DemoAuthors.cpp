#include "demo/DemoAuthors.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

namespace collab::ui {

std::string policyAuthor(const QString& checkpoint) {
  const QDir stage(QDir::cleanPath(checkpoint));
  QDir run = stage;
  const QString runName = run.cdUp() ? run.dirName() : QString();
  return ("policy:" + (runName.isEmpty() ? stage.dirName() : runName + '/' + stage.dirName())).toStdString();
}

std::string policyParams(const QString& checkpoint, quint64 seed, const QString& act) {
  const QJsonObject params{{QStringLiteral("checkpoint"), QDir::cleanPath(checkpoint)},
                           {QStringLiteral("seed"), QString::number(seed)},
                           {QStringLiteral("act"), act}};
  return QJsonDocument(params).toJson(QJsonDocument::Compact).toStdString();
}

simulate::DemoBranch branchOf(std::vector<simulate::AuthoredTurn> turns, const std::string& userAuthor) {
  for (auto& turn : turns)
    if (turn.message.role == conversation::Role::User) turn.author = userAuthor;
  return {std::move(turns), std::nullopt};
}

} // namespace collab::ui
