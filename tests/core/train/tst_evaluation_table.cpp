// The evaluation table's statistics: paired differences between checkpoints measured on
// the same conversations, checked against values worked out by hand.

#include "common/Error.h"
#include "policy/Evaluation.h"

#include <QtTest>

using collab::policy::EvaluationRow;
using collab::policy::TableFormat;

namespace {

EvaluationRow row(const std::string& name, std::vector<double> task) {
  EvaluationRow r;
  r.name = name;
  r.conversations = task.size();
  r.task = collab::policy::estimate(task);
  r.values.task = task;
  r.values.tokensK = std::vector<double>(task.size(), 0.05);
  r.values.interactivity = std::vector<double>(task.size(), 0.5);
  return r;
}

} // namespace

class EvaluationTableTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void pairedDifferenceByHand() {
    // Differences 0.1, 0.2, 0.3: mean 0.2, sample sd 0.1, half-width 1.96 * 0.1 / sqrt(3).
    const auto d = collab::policy::pairedDifference({0.5, 0.2, 0.9}, {0.6, 0.4, 1.2});
    QVERIFY(std::abs(d.mean - 0.2) < 1e-12);
    QVERIFY(std::abs(d.halfWidth - 1.96 * 0.1 / std::sqrt(3.0)) < 1e-12);
  }

  // Two policies whose scores swing together from task to task: side by side their
  // intervals overlap, paired the difference is clear.
  void pairingSeparatesWhatSideBySideCannot() {
    const std::vector<double> a = {0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6};
    std::vector<double> b;
    for (std::size_t i = 0; i < a.size(); ++i) b.push_back(a[i] + (i % 2 ? 0.04 : 0.06));
    const auto ea = collab::policy::estimate(a), eb = collab::policy::estimate(b);
    QVERIFY(eb.mean - eb.halfWidth < ea.mean + ea.halfWidth); // the intervals overlap
    const auto d = collab::policy::pairedDifference(a, b);
    QVERIFY(d.mean - d.halfWidth > 0.0);
    const std::string text = collab::policy::formatPairedDifferences({row("base", a), row("trained", b)}, 0, "task", TableFormat::Text);
    QVERIFY2(text.find("Paired differences against base") != std::string::npos, text.c_str());
    QVERIFY2(text.find("trained") != std::string::npos && text.find("+0.050 ± ") != std::string::npos, text.c_str());
    QVERIFY2(text.find(" *") != std::string::npos, text.c_str()); // the task difference excludes 0
    const std::string markdown = collab::policy::formatPairedDifferences({row("base", a), row("trained", b)}, 0, "task", TableFormat::Markdown);
    QVERIFY2(markdown.starts_with("| checkpoint − base | Δ task |"), markdown.c_str());
    QVERIFY(collab::policy::formatPairedDifferences({row("base", a)}, 0, "task", TableFormat::Text).empty());
    // Against the second row: the first shows as the negative difference.
    const std::string reversed = collab::policy::formatPairedDifferences({row("base", a), row("trained", b)}, 1, "task", TableFormat::Text);
    QVERIFY2(reversed.find("against trained") != std::string::npos && reversed.find("-0.050 ± ") != std::string::npos,
             reversed.c_str());
  }

  void unequalConversationsAreRefused() {
    QVERIFY_THROWS_EXCEPTION(collab::Error, collab::policy::pairedDifference({1.0, 2.0}, {1.0}));
  }
};

QTEST_APPLESS_MAIN(EvaluationTableTest)
#include "tst_evaluation_table.moc"
