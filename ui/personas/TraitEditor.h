#pragma once

#include "persona/Traits.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QSlider;

namespace collab::ui {

// A persona's traits as controls: a slider per numeric trait (0 to 1 in steps of 0.01,
// its value next to it, its meaning in the tooltip), a combo box per categorical trait,
// and the free traits as "name: value" lines.
class TraitEditor : public QWidget {
  Q_OBJECT

public:
  explicit TraitEditor(QWidget* parent = nullptr);

  void setTraits(const persona::Traits& traits);
  persona::Traits traits() const;

  QSlider* slider(std::string_view trait) const;
  QComboBox* combo(std::string_view trait) const;

signals:
  void edited();

private:
  void addNumeric(const persona::NumericTrait& trait, QFormLayout* form);
  QComboBox* addCategorical(std::string_view name, const std::vector<std::string_view>& values, QFormLayout* form);

  struct Numeric {
    const persona::NumericTrait* trait;
    QSlider* slider;
    QLabel* value;
  };
  std::vector<Numeric> numeric_;
  persona::Traits loaded_;
  QComboBox* tone_;
  QComboBox* disclosure_;
  QComboBox* fluency_;
  QPlainTextEdit* extra_;
  bool loading_ = false;
};

} // namespace collab::ui
