#include "AnnotatorIdentity.h"

#include <QSettings>

namespace collab::ui {

QString AnnotatorIdentity::current() {
  const QString saved = QSettings().value(QLatin1String(kSettingsKey)).toString().trimmed();
  if (!saved.isEmpty()) return saved;
  const QString login = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME")).trimmed();
  return login.isEmpty() ? QStringLiteral("annotator") : login;
}

void AnnotatorIdentity::set(const QString& name) { QSettings().setValue(QLatin1String(kSettingsKey), name.trimmed()); }

} // namespace collab::ui
