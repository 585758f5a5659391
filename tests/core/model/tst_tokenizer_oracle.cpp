// Our tokenizers against Hugging Face's own (Rust tokenizers 0.22.2 through npm): for
// every string of tests/data/tokenizers/corpus.jsonl, the ids and the decoded text must
// equal golden/NAME.jsonl, written by make_golden.js. The tokenizer files are fetched by
// fetch.sh (CTest fixture tokenizer_files) into COLLAB_TOKENIZER_FILES.

#include "model/Tokenizer.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using collab::model::Tokenizer;
namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(COLLAB_TEST_DATA_DIR) / "tokenizers";

std::vector<nlohmann::json> readJsonl(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<nlohmann::json> rows;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

fs::path filesDir() {
  const char* dir = std::getenv("COLLAB_TOKENIZER_FILES");
  return dir ? fs::path(dir) : fs::path();
}

// Our byte offsets in code points, as HF reports them: a token that starts or ends inside
// a character covers the whole character.
std::vector<std::size_t> inCodePoints(const std::string& text, const std::vector<std::pair<std::size_t, std::size_t>>& offsets) {
  std::vector<std::size_t> leadsBefore(text.size() + 1, 0);  // code points starting in [0, i)
  for (std::size_t i = 0; i < text.size(); ++i)
    leadsBefore[i + 1] = leadsBefore[i] + ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0);
  std::vector<std::size_t> out;
  for (const auto& [begin, end] : offsets) {
    out.push_back(begin < text.size() ? leadsBefore[begin + 1] - 1 : leadsBefore[text.size()]);
    out.push_back(leadsBefore[end]);
  }
  return out;
}

// As make_golden.js's mistralMetaspace: Mistral's vocabulary with a Metaspace pre-tokenizer.
Tokenizer mistralMetaspace(const fs::path& mistralJson, bool split) {
  std::ifstream in(mistralJson, std::ios::binary);
  nlohmann::json j = nlohmann::json::parse(in);
  const std::string metaspace = "\xE2\x96\x81";
  j["normalizer"] = nullptr;
  j["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", metaspace}, {"prepend_scheme", split ? "always" : "first"}, {"split", split}};
  if (split)
    j["decoder"] = {{"type", "Sequence"},
                    {"decoders", nlohmann::json::array({{{"type", "Metaspace"}, {"replacement", metaspace}, {"prepend_scheme", "always"}, {"split", true}},
                                                        {{"type", "ByteFallback"}},
                                                        {{"type", "Fuse"}}})}};
  return Tokenizer::fromJsonText(j.dump(), mistralJson.string() + " (Metaspace variant)");
}

template <typename T>
std::size_t firstDifference(const T& a, const T& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

} // namespace

