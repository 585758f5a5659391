// ChatFormat against the real chat_template of Qwen3 and Llama 3.1 rendered by a Jinja
// engine (golden/chat.jsonl, made by make_chat_golden.js), and the assistant-token mask.

#include "common/Error.h"
#include "model/ChatFormat.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace collab::model;
namespace fs = std::filesystem;

namespace {

fs::path filesDir() {
  const char* dir = std::getenv("COLLAB_TOKENIZER_FILES");
  return dir ? fs::path(dir) : fs::path();
}

std::vector<ChatMessage> messagesOf(const nlohmann::json& list) {
  std::vector<ChatMessage> out;
  for (const auto& m : list) out.push_back({m["role"].get<std::string>(), m["content"].get<std::string>()});
  return out;
}

std::string maskedText(const Tokenizer& tokenizer, const ChatEncoding& e) {
  std::vector<std::uint32_t> ids;
  for (std::size_t i = 0; i < e.ids.size(); ++i)
    if (e.assistantMask[i]) ids.push_back(e.ids[i]);
  return tokenizer.decode(ids);
}

} // namespace

class ChatFormatTest : public QObject {
  Q_OBJECT

private slots:
  void rendersAsTheJinjaTemplate() {
    const fs::path dir = filesDir();
    QVERIFY2(!dir.empty(), "COLLAB_TOKENIZER_FILES is not set (ctest sets it; fetch.sh fills it)");
    const ChatFormat qwen = ChatFormat::fromTokenizerConfig(dir / "qwen3/tokenizer_config.json");
    const ChatFormat llama = ChatFormat::fromTokenizerConfig(dir / "llama3_1/tokenizer_config.json");
    QCOMPARE(qwen.family(), ChatFormat::Family::Qwen3ChatMl);
    QCOMPARE(llama.family(), ChatFormat::Family::Llama3);

    std::ifstream in(fs::path(COLLAB_TEST_DATA_DIR) / "tokenizers/golden/chat.jsonl", std::ios::binary);
    std::size_t cases = 0;
    std::size_t failures = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      const auto row = nlohmann::json::parse(line);
      ChatOptions options;
      options.addGenerationPrompt = row["add_generation_prompt"].get<bool>();
      options.enableThinking = row["enable_thinking"].get<bool>();
      const ChatFormat& format = row["family"] == "qwen3" ? qwen : llama;
      const std::string ours = format.render(messagesOf(row["messages"]), options).text;
      const std::string expected = row["text"].get<std::string>();
      ++cases;
      if (ours != expected) {
        if (++failures <= 5)
          qWarning("case %zu (%s): ours %s\n  Jinja %s", cases, row["family"].get<std::string>().c_str(),
                   nlohmann::json(ours).dump().c_str(), nlohmann::json(expected).dump().c_str());
      }
    }
    QVERIFY(cases >= 200);
    QVERIFY2(failures == 0, qPrintable(QString("%1 of %2 conversations render differently from the Jinja template").arg(failures).arg(cases)));
  }

  void assistantMaskCoversWhatTheAssistantWrote() {
    const fs::path dir = filesDir();
    QVERIFY(!dir.empty());
    const std::vector<ChatMessage> chat = {{"system", "Be brief."}, {"user", "Hi"}, {"assistant", "Hello there."},
                                           {"user", "2+2?"}, {"assistant", "4"}};
    const Tokenizer qwenTokenizer = Tokenizer::fromFile(dir / "qwen3/tokenizer.json");
    const ChatFormat qwen = ChatFormat::fromTokenizerConfig(dir / "qwen3/tokenizer_config.json");
    const ChatEncoding q = qwen.encode(qwenTokenizer, chat);
    QCOMPARE(q.ids, qwenTokenizer.encodeIds(qwen.render(chat).text));
    QCOMPARE(maskedText(qwenTokenizer, q), std::string("Hello there.<|im_end|><think>\n\n</think>\n\n4<|im_end|>"));

    const Tokenizer llamaTokenizer = Tokenizer::fromFile(dir / "llama3_1/tokenizer.json");
    const ChatFormat llama = ChatFormat::fromTokenizerConfig(dir / "llama3_1/tokenizer_config.json");
    const ChatEncoding l = llama.encode(llamaTokenizer, chat);
    QCOMPARE(maskedText(llamaTokenizer, l), std::string("Hello there.<|eot_id|>4<|eot_id|>"));
    QVERIFY(!l.assistantMask.front());
  }

  void unknownTemplateIsAnInputError() {
    try {
      ChatFormat::fromTemplate("{{ messages }}", "", "x/tokenizer_config.json");
      QFAIL("no error");
    } catch (const collab::InputError& e) {
      QVERIFY(QString(e.what()).contains("x/tokenizer_config.json: field 'chat_template'"));
    }
  }
};

QTEST_GUILESS_MAIN(ChatFormatTest)
#include "tst_chat_format.moc"
