#pragma once

#include <QObject>
#include <QString>

#include <any>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

template <typename T>
class QFutureWatcher;
class QTimer;

namespace collab::ui {

// Shared by the UI and a worker thread: the worker reports progress and looks for a
// cancel request; the UI reads the one and makes the other. Lock-free, so reporting is
// cheap enough to do per row.
class TaskControl {
public:
  void setProgress(std::int64_t done, std::int64_t total) {
    total_.store(total, std::memory_order_relaxed);
    done_.store(done, std::memory_order_relaxed);
  }
  std::int64_t done() const { return done_.load(std::memory_order_relaxed); }
  std::int64_t total() const { return total_.load(std::memory_order_relaxed); }
  void cancel() { cancelled_.store(true); }
  bool cancelled() const { return cancelled_.load(); }
  // Throws TaskCancelled when a cancel was asked for: the worker unwinds (rolling back
  // its transaction) and the task ends as cancelled, not failed.
  void throwIfCancelled() const;

private:
  std::atomic<std::int64_t> done_{0}, total_{0};
  std::atomic<bool> cancelled_{false};
};

struct TaskCancelled {};

struct TaskResult {
  enum class Status { Done, Failed, Cancelled };
  Status status = Status::Done;
  QString error; // when failed: what went wrong, as the core said it
  std::any value; // when done: what the work returned
};

// Work that must not freeze the window (import, export, re-score, search): it runs on a
// thread of the global pool, reports progress ~20 times a second at most, can be
// cancelled, and hands its result back on the UI thread. The work gets its own
// TaskControl; it must not touch widgets nor the UI thread's SQLite connection (it opens
// its own: WAL lets both work at once).
class BackgroundTask : public QObject {
  Q_OBJECT

public:
  using Work = std::function<std::any(TaskControl&)>;

  BackgroundTask(QString title, Work work, QObject* parent = nullptr);
  ~BackgroundTask() override; // cancels and waits: the work may point at what is going away

  const QString& title() const { return title_; }
  void start();
  void cancel();
  bool isRunning() const;
  const TaskResult& result() const { return result_; }

signals:
  void progressed(qint64 done, qint64 total);
  void finished(const collab::ui::TaskResult& result);

private:
  void reportProgress();
  void onFinished();

  QString title_;
  Work work_;
  std::shared_ptr<TaskControl> control_;
  QFutureWatcher<TaskResult>* watcher_;
  QTimer* poll_;
  TaskResult result_;
  std::int64_t reportedDone_ = -1;
};

} // namespace collab::ui
