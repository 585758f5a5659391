#include "BackgroundTask.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace collab::ui {

namespace {
// Progress is read at this pace, not pushed by the worker: the screen refreshes at most
// ~20 times a second however fast rows arrive.
constexpr int kPollMs = 50;

TaskResult runWork(const BackgroundTask::Work& work, TaskControl& control) {
  TaskResult result;
  try {
    // Work that returns has done all of it, even if a cancel came too late to stop it.
    result.value = work(control);
  } catch (const TaskCancelled&) {
    result.status = TaskResult::Status::Cancelled;
  } catch (const std::exception& e) {
    // A worker stopped on request may say so through its own error: cancelled, all the same.
    result.status = control.cancelled() ? TaskResult::Status::Cancelled : TaskResult::Status::Failed;
    result.error = QString::fromStdString(e.what());
  }
  return result;
}
} // namespace

void TaskControl::throwIfCancelled() const {
  if (cancelled()) throw TaskCancelled{};
}

BackgroundTask::BackgroundTask(QString title, Work work, QObject* parent)
    : QObject(parent), title_(std::move(title)), work_(std::move(work)), control_(std::make_shared<TaskControl>()),
      watcher_(new QFutureWatcher<TaskResult>(this)), poll_(new QTimer(this)) {
  poll_->setInterval(kPollMs);
  connect(poll_, &QTimer::timeout, this, &BackgroundTask::reportProgress);
  connect(watcher_, &QFutureWatcher<TaskResult>::finished, this, &BackgroundTask::onFinished);
}

BackgroundTask::~BackgroundTask() {
  if (!isRunning()) return;
  control_->cancel();
  watcher_->disconnect(this);
  watcher_->waitForFinished();
}

void BackgroundTask::start() {
  // The lambda owns copies of what it uses, so the task object may go while it runs.
  watcher_->setFuture(QtConcurrent::run([work = work_, control = control_] { return runWork(work, *control); }));
  poll_->start();
}

void BackgroundTask::cancel() { control_->cancel(); }

bool BackgroundTask::isRunning() const { return watcher_->isRunning(); }

void BackgroundTask::reportProgress() {
  const std::int64_t done = control_->done();
  if (done == reportedDone_) return;
  reportedDone_ = done;
  emit progressed(done, control_->total());
}

void BackgroundTask::onFinished() {
  poll_->stop();
  reportProgress();
  result_ = watcher_->result();
  emit finished(result_);
}

} // namespace collab::ui
