#pragma once

#include <QDoubleSpinBox>

namespace collab::ui {

// A spin box for small positive numbers such as AdamW's ε (1e-8): shown and typed in
// scientific notation ("1e-08", "2.5e-6"), and stepped by factors of ten, where a fixed
// number of decimals would show 0.000000.
class ScientificSpinBox : public QDoubleSpinBox {
  Q_OBJECT

public:
  ScientificSpinBox(double minimum, double maximum, double value, QWidget* parent = nullptr);

  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& position) const override;
  void stepBy(int steps) override;
};

} // namespace collab::ui
