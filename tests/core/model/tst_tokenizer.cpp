// Tokenizer behaviours on small hand-written tokenizer.json files: loading errors name the
// file and field, WordLevel, added tokens inside text, byte fallback, NFC, offsets.
// The comparison with HF tokenizers on real files is tst_tokenizer_oracle.

#include "TestHelpers.h"
#include "common/Error.h"
#include "model/Tokenizer.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>

using collab::model::Tokenizer;
using nlohmann::json;

namespace {

json wordLevel() {
  return {{"model", {{"type", "WordLevel"}, {"vocab", {{"[UNK]", 0}, {"hello", 1}, {"world", 2}, {"!", 3}}}, {"unk_token", "[UNK]"}}},
          {"pre_tokenizer", {{"type", "Whitespace"}}},
          {"added_tokens", json::array({{{"id", 4}, {"content", "<eos>"}, {"special", true}}})}};
}

// A byte-level BPE over "a", "b", "ab", "abab" and the space, with the GPT-2 pattern.
json byteLevelBpe() {
  json vocab = json::object();
  const std::string space = "\xC4\xA0";  // the byte-level spelling of ' '
  vocab["a"] = 0;
  vocab["b"] = 1;
  vocab["ab"] = 2;
  vocab["abab"] = 3;
  vocab[space] = 4;
  vocab[space + "ab"] = 5;
  return {{"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", json::array({"a b", json::array({"ab", "ab"}), space + " ab"})}}},
          {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
          {"decoder", {{"type", "ByteLevel"}}},
          {"added_tokens", json::array({{{"id", 6}, {"content", "<|end|>"}, {"special", true}}})}};
}

