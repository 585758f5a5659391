// The streaming of `collab generate --stream` (app/cli/TextStreamer) on the tiny models'
// byte-level tokenizer, where token i < 256 is byte i: a character split over two tokens
// waits for its second byte, an ending that may start a stop string waits for the next
// token, a stop string itself is never printed, and what was printed is always a prefix
// of the final text.

#include "TextStreamer.h"
#include "model/Tokenizer.h"

#include <QtTest>

#include <filesystem>

using namespace collab;

namespace {

const model::Tokenizer& tokenizer() {
  static const model::Tokenizer t =
      model::Tokenizer::fromFile(std::filesystem::path(COLLAB_TEST_DATA_DIR) / "models/tiny-llama/tokenizer.json");
  return t;
}

cli::TextStreamer streamer(std::vector<std::string> stops = {}) {
  return cli::TextStreamer([](const std::vector<std::int64_t>& ids) { return tokenizer().decode({ids.begin(), ids.end()}); },
                           std::move(stops));
}

// The tokens of `bytes`, one per byte.
std::vector<std::int64_t> byteTokens(const std::string& bytes) {
  std::vector<std::int64_t> ids;
  for (unsigned char b : bytes) ids.push_back(b);
  return ids;
}

} // namespace

class TextStreamerTest : public QObject {
  Q_OBJECT

private slots:
  void aSplitCharacterWaitsForItsLastByte() {
    QCOMPARE(tokenizer().decode({0xC3}), std::string("\xEF\xBF\xBD")); // why holding back is needed
    cli::TextStreamer s = streamer();
    QCOMPARE(s.push('a'), std::string("a"));
    QCOMPARE(s.push(0xC3), std::string());
    QCOMPARE(s.push(0xA9), std::string("\xC3\xA9")); // é
    QCOMPARE(s.push(0xE2), std::string());
    QCOMPARE(s.push(0x82), std::string());
    QCOMPARE(s.push(0xAC), std::string("\xE2\x82\xAC")); // €
  }

  void aByteThatNeverCompletesIsPrintedAtTheEnd() {
    cli::TextStreamer s = streamer();
    QCOMPARE(s.push('x'), std::string("x"));
    QCOMPARE(s.push(0xC3), std::string());
    QCOMPARE(s.finish(tokenizer().decode({'x', 0xC3})), std::string("\xEF\xBF\xBD"));
  }

  void aPossibleStopStringWaits() {
    cli::TextStreamer s = streamer({"END"});
    std::string printed;
    for (std::int64_t t : byteTokens("abcEN")) printed += s.push(t);
    QCOMPARE(printed, std::string("abc"));
    printed += s.push('x');
    QCOMPARE(printed, std::string("abcENx")); // not the stop string after all
    for (std::int64_t t : byteTokens("yEND")) printed += s.push(t);
    QCOMPARE(printed, std::string("abcENxy"));
    QCOMPARE(s.finish("abcENxy"), std::string()); // the final text is cut before END
  }
};

QTEST_GUILESS_MAIN(TextStreamerTest)
#include "tst_text_streamer.moc"
