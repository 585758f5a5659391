#include "common/LineDiff.h"

#include <QtTest>

using collab::DiffLine;
using collab::diffLines;

namespace {

// One character per line: ' ' same, '-' removed, '+' added, then the text.
QStringList render(const std::vector<DiffLine>& lines) {
  QStringList out;
  for (const auto& line : lines) {
    const char mark = line.kind == DiffLine::Kind::Same ? ' ' : line.kind == DiffLine::Kind::Removed ? '-' : '+';
    out << QString(QChar(mark)) + QString::fromStdString(line.text);
  }
  return out;
}

} // namespace

class TestLineDiff : public QObject {
  Q_OBJECT

private slots:
  void keepsTheCommonLinesAndMarksTheRest() {
    const std::string before = "name\npatience 0.5\ntone neutral\n{goal}\n{history}\n";
    const std::string after = "name\npatience 0.2\ntone neutral\n{goal}\nBe brief.\n{history}\n";
    QCOMPARE(render(diffLines(before, after)),
             (QStringList{" name", "-patience 0.5", "+patience 0.2", " tone neutral", " {goal}", "+Be brief.", " {history}"}));
  }

  void identicalAndEmptyTexts() {
    QCOMPARE(render(diffLines("a\nb", "a\nb")), (QStringList{" a", " b"}));
    QCOMPARE(render(diffLines("", "x")), QStringList{"+x"});
    QCOMPARE(render(diffLines("x", "")), QStringList{"-x"});
    QVERIFY(diffLines("", "").empty());
  }

  void alignsOnTheLongestCommonSubsequence() {
    // LCS of a b c a b b a and c b a b a c is 4 lines long (b a b a, or c a b a...): 3 removed, 2 added.
    const auto lines = diffLines("a\nb\nc\na\nb\nb\na", "c\nb\na\nb\na\nc");
    int same = 0, removed = 0, added = 0;
    for (const auto& line : lines)
      (line.kind == DiffLine::Kind::Same ? same : line.kind == DiffLine::Kind::Removed ? removed : added)++;
    QCOMPARE(same, 4);
    QCOMPARE(removed, 3);
    QCOMPARE(added, 2);
  }
};

QTEST_GUILESS_MAIN(TestLineDiff)
#include "tst_line_diff.moc"
