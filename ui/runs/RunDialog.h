#pragma once

#include "runs/TrainProcess.h"

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;

namespace collab::ui {

class RunLauncher;
class StageEditor;

// "New training run": a config built from a preset and edited field by field (model,
// data, stages with their method and MR settings, device, processes), the launch target
// (this machine or `ssh HOST`) and the exact command line. Accepting writes the config
// beside the project and checks it with `collab train --check` — the same reading as the
// run itself — and stays open with the message when it is refused.
class RunDialog : public QDialog {
  Q_OBJECT

public:
  RunDialog(RunLauncher* launcher, QWidget* parent = nullptr);

  // Presets shipped with the workbench (name → config).
  static QStringList presetNames();
  void loadPreset(const QString& name);
  // Fills the form from a config (duplicate and edit).
  void setConfig(const QJsonObject& config);
  QJsonObject config() const;
  LaunchTarget target() const;
  // Where accept() wrote the config (valid after it).
  QString configPath() const { return configPath_; }
  QString commandLine() const;
  QString error() const;
  // Writes and checks the config; true when it may be launched (the dialog's OK).
  bool validateAndWrite();

  void accept() override;

private:
  QWidget* createGeneralPage();
  QWidget* createStagesPage();
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
  QComboBox* model_;
  QCheckBox* lora_;
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
