#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace collab::model {

// Threads kept for the process's life that help a caller through a list of small tasks,
// the caller working on them too: it takes whatever no helper has started, so the work
// never waits on a helper that is slow to wake or busy with another caller's list.
//
// Our own threads, not LibTorch's inter-op pool (at::launch): each thread of that pool runs
// at::init_num_threads as it starts, which re-creates the pthreadpool XNNPACK is running on
// (PackedLinear), and the first launch of a process hung a generation that way. These
// threads never call LibTorch.
class HelperThreads {
public:
  static HelperThreads& shared();

  // Runs task(i) for every i in [0, count) on this thread and up to `helpers` others and
  // returns when all are done; the first exception a task threw is rethrown then.
  void run(std::int64_t count, std::int64_t helpers, const std::function<void(std::int64_t)>& task);

  ~HelperThreads();

private:
  HelperThreads() = default;
  void serve();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::function<void()>> queue_; // under mutex_
  std::vector<std::thread> threads_;         // under mutex_
  bool stopping_ = false;                    // under mutex_
};

} // namespace collab::model