class TokenizerOracleTest : public QObject {
  Q_OBJECT

private slots:
  void matchesHuggingFace_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("path");
    QTest::newRow("qwen3") << "qwen3" << "qwen3/tokenizer.json";
    QTest::newRow("llama3_1") << "llama3_1" << "llama3_1/tokenizer.json";
    QTest::newRow("mistral") << "mistral" << "mistral/tokenizer.json";
    QTest::newRow("gpt2") << "gpt2" << "gpt2/encoder.json";
    QTest::newRow("mistral_metaspace") << "mistral_metaspace" << "mistral/tokenizer.json";
    QTest::newRow("mistral_metaspace_split") << "mistral_metaspace_split" << "mistral/tokenizer.json";
  }

  void matchesHuggingFace() {
    QFETCH(QString, name);
    QFETCH(QString, path);
    const fs::path dir = filesDir();
    QVERIFY2(!dir.empty(), "COLLAB_TOKENIZER_FILES is not set (ctest sets it; fetch.sh fills it)");
    const fs::path file = dir / path.toStdString();
    QVERIFY2(fs::exists(file), qPrintable("missing " + QString::fromStdString(file.string()) + ": run fetch.sh"));
    const Tokenizer tokenizer = name.startsWith("mistral_metaspace") ? mistralMetaspace(file, name.endsWith("split"))
                                                                     : Tokenizer::fromPath(file);

    const auto corpus = readJsonl(kData / "corpus.jsonl");
    const auto golden = readJsonl(kData / "golden" / (name.toStdString() + ".jsonl"));
    QCOMPARE(golden.size(), corpus.size());
    QVERIFY(corpus.size() >= 2000);

    std::size_t idFailures = 0;
    std::size_t textFailures = 0;
    std::size_t offsetFailures = 0;
    std::size_t offsetsCompared = 0;
    QStringList messages;
    for (std::size_t i = 0; i < corpus.size(); ++i) {
      const std::string text = corpus[i].get<std::string>();
      const auto expectedIds = golden[i]["ids"].get<std::vector<std::uint32_t>>();
      const std::string expectedText = golden[i].contains("text") ? golden[i]["text"].get<std::string>() : text;
      const auto encoding = tokenizer.encode(text);
      const auto& ids = encoding.ids;
      if (ids != expectedIds || tokenizer.encodeIds(text) != ids) {
        ++idFailures;
        const std::size_t at = firstDifference(ids, expectedIds);
        if (messages.size() < 10)
          messages << QString("%1 string %2: ids differ first at position %3 (ours %4, HF %5; %6 vs %7 ids) text %8")
                          .arg(name)
                          .arg(i)
                          .arg(at)
                          .arg(at < ids.size() ? QString::number(ids[at]) : "end")
                          .arg(at < expectedIds.size() ? QString::number(expectedIds[at]) : "end")
                          .arg(ids.size())
                          .arg(expectedIds.size())
                          .arg(QString::fromStdString(nlohmann::json(text).dump()).left(120));
      }
      if (ids == expectedIds) {
        ++offsetsCompared;
        const auto ours = inCodePoints(text, encoding.offsets);
        const auto expected = golden[i]["offsets"].get<std::vector<std::size_t>>();
        if (ours != expected) {
          ++offsetFailures;
          const std::size_t at = firstDifference(ours, expected);
          if (messages.size() < 10)
            messages << QString("%1 string %2: offsets differ first at token %3: ours [%4, %5), HF [%6, %7)")
                            .arg(name)
                            .arg(i)
                            .arg(at / 2)
                            .arg(at / 2 * 2 < ours.size() ? QString::number(ours[at / 2 * 2]) : "end")
                            .arg(at / 2 * 2 + 1 < ours.size() ? QString::number(ours[at / 2 * 2 + 1]) : "end")
                            .arg(at / 2 * 2 < expected.size() ? QString::number(expected[at / 2 * 2]) : "end")
                            .arg(at / 2 * 2 + 1 < expected.size() ? QString::number(expected[at / 2 * 2 + 1]) : "end");
        }
      }
      const std::string decoded = tokenizer.decode(expectedIds);
      if (decoded != expectedText) {
        ++textFailures;
        const std::size_t at = firstDifference(decoded, expectedText);
        if (messages.size() < 10)
          messages << QString("%1 string %2: decoded text differs first at byte %3: ours %4, HF %5")
                          .arg(name)
                          .arg(i)
                          .arg(at)
                          .arg(QString::fromStdString(nlohmann::json(decoded.substr(at, 40)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)))
                          .arg(QString::fromStdString(nlohmann::json(expectedText.substr(at, 40)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
      }
    }
    qInfo("%s: %zu strings, %zu id mismatches, %zu decode mismatches, %zu offset mismatches in %zu compared",
          qPrintable(name), corpus.size(), idFailures, textFailures, offsetFailures, offsetsCompared);
    for (const QString& m : messages) qWarning("%s", qPrintable(m));
    QVERIFY2(idFailures == 0 && textFailures == 0 && offsetFailures == 0,
             qPrintable(QString("%1: %2 of %3 strings encode differently, %4 decode differently, %5 have other offsets "
                                "than HF tokenizers")
                            .arg(name)
                            .arg(idFailures)
                            .arg(corpus.size())
                            .arg(textFailures)
                            .arg(offsetFailures)));
  }
};

QTEST_GUILESS_MAIN(TokenizerOracleTest)
#include "tst_tokenizer_oracle.moc"
