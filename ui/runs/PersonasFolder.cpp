#include "runs/PersonasFolder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace collab::ui {

QString defaultPersonasFolder() {
  const QDir here(QCoreApplication::applicationDirPath());
  for (const QString& candidate : {QStringLiteral("../share/collab/personas"), QStringLiteral("../../../resources/personas"),
                                   QStringLiteral("../../../../resources/personas")})
    if (QFileInfo::exists(here.filePath(candidate))) return QDir::cleanPath(here.filePath(candidate));
  return {};
}

} // namespace collab::ui
