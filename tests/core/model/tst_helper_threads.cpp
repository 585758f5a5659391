// HelperThreads: every task runs exactly once whatever the helpers, callers on several
// threads at once share the helpers without mixing their tasks, a task's exception reaches
// its caller, and a caller finishes alone when it asks for no helper.

#include "model/HelperThreads.h"

#include <QtTest>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using collab::model::HelperThreads;

class HelperThreadsTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void everyTaskRunsOnce() {
    for (std::int64_t helpers : {0, 1, 3, 8}) {
      std::vector<std::atomic<int>> runs(1000);
      HelperThreads::shared().run(1000, helpers, [&](std::int64_t i) { ++runs[static_cast<std::size_t>(i)]; });
      for (const auto& r : runs) QCOMPARE(r.load(), 1);
    }
  }

  void callersOnSeveralThreadsKeepTheirOwnTasks() {
    constexpr int kCallers = 6, kTasks = 200;
    std::vector<std::vector<std::int64_t>> results(kCallers, std::vector<std::int64_t>(kTasks, 0));
    std::vector<std::thread> callers;
    for (int c = 0; c < kCallers; ++c)
      callers.emplace_back([&, c] {
        for (int round = 0; round < 20; ++round)
          HelperThreads::shared().run(kTasks, 2, [&, c](std::int64_t i) { results[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)] += c * 1000 + i; });
      });
    for (auto& t : callers) t.join();
    for (int c = 0; c < kCallers; ++c)
      for (int i = 0; i < kTasks; ++i) QCOMPARE(results[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)], std::int64_t(20 * (c * 1000 + i)));
  }

  void aTasksExceptionReachesTheCaller() {
    std::atomic<int> ran{0};
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, HelperThreads::shared().run(50, 2, [&](std::int64_t i) {
      ++ran;
      if (i == 17) throw std::runtime_error("task 17");
    }));
    QCOMPARE(ran.load(), 50); // the others still ran: the caller returns only when all are done
  }

  void noHelperMeansThisThreadOnly() {
    const auto caller = std::this_thread::get_id();
    bool elsewhere = false;
    HelperThreads::shared().run(100, 0, [&](std::int64_t) { elsewhere = elsewhere || std::this_thread::get_id() != caller; });
    QVERIFY(!elsewhere);
  }
};

QTEST_APPLESS_MAIN(HelperThreadsTest)
#include "tst_helper_threads.moc"