// SentencePiece-style BPE: metaspace normaliser and <0xXX> byte fallback.
json byteFallbackBpe() {
  json vocab = {{"<unk>", 0}, {"\xE2\x96\x81", 1}, {"h", 2}, {"i", 3}, {"hi", 4}, {"\xE2\x96\x81hi", 5}};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    vocab[name] = 6 + b;
  }
  return {
      {"normalizer",
       {{"type", "Sequence"},
        {"normalizers", json::array({{{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}},
                                     {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\xE2\x96\x81"}}})}}},
      {"pre_tokenizer", nullptr},
      {"model",
       {{"type", "BPE"}, {"vocab", vocab}, {"merges", json::array({"h i", "\xE2\x96\x81 hi"})}, {"byte_fallback", true}, {"unk_token", "<unk>"}}},
      {"decoder",
       {{"type", "Sequence"},
        {"decoders", json::array({{{"type", "Replace"}, {"pattern", {{"String", "\xE2\x96\x81"}}}, {"content", " "}},
                                  {{"type", "ByteFallback"}},
                                  {{"type", "Fuse"}},
                                  {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}})}}}};
}

Tokenizer load(const json& j) { return Tokenizer::fromJsonText(j.dump(), "tiny/tokenizer.json"); }

QString loadError(const json& j) {
  try {
    load(j);
  } catch (const collab::InputError& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

} // namespace

class TokenizerTest : public QObject {
  Q_OBJECT

private slots:
  void wordLevelEncodesAndDecodes() {
    const Tokenizer t = load(wordLevel());
    const auto e = t.encode("hello  world! nope<eos>");
    QCOMPARE(e.ids, (std::vector<std::uint32_t>{1, 2, 3, 0, 4}));
    QCOMPARE(e.tokens[1], std::string("world"));
    QCOMPARE(e.offsets[1], (std::pair<std::size_t, std::size_t>{7, 12}));
    QCOMPARE(e.offsets[4], (std::pair<std::size_t, std::size_t>{18, 23}));
    QCOMPARE(t.decode({1, 2, 3}), std::string("hello world !"));
    QVERIFY(t.isSpecial(4));
  }

  void byteLevelMergesInRankOrder() {
    const Tokenizer t = load(byteLevelBpe());
    const auto e = t.encode("abab ab<|end|>aba");
    QCOMPARE(e.ids, (std::vector<std::uint32_t>{3, 5, 6, 2, 0}));
    QCOMPARE(e.offsets[1], (std::pair<std::size_t, std::size_t>{4, 7}));
    QCOMPARE(t.decode(e.ids), std::string("abab ab<|end|>aba"));
  }

  void byteFallbackSpellsUnknownCharacters() {
    const Tokenizer t = load(byteFallbackBpe());
    const auto e = t.encode("hi \xC3\xA9");  // "hi é"
    QCOMPARE(e.ids, (std::vector<std::uint32_t>{5, 1, 6 + 0xC3, 6 + 0xA9}));
    QCOMPARE(t.decode(e.ids), std::string("hi \xC3\xA9"));
    QCOMPARE(t.decode({6 + 0xC3}), std::string("\xEF\xBF\xBD"));  // a lone lead byte
  }

  void nfcComposesAndKeepsOffsetsOnTheInput() {
    json j = byteLevelBpe();
    j["normalizer"] = {{"type", "NFC"}};
    json& vocab = j["model"]["vocab"];
    vocab["\xC3\x83"] = 7;  // byte-level spelling of 0xC3
    vocab["\xC2\xA1"] = 8;  // of 0xA1 ("á" is C3 A1)
    const Tokenizer t = load(j);
    const auto e = t.encode("a\xCC\x81");  // a + COMBINING ACUTE -> á
    QCOMPARE(e.ids, (std::vector<std::uint32_t>{7, 8}));
    // As HF: the composed character maps to its first source character, the "a".
    QCOMPARE(e.offsets[0], (std::pair<std::size_t, std::size_t>{0, 1}));
    QCOMPARE(e.offsets[1], (std::pair<std::size_t, std::size_t>{0, 1}));
  }

  void encodesFromSeveralThreadsAtOnce() {
    const Tokenizer t = load(byteLevelBpe());
    std::vector<std::string> texts;
    for (int i = 0; i < 200; ++i) texts.push_back(std::string(static_cast<std::size_t>(i % 17), 'a') + " ab<|end|>" + std::string(static_cast<std::size_t>(i % 5), 'b'));
    std::vector<std::vector<std::uint32_t>> expected;
    for (const auto& text : texts) expected.push_back(t.encodeIds(text));
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k)
      threads.emplace_back([&] {
        for (int round = 0; round < 20; ++round)
          for (std::size_t i = 0; i < texts.size(); ++i)
            if (t.encodeIds(texts[i]) != expected[i] || t.encode(texts[i]).ids != expected[i]) ++wrong;
      });
    for (auto& thread : threads) thread.join();
    QCOMPARE(wrong.load(), 0);
  }

  void invalidUtf8IsAnError() {
    const Tokenizer t = load(byteLevelBpe());
    QVERIFY_THROWS_EXCEPTION(collab::Error, t.encode("a\xFF"));
    QVERIFY_THROWS_EXCEPTION(collab::Error, t.decode({99}));
  }

  void unsupportedPartsNameTheFileAndField_data() {
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("field");
    QTest::newRow("model") << "/model/type" << "\"Unigram\"" << "field 'model.type'";
    QTest::newRow("normalizer") << "/normalizer" << "{\"type\":\"NFKC\"}" << "field 'normalizer.type'";
    QTest::newRow("pre_tokenizer") << "/pre_tokenizer" << "{\"type\":\"BertPreTokenizer\"}" << "field 'pre_tokenizer.type'";
    QTest::newRow("regex") << "/pre_tokenizer"
                           << "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\w+\"},\"behavior\":\"Isolated\"}"
                           << "field 'pre_tokenizer.pattern.Regex'";
    QTest::newRow("decoder") << "/decoder" << "{\"type\":\"WordPiece\"}" << "field 'decoder.type'";
    QTest::newRow("merge") << "/model/merges/0" << "\"a zzz\"" << "field 'model.merges[0]'";
    QTest::newRow("lstrip") << "/added_tokens/0/lstrip" << "true" << "field 'added_tokens[0].lstrip'";
  }

  void unsupportedPartsNameTheFileAndField() {
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, field);
    json j = byteLevelBpe();
    j[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
    const QString message = loadError(j);
    QVERIFY2(message.startsWith("tiny/tokenizer.json: ") && message.contains(field), qPrintable(message));
  }

  void gpt2FilesLoadFromAFolder() {
    QTemporaryDir dir;
    collab::test::writeFile(dir, "encoder.json", "{\"a\": 0, \"b\": 1, \"ab\": 2, \"<|endoftext|>\": 3}");
    collab::test::writeFile(dir, "vocab.bpe", "#version: 0.2\na b\n");
    const Tokenizer t = Tokenizer::fromPath(dir.path().toStdString());
    QCOMPARE(t.encodeIds("abba<|endoftext|>"), (std::vector<std::uint32_t>{2, 1, 0, 3}));
    QVERIFY(t.isSpecial(3));
  }

  void gpt2MergeLineErrorsNameTheLine() {
    QTemporaryDir dir;
    const auto encoder = collab::test::writeFile(dir, "encoder.json", "{\"a\": 0, \"b\": 1}");
    const auto merges = collab::test::writeFile(dir, "vocab.bpe", "#version: 0.2\na b\nab\n");
    try {
      Tokenizer::fromGpt2Files(encoder, merges);
      QFAIL("no error");
    } catch (const collab::InputError& e) {
      QCOMPARE(e.source(), merges.string());
      QCOMPARE(e.line(), std::size_t(3));
    }
  }

  // Regressions found by fuzz/fuzz_tokenizer_json.
  void hostileFilesAreInputErrors_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("number overflow") << R"({"model":{"type":"WordLevel","vocab":{"a":1e400}}})"
                                     << "x.json: not valid JSON: [json.exception.out_of_range.406] number overflow";
    QTest::newRow("huge vocab id") << R"({"model":{"type":"WordLevel","vocab":{"a":4294967280}}})"
                                   << "x.json: field 'model.vocab[\"a\"]': token id 4294967280 is too large: a file of 1 tokens uses ids below 65537";
    QTest::newRow("huge added id") << R"({"model":{"type":"WordLevel","vocab":{"a":0}},"added_tokens":[{"id":4000000000,"content":"x"}]})"
                                   << "x.json: field 'added_tokens[0].id': token id 4000000000 is too large";
    std::string deep = R"({"type":"NFC"})";
    for (int i = 0; i < 100; ++i) deep = R"({"type":"Sequence","normalizers":[)" + deep + "]}";
    QTest::newRow("deep sequence") << QString::fromStdString(R"({"model":{"type":"WordLevel","vocab":{"a":0}},"normalizer":)" + deep + "}")
                                   << "x.json: field 'normalizer.normalizers[0]";
  }

  void hostileFilesAreInputErrors() {
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QString message;
    try {
      Tokenizer::fromJsonText(file.toStdString(), "x.json");
    } catch (const collab::InputError& e) {
      message = QString::fromStdString(e.what());
    }
    QVERIFY2(message.startsWith(expected), qPrintable(message));
    if (QByteArray(QTest::currentDataTag()) == "deep sequence") QVERIFY2(message.endsWith("Sequence nested deeper than 16 levels"), qPrintable(message));
  }

  // A BPE unknown token covers one character, not the bytes of "<unk>": the offsets of the
  // tokens after it once ran past the normalised text (found by fuzz/fuzz_tokenizer_json).
  void unknownCharactersKeepOffsetsInsideTheText() {
    json j = byteFallbackBpe();
    j["model"]["vocab"].erase("<0x6B>");  // 'k' is now unknown
    const Tokenizer t = load(j);
    const std::string text = "khi";  // normalised "▁khi": ▁, <unk>, hi
    const auto e = t.encode(text);
    QCOMPARE(e.ids, (std::vector<std::uint32_t>{1, 0, 4}));
    for (const auto& [begin, end] : e.offsets) QVERIFY(begin <= end && end <= text.size());
    // As HF: <unk> covers the 'k' alone and "hi" the rest (each BPE token's length comes
    // from the characters it was built from, not from its vocabulary text).
    QCOMPARE(e.offsets[1], (std::pair<std::size_t, std::size_t>{0, 1}));
    QCOMPARE(e.offsets[2], (std::pair<std::size_t, std::size_t>{1, 3}));
  }

  // Byte fallback needs a <0xXX> token for every byte of the character, as in HF;
  // with only the lead byte's, the character is unknown (it once became id 2^32 - 1).
  void byteFallbackNeedsEveryByte() {
    json j = byteFallbackBpe();
    j["model"]["vocab"].erase("<0xA9>");  // é is C3 A9
    const Tokenizer t = load(j);
    const auto e = t.encode("hi \xC3\xA9");
    QCOMPARE(e.ids, (std::vector<std::uint32_t>{5, 1, 0}));
    QCOMPARE(e.offsets[2], (std::pair<std::size_t, std::size_t>{3, 5}));  // <unk> is the whole é
  }

  // With fuse_unk, consecutive unknown characters are one <unk> covering all of them.
  void fusedUnknownsCoverEveryCharacter() {
    json j = byteFallbackBpe();
    j["model"]["vocab"].erase("<0x6B>");
    j["model"]["fuse_unk"] = true;
    const Tokenizer t = load(j);
    const auto e = t.encode("kkhi");
    QCOMPARE(e.ids, (std::vector<std::uint32_t>{1, 0, 4}));
    QCOMPARE(e.offsets[1], (std::pair<std::size_t, std::size_t>{0, 2}));
    QCOMPARE(e.offsets[2], (std::pair<std::size_t, std::size_t>{2, 4}));
  }

  void malformedJsonIsAnInputError() {
    QVERIFY_THROWS_EXCEPTION(collab::InputError, Tokenizer::fromJsonText("{\"model\": ", "x.json"));
    QVERIFY_THROWS_EXCEPTION(collab::InputError, Tokenizer::fromJsonText("[]", "x.json"));
    QVERIFY_THROWS_EXCEPTION(collab::InputError, Tokenizer::fromFile("/nonexistent/tokenizer.json"));
  }
};

QTEST_GUILESS_MAIN(TokenizerTest)
#include "tst_tokenizer.moc"
