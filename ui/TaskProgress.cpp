#include "TaskProgress.h"

#include "BackgroundTask.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace collab::ui {

namespace {
constexpr int kScale = 1000; // the bar counts per mille: totals may pass int's range
}

TaskProgress::TaskProgress(QWidget* parent)
    : QWidget(parent), label_(new QLabel(this)), bar_(new QProgressBar(this)), cancel_(new QToolButton(this)) {
  setObjectName(QStringLiteral("taskProgress"));
  bar_->setObjectName(QStringLiteral("taskProgressBar"));
  bar_->setMaximumWidth(180);
  bar_->setTextVisible(false);
  cancel_->setObjectName(QStringLiteral("taskCancel"));
  cancel_->setText(tr("Cancel"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(label_);
  layout->addWidget(bar_);
  layout->addWidget(cancel_);
  hide();
}

void TaskProgress::track(BackgroundTask* task) {
  label_->setText(task->title());
  bar_->setRange(0, 0); // busy until the first report says how much there is
  cancel_->setEnabled(true);
  cancel_->disconnect();
  connect(cancel_, &QToolButton::clicked, task, [this, task] {
    task->cancel();
    cancel_->setEnabled(false);
    label_->setText(tr("%1 — cancelling…").arg(task->title()));
  });
  connect(task, &BackgroundTask::progressed, this, [this](qint64 done, qint64 total) {
    if (total <= 0) return;
    bar_->setRange(0, kScale);
    bar_->setValue(static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * kScale));
  });
  connect(task, &BackgroundTask::finished, this, &QWidget::hide);
  show();
}

} // namespace collab::ui
