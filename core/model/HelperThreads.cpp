#include "model/HelperThreads.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>

namespace collab::model {

namespace {

// One run's tasks, handed out to whoever asks next. Shared, because a helper may pick up
// its share only after the caller has done everything and returned: it must still find
// out that nothing is left, and touch nothing of the caller's.
struct TaskList {
  std::function<void(std::int64_t)> task;
  std::int64_t count = 0;
  std::atomic<std::int64_t> next{0};
  std::mutex mutex;
  std::condition_variable allDone;
  std::int64_t done = 0;      // under mutex
  std::exception_ptr failure; // under mutex: the first
};

void work(TaskList& list) {
  for (std::int64_t i; (i = list.next.fetch_add(1)) < list.count;) {
    std::exception_ptr failure;
    try {
      list.task(i);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard lock(list.mutex);
    if (failure && !list.failure) list.failure = failure;
    if (++list.done == list.count) list.allDone.notify_all();
  }
}

} // namespace

HelperThreads& HelperThreads::shared() {
  static HelperThreads threads;
  return threads;
}

void HelperThreads::run(std::int64_t count, std::int64_t helpers, const std::function<void(std::int64_t)>& task) {
  if (count <= 0) return;
  auto list = std::make_shared<TaskList>();
  list->task = task; // a copy: a late helper may outlive the caller's function, not the list
  list->count = count;
  helpers = std::min(helpers, count - 1);
  if (helpers > 0) {
    std::lock_guard lock(mutex_);
    while (static_cast<std::int64_t>(threads_.size()) < helpers) threads_.emplace_back([this] { serve(); });
    for (std::int64_t h = 0; h < helpers; ++h) queue_.push_back([list] { work(*list); });
  }
  if (helpers > 0) wake_.notify_all();
  work(*list);
  std::unique_lock lock(list->mutex);
  list->allDone.wait(lock, [&] { return list->done == list->count; });
  if (list->failure) std::rethrow_exception(list->failure);
}

void HelperThreads::serve() {
  for (;;) {
    std::function<void()> next;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = std::move(queue_.back());
      queue_.pop_back();
    }
    next();
  }
}

HelperThreads::~HelperThreads() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

} // namespace collab::model
