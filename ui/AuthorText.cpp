#include "AuthorText.h"

#include <QCoreApplication>

namespace collab::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("AuthorText", text); }

// "rule/impatient-expert@v1" -> "rule-based, persona impatient-expert, version 1"
QString describeSimulator(const QString& rest) {
  const int slash = rest.indexOf(QLatin1Char('/'));
  const QString kind = slash < 0 ? QString() : rest.left(slash);
  const QString persona = slash < 0 ? rest : rest.mid(slash + 1);
  QStringList parts;
  if (kind == QLatin1String("rule"))
    parts << tr("rule-based");
  else if (!kind.isEmpty())
    parts << kind;
  const int at = persona.lastIndexOf(QLatin1String("@v"));
  if (at > 0)
    parts << tr("persona %1, version %2").arg(persona.left(at), persona.mid(at + 2));
  else if (!persona.isEmpty())
    parts << tr("persona %1").arg(persona);
  return parts.join(QStringLiteral(", "));
}

} // namespace

QString describeAuthor(const std::string& author) {
  const QString text = QString::fromStdString(author);
  const int colon = text.indexOf(QLatin1Char(':'));
  if (colon < 0) return text.isEmpty() ? tr("unknown") : text;
  const QString kind = text.left(colon), rest = text.mid(colon + 1);
  if (kind == QLatin1String("policy")) return tr("Policy — %1").arg(rest);
  if (kind == QLatin1String("simulator")) return tr("Simulated user — %1").arg(describeSimulator(rest));
  if (kind == QLatin1String("dataset")) return tr("Dataset — %1").arg(rest);
  if (kind == QLatin1String("human")) return tr("Human — %1").arg(rest);
  return text;
}

} // namespace collab::ui
