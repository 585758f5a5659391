#include "runs/ScientificSpinBox.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace collab::ui {

namespace {
// QDoubleSpinBox rounds every value to its decimals: enough that 1e-12 survives unchanged.
constexpr int kDecimals = 20;
} // namespace

ScientificSpinBox::ScientificSpinBox(double minimum, double maximum, double value, QWidget* parent) : QDoubleSpinBox(parent) {
  setDecimals(kDecimals);
  setRange(minimum, maximum);
  setValue(value);
}

QString ScientificSpinBox::textFromValue(double value) const {
  return QString::number(value, 'g', 6);
}

double ScientificSpinBox::valueFromText(const QString& text) const {
  return text.trimmed().toDouble();
}

QValidator::State ScientificSpinBox::validate(QString& text, int&) const {
  bool ok = false;
  const double value = text.trimmed().toDouble(&ok);
  if (ok && value >= minimum() && value <= maximum()) return QValidator::Acceptable;
  // On the way to a number ("1e-", "2.", ""): typing may go on.
  static const QRegularExpression partial(QStringLiteral("^\\s*[0-9]*\\.?[0-9]*([eE][-+]?[0-9]*)?\\s*$"));
  return partial.match(text).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}

void ScientificSpinBox::stepBy(int steps) {
  setValue(std::clamp(value() * std::pow(10.0, steps), minimum(), maximum()));
}

} // namespace collab::ui
