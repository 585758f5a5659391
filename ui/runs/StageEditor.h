#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;

namespace collab::ui {

// One stage of a training config: its method and optimisation (with gradient
// accumulation, AdamW's ε and activation checkpointing), and the fields of its method:
// for DPO the MR settings (window, samples, weights) its preference pairs are built with;
// for online DPO and PPO also the rounds; for PPO its coefficients (KL, γ, λ, clipping,
// value loss). Fields of other methods are disabled and left out of the stage.
// The policy decides the rest: the built-in policy makes its own data (the MR fields),
// a Hugging Face checkpoint trains on a JSONL file and/or the project's data (and, for
// DPO, the annotators' preferences) and runs SFT and DPO only; the other policy's fields
// are hidden and left out.
class StageEditor : public QWidget {
  Q_OBJECT

public:
  explicit StageEditor(QWidget* parent = nullptr);

  // Fields the form does not show are kept as they were.
  void setStage(const QJsonObject& stage);
  QJsonObject stage() const;
  QString name() const;
  // The stages this one may start from (init and the earlier stages).
  void setStartingPoints(const QStringList& names);
  // Whether the run trains a Hugging Face checkpoint (else the built-in policy).
  void setHuggingFacePolicy(bool hf);
  // A relative data file is read from here (the project's folder); the stage gets it absolute.
  void setBaseFolder(const QString& folder);

signals:
  void changed();

private:
  enum class Policy { Any, Builtin, HuggingFace };
  // A config field that only some methods (or one policy) take: a spin box, a check box
  // or a path field.
  struct MethodField {
    QString key;
    QWidget* box = nullptr;
    QJsonValue defaultValue;
    QStringList methods;
    Policy policy = Policy::Any;
    // A reward weight a preset can set per task family: its box's lowest value reads
    // "from preset" and leaves the field out of the stage, so the preset decides.
    bool presetCanSet = false;
    // Fields newer than most configs: left out at their default unless the stage had
    // them, so that a stage reads back as it was written.
    bool writtenWhenSet = false;
  };
  MethodField& addField(const QString& label, const QString& key, QWidget* box, const QJsonValue& defaultValue,
                        const QStringList& methods, const QString& toolTip = {});
  void addOptimisationFields();
  void addDataFields();
  void addMethodFields();
  void addRewardPreset(const QStringList& methods);
  void connectChanges();
  bool policyTakes(Policy policy) const;
  bool takes(const MethodField& field, const QString& method) const;
  static QJsonValue valueOf(const MethodField& field);
  static void show(const MethodField& field, const QJsonValue& value);
  void methodChanged();

  QJsonObject original_;
  bool hf_ = false;
  QFormLayout* form_;
  QLineEdit* name_;
  QComboBox* method_;
  QComboBox* from_;
  QSpinBox* epochs_;
  QSpinBox* batchSize_;
  QDoubleSpinBox* learningRate_;
  QSpinBox* warmup_;
  QComboBox* rewardPreset_ = nullptr;
  QStringList presetMethods_;
  QList<MethodField> fields_;
};

} // namespace collab::ui
