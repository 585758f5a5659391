#include "backend/RetryPolicy.h"

#include <QtTest>

#include <set>

using collab::backend::RetryPolicy;
using std::chrono::milliseconds;

class TestRetryPolicy : public QObject {
  Q_OBJECT

private slots:
  void backoffDoublesWithEqualJitterUpToTheCap() {
    RetryPolicy policy(10, 0.1, 1.0, 60, 42);
    for (int round = 0; round < 50; ++round) {
      for (int attempt = 1; attempt <= 6; ++attempt) {
        const long long full = std::min(1000LL, 100LL << (attempt - 1));
        const auto wait = policy.backoff(attempt).count();
        QVERIFY2(wait >= full / 2 && wait <= full, qPrintable(QString("attempt %1: %2 ms").arg(attempt).arg(wait)));
      }
    }
  }

  void jitterIsReproducibleUnderASeedAndSpreadsOut() {
    RetryPolicy a(10, 1.0, 30, 60, 7), b(10, 1.0, 30, 60, 7);
    std::set<long long> seen;
    for (int i = 0; i < 20; ++i) {
      const auto wait = a.backoff(3).count();
      QCOMPARE(wait, b.backoff(3).count());
      seen.insert(wait);
    }
    QVERIFY(seen.size() > 10); // not one instant for every client
  }

  void retryableStatuses() {
    for (long status : {408L, 429L, 500L, 502L, 503L, 504L}) QVERIFY(RetryPolicy::isRetryableStatus(status));
    for (long status : {400L, 401L, 403L, 404L, 422L}) QVERIFY(!RetryPolicy::isRetryableStatus(status));
  }

  void retryAfterInSecondsOrAsADate() {
    const auto now = std::chrono::system_clock::from_time_t(1700000000); // Tue, 14 Nov 2023 22:13:20 GMT
    QCOMPARE(RetryPolicy::parseRetryAfter(" 3\r\n", now)->count(), 3000LL);
    QCOMPARE(RetryPolicy::parseRetryAfter("Tue, 14 Nov 2023 22:13:50 GMT", now)->count(), 30000LL);
    QCOMPARE(RetryPolicy::parseRetryAfter("Tue, 14 Nov 2023 22:00:00 GMT", now)->count(), 0LL); // in the past
    QVERIFY(!RetryPolicy::parseRetryAfter("soon", now));
    QVERIFY(!RetryPolicy::parseRetryAfter("", now));
  }

  void honouringRetryAfterWaitsAtLeastThatLongWithinTheLimit() {
    RetryPolicy policy(5, 0.1, 1.0, 10, 1);
    QVERIFY(policy.honour(milliseconds(2000), 1)->count() == 2000);
    QVERIFY(policy.honour(milliseconds(0), 4)->count() >= 400); // the backoff when the server says "now"
    QVERIFY(!policy.honour(milliseconds(11000), 1));
  }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retry_policy.moc"
