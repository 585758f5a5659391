#pragma once

#include <QWidget>

#include <cstdint>
#include <set>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace collab::store {
class Project;
}

namespace collab::ui {

class Dashboard;
class EvalView;
class MetricsStore;
class RunDialog;
class RunLauncher;
class RunTableModel;
class TrainProcess;

// The training window: the project's runs (status, method, start, duration, best
// metrics), the selected runs overlaid on the live dashboard, the log of the selected
// run (or why it failed), and the commands on runs: new, stop, resume, duplicate and edit.
class RunsWindow : public QWidget {
  Q_OBJECT

public:
  explicit RunsWindow(QWidget* parent = nullptr);
  ~RunsWindow() override;

  void setProject(store::Project* project);
  MetricsStore* store() const { return store_; }
  RunLauncher* launcher() const { return launcher_; }
  Dashboard* dashboard() const { return dashboard_; }
  RunTableModel* runModel() const { return model_; }
  QTableView* runTable() const { return table_; }
  QPlainTextEdit* logView() const { return log_; }

  // A dialog for a new run (from `config` when given: duplicate and edit); launching is
  // done when it is accepted. Returned so that tests can fill and accept it.
  RunDialog* newRunDialog(const QString& configJson = {});
  // Starts the config a dialog accepted; null (and a message) when it cannot.
  TrainProcess* launchFrom(RunDialog* dialog);
  // The commands on the selected run.
  bool stopSelected();
  TrainProcess* resumeSelected(QString* error = nullptr);
  RunDialog* duplicateSelected();
  // The selected runs' checkpoints side by side (collab eval); false when none has one.
  bool compareSelected();
  EvalView* evalView() const { return eval_; }
  void selectRun(std::int64_t run);
  std::set<std::int64_t> selectedRuns() const;

private:
  QWidget* createToolbar();
  void selectionChanged();
  void runsChanged();
  void showLog();
  void appendLog(qint64 run, const QString& line);
  void updateButtons();

  MetricsStore* store_;
  RunLauncher* launcher_;
  RunTableModel* model_;
  Dashboard* dashboard_;
  QTableView* table_;
  QPlainTextEdit* log_;
  QLabel* status_;
  QPushButton* stop_;
  QPushButton* resume_;
  QPushButton* duplicate_;
  QPushButton* compare_;
  EvalView* eval_;
  QTimer* tick_;
};

} // namespace collab::ui
