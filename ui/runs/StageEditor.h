#pragma once

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace collab::ui {

// One stage of a training config: its method and optimisation, and for DPO the MR
// settings (window, samples, weights) its preference pairs are built with. Methods that
// `collab train` cannot run yet (online DPO, PPO) are listed, disabled, saying so.
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
  void methodChanged();

  QJsonObject original_;
  QLineEdit* name_;
  QComboBox* method_;
  QComboBox* from_;
  QSpinBox* epochs_;
  QSpinBox* batchSize_;
  QDoubleSpinBox* learningRate_;
  QSpinBox* warmup_;
  QDoubleSpinBox* beta_;
  QSpinBox* window_;
  QSpinBox* samples_;
  QSpinBox* candidates_;
  QDoubleSpinBox* tokenLambda_;
  QDoubleSpinBox* interactivity_;
  QSpinBox* pairTasks_;
  QList<QWidget*> dpoOnly_;
};

} // namespace collab::ui
