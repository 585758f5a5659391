#include "TestHelpers.h"
#include "io/JsonFields.h"
#include "reward/SentenceBleu.h"

#include <QtTest>

#include <cmath>
#include <map>
#include <sstream>

using collab::io::Json;

namespace {

// Words to token ids, so that word-level BLEU runs on the same code-point machinery.
std::u32string wordIds(const std::string& text, std::map<std::string, char32_t>& vocabulary) {
  std::u32string ids;
  std::istringstream words(text);
  for (std::string word; words >> word;)
    ids.push_back(vocabulary.emplace(word, static_cast<char32_t>(vocabulary.size() + 1)).first->second);
  return ids;
}

bool close(double ours, double nltk) {
  if (nltk == 0.0) return ours == 0.0;
  return std::abs(ours - nltk) <= 1e-12 * std::abs(nltk);
}

} // namespace

class TestSentenceBleu : public QObject {
  Q_OBJECT
private slots:
  // 300 cases from NLTK 3.8 itself (tests/data/bleu/make_golden.py): identical, mutated,
  // truncated, extended and unrelated texts; Unicode, CJK, emoji sequences; texts shorter
  // than 4 characters; empty ones; and multi-reference word-level cases.
  void matchesNltkSentenceBleu() {
    std::istringstream lines(collab::test::readFile(COLLAB_TEST_DATA_DIR "/bleu/nltk-sentence-bleu.jsonl"));
    int cases = 0;
    for (std::string line; std::getline(lines, line); ++cases) {
      const Json c = Json::parse(line);
      double ours = 0.0;
      if (c["kind"] == "char") {
        ours = collab::reward::charBleu(c["reference"], c["hypothesis"]);
      } else {
        std::map<std::string, char32_t> vocabulary;
        std::vector<std::u32string> references;
        for (const auto& reference : c["references"]) references.push_back(wordIds(reference, vocabulary));
        ours = collab::reward::sentenceBleu(references, wordIds(c["hypothesis"], vocabulary));
      }
      const double nltk = c["bleu"];
      QVERIFY2(close(ours, nltk), qPrintable(QString("case %1: ours %2, NLTK %3: %4")
                                                  .arg(cases + 1)
                                                  .arg(ours, 0, 'g', 17)
                                                  .arg(nltk, 0, 'g', 17)
                                                  .arg(QString::fromStdString(line.substr(0, 160)))));
    }
    QCOMPARE(cases, 300);
  }

  void handComputedValues() {
    QCOMPARE(collab::reward::charBleu("abcdef", "abcdef"), 1.0);
    QCOMPARE(collab::reward::charBleu("abc", "xyz"), 0.0);
    // "abcde" vs "abcdf": p1 = 4/5, p2 = 3/4, p3 = 2/3, p4 = 1/2, same length.
    const double expected = std::exp(0.25 * (std::log(0.8) + std::log(0.75) + std::log(2.0 / 3) + std::log(0.5)));
    QVERIFY(std::abs(collab::reward::charBleu("abcde", "abcdf") - expected) < 1e-15);
  }
};

QTEST_GUILESS_MAIN(TestSentenceBleu)
#include "tst_sentence_bleu.moc"
