// The gradients of a data-parallel step travel in flat buckets (train/GradientBuckets):
// every element of every gradient lands in exactly one bucket, of its reduction type, and
// two ranks (threads of this process, each its own c10d group member over Gloo on
// loopback) that all-reduce their gradients through the buckets end with each
// parameter's own sum, bit for bit: gradients of different shapes and types, one that only
// one rank has, one that no rank has, a strided one, an empty and a 0-d parameter, with
// buckets large enough for everything and small enough to cut parameters in pieces, and
// large gradients summed in their own memory.

#include "FreePort.h"
#include "common/Error.h"
#include "train/DataParallel.h"
#include "train/DistributedEnvironment.h"
#include "train/GradientBuckets.h"
#include "train/ProcessGroup.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <exception>
#include <map>
#include <sstream>
#include <thread>

using namespace collab;

namespace {

using collab::test::freePort;

// The parameters every rank has: the same shapes and types on each, as the same model.
struct ParameterShape {
  std::vector<std::int64_t> sizes;
  at::ScalarType type;
};
const std::vector<ParameterShape>& shapes() {
  static const std::vector<ParameterShape> all = {
      {{3, 4}, at::kFloat},  {{5}, at::kDouble},    {{7}, at::kFloat},      {{2, 3}, at::kBFloat16}, {{4, 6}, at::kFloat},
      {{0, 3}, at::kFloat},  {{}, at::kFloat},      {{3, 2}, at::kDouble},  {{9}, at::kHalf},        {{1}, at::kFloat},
      {{37}, at::kFloat},    {{2, 2, 2}, at::kDouble}};
  return all;
}
constexpr std::size_t kOnlyOnRank1 = 2;  // rank 0 has no gradient for it
constexpr std::size_t kOnNoRank = 9;     // no rank has one
constexpr std::size_t kStridedOnRank0 = 4; // rank 0's gradient is a transposed view's

std::vector<at::Tensor> parametersOf() {
  std::vector<at::Tensor> parameters;
  for (const auto& shape : shapes())
    parameters.push_back(at::zeros(shape.sizes, at::dtype(shape.type)).requires_grad_(true));
  return parameters;
}

// Rank `rank`'s gradient of parameter `i`: values of its own, undefined where that rank has none.
at::Tensor gradientOf(std::size_t i, int rank) {
  if (i == kOnNoRank || (i == kOnlyOnRank1 && rank == 0)) return {};
  const auto& shape = shapes()[i];
  auto generator = at::make_generator<at::CPUGeneratorImpl>(static_cast<std::uint64_t>(1000 * rank + i + 1));
  at::Tensor values = at::randn(shape.sizes, generator, at::dtype(at::kDouble)).mul_(1.0 + static_cast<double>(i)).to(shape.type);
  if (i == kStridedOnRank0 && rank == 0) values = values.t().contiguous().t(); // same values, column-major
  return values;
}

void setGradients(const std::vector<at::Tensor>& parameters, int rank) {
  for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].mutable_grad() = gradientOf(i, rank);
}

// Each parameter's gradient summed over ranks 0 and 1 as the buckets sum it: in float64
// for float64 parameters, float32 for the others, then back in the parameter's type.
at::Tensor expectedSum(std::size_t i) {
  const at::ScalarType type = shapes()[i].type, reduction = type == at::kDouble ? at::kDouble : at::kFloat;
  at::Tensor sum = at::zeros(shapes()[i].sizes, at::dtype(reduction));
  for (int rank : {0, 1})
    if (const at::Tensor g = gradientOf(i, rank); g.defined()) sum = sum + g.to(reduction);
  return sum.to(type);
}

struct RankResult {
  std::vector<at::Tensor> gradients;
  std::vector<double> sums;
  std::exception_ptr failure;
};

// Two ranks, each in its own thread with its own group, all-reducing in buckets of `sizes`.
std::vector<RankResult> allReduceOnTwoRanks(const train::GradientBucketSizes& sizes) {
  const int port = freePort();
  std::vector<RankResult> results(2);
  std::vector<std::thread> ranks;
  for (int rank : {0, 1})
    ranks.emplace_back([&, rank] {
      RankResult& result = results[static_cast<std::size_t>(rank)];
      try {
        train::DistributedEnvironment environment;
        environment.rank = rank, environment.localRank = rank, environment.worldSize = 2;
        environment.masterAddress = "127.0.0.1", environment.masterPort = port;
        environment.timeout = std::chrono::seconds(60);
        auto group = train::ProcessGroup::join(environment);
        const std::vector<at::Tensor> parameters = parametersOf();
        setGradients(parameters, rank);
        result.sums = {1.0 + rank, 10.0 * rank};
        train::allReduceGradients(group.get(), parameters, result.sums, sizes);
        for (const auto& p : parameters) result.gradients.push_back(p.grad());
      } catch (...) {
        result.failure = std::current_exception();
      }
    });
  for (auto& rank : ranks) rank.join();
  return results;
}

QString describe(const at::Tensor& t) {
  std::ostringstream text;
  text << t;
  return QString::fromStdString(text.str());
}

} // namespace

class GradientBucketsTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { at::set_num_threads(1); }

  void bucketsCoverEveryElementOnce() {
    const std::vector<at::Tensor> parameters = parametersOf();
    const std::vector<train::GradientBucketSizes> allSizes = {{1, 1}, {40, 16}, {40, 1 << 20}, {100, 24}, {}};
    for (const auto& sizes : allSizes) {
      const auto buckets = train::gradientBuckets(parameters, sizes);
      std::map<std::size_t, std::int64_t> covered; // parameter -> elements seen, in order
      bool doubles = false;
      for (const auto& bucket : buckets) {
        QVERIFY(bucket.type == at::kFloat || bucket.type == at::kDouble);
        QVERIFY2(!doubles || bucket.type == at::kDouble, "float32 buckets come first");
        doubles = bucket.type == at::kDouble;
        const auto elementBytes = static_cast<std::int64_t>(c10::elementSize(bucket.type));
        QVERIFY(bucket.elements > 0);
        QVERIFY(bucket.elements * elementBytes <= std::max(sizes.capacityBytes, elementBytes));
        std::int64_t at = 0;
        for (const auto& slice : bucket.slices) {
          QCOMPARE(slice.at, at);
          QVERIFY(slice.length > 0);
          at += slice.length;
          const at::ScalarType type = shapes()[slice.parameter].type;
          QCOMPARE(bucket.type, type == at::kDouble ? at::kDouble : at::kFloat);
          QCOMPARE(slice.from, covered[slice.parameter]); // in order, no gap, no overlap
          covered[slice.parameter] += slice.length;
          // A large gradient has buckets of its own.
          if (parameters[slice.parameter].numel() * elementBytes >= std::min(sizes.aloneBytes, sizes.capacityBytes))
            QCOMPARE(bucket.slices.size(), std::size_t(1));
        }
        QCOMPARE(at, bucket.elements);
      }
      for (std::size_t i = 0; i < parameters.size(); ++i)
        QCOMPARE(covered[i], parameters[i].numel());
      if (sizes.capacityBytes == train::GradientBucketSizes{}.capacityBytes)
        QCOMPARE(buckets.size(), std::size_t(2)); // every gradient is small: one bucket per type
    }
  }

  void onlyFloatingParametersAreSummed() {
    QVERIFY_THROWS_EXCEPTION(Error, train::gradientBuckets({at::zeros({2}, at::kLong)}));
    QVERIFY(train::gradientBuckets({}).empty());
  }

  void twoRanksSumEachGradient_data() {
    QTest::addColumn<qint64>("capacityBytes");
    QTest::addColumn<qint64>("aloneBytes");
    const train::GradientBucketSizes defaults;
    QTest::newRow("one bucket per type") << qint64(defaults.capacityBytes) << qint64(defaults.aloneBytes);
    QTest::newRow("small ones packed and cut, large ones alone") << qint64(40) << qint64(24);
    QTest::newRow("every gradient alone, in pieces") << qint64(40) << qint64(1);
    QTest::newRow("one element per bucket") << qint64(1) << qint64(1);
  }
  void twoRanksSumEachGradient() {
    if (!train::ProcessGroup::available()) QSKIP("this LibTorch has no c10d Gloo backend");
    QFETCH(qint64, capacityBytes);
    QFETCH(qint64, aloneBytes);
    const auto results = allReduceOnTwoRanks({capacityBytes, aloneBytes});
    for (int rank : {0, 1}) {
      const RankResult& result = results[static_cast<std::size_t>(rank)];
      if (result.failure) {
        try {
          std::rethrow_exception(result.failure);
        } catch (const std::exception& e) {
          QFAIL(qPrintable(QString("rank %1: %2").arg(rank).arg(e.what())));
        }
      }
      QCOMPARE(result.sums, (std::vector<double>{3.0, 10.0}));
      QCOMPARE(result.gradients.size(), shapes().size());
      for (std::size_t i = 0; i < shapes().size(); ++i) {
        const at::Tensor& got = result.gradients[i];
        // Every rank ends with a gradient, even for the parameter no rank had one for.
        QVERIFY2(got.defined(), qPrintable(QString("rank %1, parameter %2: no gradient").arg(rank).arg(i)));
        QCOMPARE(got.scalar_type(), shapes()[i].type);
        QCOMPARE(got.sizes().vec(), shapes()[i].sizes);
        const at::Tensor expected = expectedSum(i);
        QVERIFY2(at::equal(got, expected), qPrintable(QString("rank %1, parameter %2: got %3, expected %4")
                                                          .arg(rank).arg(i).arg(describe(got), describe(expected))));
      }
    }
  }

  // The ranks end with the same bits, and a gradient alone is not summed with itself.
  void aGradientOnOneRankIsThatGradient() {
    if (!train::ProcessGroup::available()) QSKIP("this LibTorch has no c10d Gloo backend");
    const auto results = allReduceOnTwoRanks({40, 24});
    QVERIFY(!results[0].failure && !results[1].failure);
    QVERIFY(at::equal(results[0].gradients[kOnlyOnRank1], gradientOf(kOnlyOnRank1, 1)));
    QVERIFY(at::equal(results[0].gradients[kOnNoRank], at::zeros(shapes()[kOnNoRank].sizes, shapes()[kOnNoRank].type)));
    for (std::size_t i = 0; i < shapes().size(); ++i) QVERIFY(at::equal(results[0].gradients[i], results[1].gradients[i]));
  }
};

QTEST_GUILESS_MAIN(GradientBucketsTest)
#include "tst_gradient_buckets.moc"
