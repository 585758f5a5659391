// ChatFormat against the real chat_template of Qwen3, Llama 3.1 and Mistral-7B-Instruct-v0.1
// rendered by a Jinja engine (golden/chat.jsonl, made by make_chat_golden.py), conversations
// the template refuses, and the assistant-token mask on the real tokenizers.

#include "common/Error.h"
#include "model/ChatFormat.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>
#include <filesystem>
#include <fstream>

using namespace collab::model;
namespace fs = std::filesystem;

namespace {

const fs::path kMistralConfig = fs::path(COLLAB_TEST_DATA_DIR) / "tokenizers/mistral_instruct/tokenizer_config.json";

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
    const ChatFormat mistral = ChatFormat::fromTokenizerConfig(kMistralConfig);
    QCOMPARE(qwen.family(), ChatFormat::Family::Qwen3ChatMl);
    QCOMPARE(llama.family(), ChatFormat::Family::Llama3);
    QCOMPARE(mistral.family(), ChatFormat::Family::MistralInst);

    std::ifstream in(fs::path(COLLAB_TEST_DATA_DIR) / "tokenizers/golden/chat.jsonl", std::ios::binary);
    std::size_t cases = 0;
    std::size_t failures = 0;
    std::map<std::string, std::size_t> perFamily;
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      const auto row = nlohmann::json::parse(line);
      ChatOptions options;
      options.addGenerationPrompt = row["add_generation_prompt"].get<bool>();
      options.enableThinking = row["enable_thinking"].get<bool>();
      const std::string family = row["family"].get<std::string>();
      const ChatFormat& format = family == "qwen3" ? qwen : family == "llama3" ? llama : mistral;
      // A refused conversation must be refused by us too, with the template's message.
      std::string ours;
      try {
        ours = format.render(messagesOf(row["messages"]), options).text;
      } catch (const collab::Error& e) {
        ours = std::string("error: ") + e.what();
      }
      const std::string expected =
          row.contains("error") ? "error: chat: " + row["error"].get<std::string>() : row["text"].get<std::string>();
      ++cases;
      ++perFamily[family];
      if (ours != expected) {
        if (++failures <= 5)
          qWarning("case %zu (%s): ours %s\n  Jinja %s", cases, row["family"].get<std::string>().c_str(),
                   nlohmann::json(ours).dump().c_str(), nlohmann::json(expected).dump().c_str());
      }
    }
    QVERIFY(cases >= 300);
    QVERIFY(perFamily["qwen3"] > 0 && perFamily["llama3"] > 0 && perFamily["mistral"] > 0);
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

    // Mistral takes no system message; its BPE runs over whole segments between special
    // tokens, so this also shows no token straddles "[/INST]" and the reply.
    const std::vector<ChatMessage> noSystem(chat.begin() + 1, chat.end());
    const Tokenizer mistralTokenizer = Tokenizer::fromFile(dir / "mistral/tokenizer.json");
    const ChatFormat mistral = ChatFormat::fromTokenizerConfig(kMistralConfig);
    const ChatEncoding m = mistral.encode(mistralTokenizer, noSystem);
    QCOMPARE(m.ids, mistralTokenizer.encodeIds(mistral.render(noSystem).text));
    QCOMPARE(m.ids.front(), std::uint32_t(1)); // <s>
    QCOMPARE(maskedText(mistralTokenizer, m), std::string("Hello there.</s>4</s>"));
    QVERIFY(!m.assistantMask.front());
    QVERIFY(!m.assistantMask.back()); // the space after </s> is the template's
  }

  // The generation prompt of each family: what a model continues from.
  void generationPromptEndsWhereTheReplyBegins() {
    const fs::path dir = filesDir();
    QVERIFY(!dir.empty());
    const std::vector<ChatMessage> chat = {{"user", "Hi"}};
    ChatOptions prompt;
    prompt.addGenerationPrompt = true;
    QCOMPARE(ChatFormat::fromTokenizerConfig(kMistralConfig).render(chat, prompt).text, std::string("<s>[INST] Hi [/INST]"));
    QCOMPARE(ChatFormat::fromTokenizerConfig(dir / "llama3_1/tokenizer_config.json").render(chat, prompt).text,
             std::string("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                         "<|start_header_id|>assistant<|end_header_id|>\n\n"));
    QCOMPARE(ChatFormat::fromTokenizerConfig(dir / "qwen3/tokenizer_config.json").render(chat, prompt).text,
             std::string("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
  }

  // The rendering that transformers' apply_chat_template gave for this template, as a
  // public template test records it (a second oracle beside our Jinja golden).
  void mistralMatchesTransformersOutput() {
    const std::vector<ChatMessage> chat = {{"user", "Hello"}, {"assistant", "Hi there"}, {"user", "Who are you"},
                                           {"assistant", "   I am an assistant   "}, {"user", "Another question"}};
    ChatOptions prompt;
    prompt.addGenerationPrompt = true;
    QCOMPARE(ChatFormat::fromTokenizerConfig(kMistralConfig).render(chat, prompt).text,
             std::string("<s>[INST] Hello [/INST]Hi there</s> [INST] Who are you [/INST]   I am an assistant   </s> "
                         "[INST] Another question [/INST]"));
  }

  void otherInstTemplatesAreRefused() {
    // Mixtral-8x7B-Instruct-v0.1's template: no space after </s>, so not Mistral's.
    const std::string mixtral =
        "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
        "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
        "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";
    try {
      ChatFormat::fromTemplate(mixtral, "<s>", "</s>", "m/tokenizer_config.json");
      QFAIL("no error");
    } catch (const collab::InputError& e) {
      QVERIFY2(QString(e.what()).contains("m/tokenizer_config.json: field 'chat_template': an [INST] template"), e.what());
    }
  }

  void unknownTemplateIsAnInputError() {
    try {
      ChatFormat::fromTemplate("{{ messages }}", "", "", "x/tokenizer_config.json");
      QFAIL("no error");
    } catch (const collab::InputError& e) {
      QVERIFY(QString(e.what()).contains("x/tokenizer_config.json: field 'chat_template'"));
    }
  }
};

QTEST_GUILESS_MAIN(ChatFormatTest)
#include "tst_chat_format.moc"
