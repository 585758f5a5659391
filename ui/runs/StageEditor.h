#pragma once

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace collab::ui {

// One stage of a training config: its method and optimisation, and the fields of its
// method: for DPO the MR settings (window, samples, weights) its preference pairs are
// built with; for online DPO and PPO also the rounds; for PPO its coefficients (KL, γ, λ,
// clipping, value loss). Fields of other methods are disabled and left out of the stage.
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

signals:
  void changed();

private:
  // A config field that only some methods take, shown as a spin box.
  struct MethodField {
    QString key;
    QSpinBox* integer = nullptr;
    QDoubleSpinBox* real = nullptr;
    double defaultValue = 0.0;
    QStringList methods;
    // A reward weight a preset can set per task family: its box's lowest value reads
    // "from preset" and leaves the field out of the stage, so the preset decides.
    bool presetCanSet = false;
  };
  void addField(const QString& label, const QString& key, QWidget* box, double defaultValue, const QStringList& methods,
                const QString& toolTip = {});
  void methodChanged();
  void addRewardPreset(const QStringList& methods);

  QJsonObject original_;
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
