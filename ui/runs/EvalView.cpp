#include "runs/EvalView.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace collab::ui {

EvalView::EvalView(QString collabProgram, QWidget* parent)
    : QWidget(parent), program_(std::move(collabProgram)), process_(new QProcess(this)), tasks_(new QSpinBox),
      table_(new QTableWidget), status_(new QLabel) {
  setObjectName(QStringLiteral("evalView"));
  setWindowTitle(tr("Checkpoints side by side"));
  tasks_->setRange(1, 1000);
  tasks_->setValue(10);
  tasks_->setToolTip(tr("Test tasks per family (collab eval --tasks)"));
  auto* again = new QPushButton(tr("Evaluate again"));
  auto* form = new QFormLayout;
  form->addRow(tr("Tasks per family"), tasks_);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  status_->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(again);
  layout->addWidget(table_, 1);
  layout->addWidget(status_);
  resize(1000, 360);
  connect(again, &QPushButton::clicked, this, [this] { evaluate(checkpoints_); });
  connect(process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus exit) {
    const bool ok = exit == QProcess::NormalExit && code == 0;
    if (ok) {
      showCsv(QString::fromUtf8(process_->readAllStandardOutput()));
      status_->setText(tr("Evaluated %1 checkpoints.").arg(checkpoints_.size()));
    } else {
      const QStringList err = QString::fromUtf8(process_->readAllStandardError()).trimmed().split('\n');
      status_->setText(tr("collab eval failed: %1").arg(err.last()));
    }
    emit finished(ok);
  });
}

void EvalView::evaluate(const QStringList& checkpoints) {
  if (checkpoints.isEmpty() || running()) return;
  checkpoints_ = checkpoints;
  QStringList arguments{QStringLiteral("eval"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--tasks"),
                        QString::number(tasks_->value())};
  for (const QString& c : checkpoints) arguments << QStringLiteral("--checkpoint") << c;
  table_->clear();
  table_->setRowCount(0);
  status_->setText(tr("Evaluating… (%1 %2)").arg(program_, arguments.join(' ')));
  process_->start(program_, arguments);
}

void EvalView::setTasksPerFamily(int tasks) {
  tasks_->setValue(tasks);
}

bool EvalView::running() const {
  return process_->state() != QProcess::NotRunning;
}

QString EvalView::status() const {
  return status_->text();
}

// collab eval's CSV: a header, then one row per checkpoint (no quoted fields).
void EvalView::showCsv(const QString& csv) {
  const QStringList lines = csv.trimmed().split('\n');
  if (lines.isEmpty()) return;
  const QStringList header = lines.first().split(',');
  table_->setColumnCount(static_cast<int>(header.size()));
  table_->setHorizontalHeaderLabels(header);
  table_->setRowCount(static_cast<int>(lines.size() - 1));
  for (int row = 1; row < lines.size(); ++row) {
    const QStringList cells = lines[row].split(',');
    for (int column = 0; column < cells.size(); ++column) {
      auto* item = new QTableWidgetItem(cells[column]);
      if (column > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(row - 1, column, item);
    }
  }
}

} // namespace collab::ui
