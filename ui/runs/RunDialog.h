#pragma once

#include "runs/TrainProcess.h"

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;

namespace collab::ui {

class HfPolicyEditor;
class RunLauncher;
class StageEditor;

// "New training run": a config built from a preset and edited field by field (model:
// the built-in policy with its task settings, or a Hugging Face checkpoint with LoRA,
// length and dtype; stages with their method, data and MR settings; device; processes),
// the launch target (this machine or `ssh HOST`) and the exact command line (several
// processes: under torchrun). Accepting writes the config beside the project and checks
// it with `collab train --check` — the same reading as the run itself — and stays open
// with the message when it is refused.
class RunDialog : public QDialog {
  Q_OBJECT

public:
  RunDialog(RunLauncher* launcher, QWidget* parent = nullptr);

  // Presets shipped with the workbench (name → config).
  static QStringList presetNames();
  // The one a new dialog starts from: the CPU quickstart.
  static QString defaultPresetName();
  void loadPreset(const QString& name);
  // Fills the form from a config (duplicate and edit).
  void setConfig(const QJsonObject& config);
  QJsonObject config() const;
  // Where it runs and with how many data-parallel processes.
  LaunchTarget target() const;
  bool huggingFacePolicy() const;
  // Where accept() wrote the config (valid after it).
  QString configPath() const { return configPath_; }
  QString commandLine() const;
  QString error() const;
  // Writes and checks the config; true when it may be launched (the dialog's OK).
  bool validateAndWrite();

  void accept() override;

private:
  QWidget* createGeneralPage();
  void addModelRows();
  void addBuiltinRows();
  void addLaunchRows();
  QWidget* createStagesPage();
  void modelKindChanged();
  void writeBuiltinPolicy(QJsonObject& config) const;
  void writeHfPolicy(QJsonObject& config) const;
  QString launchProblem() const;
  void addStage(const QJsonObject& stage);
  void removeStage();
  void updateStartingPoints();
  void updateCommandLine();
  QString configFileFor(const QString& name) const;

  RunLauncher* launcher_;
  QString stamp_; // the config file's name: one per dialog
  QJsonObject base_;
  QString configPath_;
  QComboBox* preset_;
  QLineEdit* name_;
  QLineEdit* output_;
  QFormLayout* general_;
  QComboBox* model_;
  HfPolicyEditor* hfPolicy_;
  QHBoxLayout* familyRow_;
  QList<QCheckBox*> families_;
  QSpinBox* tasksPerFamily_;
  QSpinBox* maxExchanges_;
  QLineEdit* personas_;
  QSpinBox* seed_;
  QComboBox* device_;
  QSpinBox* processes_;
  QComboBox* target_;
  QLineEdit* sshHost_;
  QTabWidget* stages_;
  QLineEdit* command_;
  QLabel* error_;
};

} // namespace collab::ui
