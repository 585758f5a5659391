#pragma once

#include <QGroupBox>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace collab::ui {

class PathField;

// The Hugging Face checkpoint a run trains, as `collab train` reads it:
// `"policy": {"model": DIR, "lora": {"r", "alpha", "dropout", "targets"}, "max_length": N}`
// (no "lora": full fine-tuning) and the config's top-level `dtype`. The model folder is
// picked with Browse…; a note under it says when it is not a checkpoint folder here (the
// GPU presets carry placeholder paths), and `collab train --check` has the last word.
class HfPolicyEditor : public QGroupBox {
  Q_OBJECT

public:
  explicit HfPolicyEditor(QWidget* parent = nullptr);

  // A relative model folder is read from here (the project's folder), as the dialog's
  // other paths are; the config gets it absolute.
  void setBaseFolder(const QString& folder);
  // Fills the fields from a policy object; fields it lacks take the CLI's defaults.
  void setPolicy(const QJsonObject& policy);
  // The fields of a new Hugging Face run: no folder yet, LoRA with CollabLLM's settings.
  void reset();
  QJsonObject policy() const;
  // `auto`, `bf16`, `f16`, `f32` (their long names are read too).
  void setDtype(const QString& dtype);
  QString dtype() const;
  QString modelFolder() const;
  // Why the folder is not a checkpoint here (empty when it looks like one).
  QString modelNote() const;

private:
  void addLoraFields(QFormLayout* form);
  void loraToggled();
  void updateModelNote();

  PathField* model_;
  QLabel* modelNote_;
  QCheckBox* lora_;
  QSpinBox* rank_;
  QDoubleSpinBox* alpha_;
  QDoubleSpinBox* dropout_;
  QLineEdit* targets_;
  QList<QWidget*> loraLabels_; // the LoRA fields' labels, greyed out with them
  QSpinBox* maxLength_;
  QComboBox* dtype_;
};

} // namespace collab::ui
