#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QProcess;
class QSpinBox;
class QTableWidget;

namespace collab::ui {

// Checkpoints side by side: `collab eval --checkpoint A --checkpoint B ... --format csv`
// run as a child, its table shown as it comes back (task score, tokens, interactivity,
// MR, turns, questions, each with its 95% interval).
class EvalView : public QWidget {
  Q_OBJECT

public:
  EvalView(QString collabProgram, QWidget* parent = nullptr);

  void setCollabProgram(const QString& program) { program_ = program; }
  void setTasksPerFamily(int tasks);
  void evaluate(const QStringList& checkpoints);
  bool running() const;
  QTableWidget* table() const { return table_; }
  QString status() const;

signals:
  void finished(bool ok);

private:
  void showCsv(const QString& csv);

  QString program_;
  QProcess* process_;
  QSpinBox* tasks_;
  QTableWidget* table_;
  QLabel* status_;
  QStringList checkpoints_;
};

} // namespace collab::ui
