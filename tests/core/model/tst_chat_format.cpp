// ChatFormat against the real chat_template of Qwen3, Qwen2.5 Instruct, Llama 3 (the
// llama3_1 package's), Llama 3.2 Instruct (the date-header template) and
// Mistral-7B-Instruct-v0.1 rendered by a Jinja engine (golden/chat.jsonl, made by
// make_chat_golden.py), conversations the template refuses, how each template is recognised,
// and the assistant-token mask on the real tokenizers.

#include "common/Error.h"
#include "model/ChatFormat.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
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

std::string templateOf(const fs::path& tokenizerConfigJson) {
  std::ifstream in(tokenizerConfigJson, std::ios::binary);
  return nlohmann::json::parse(in)["chat_template"].get<std::string>();
}

void replaceOnce(std::string& s, const std::string& from, const std::string& to) {
  const std::size_t at = s.find(from);
  QVERIFY2(at != std::string::npos, from.c_str());
  s.replace(at, from.size(), to);
}

std::string refusalOf(const std::string& chatTemplate, const std::string& source) {
  try {
    ChatFormat::fromTemplate(chatTemplate, "<s>", "</s>", source);
  } catch (const collab::InputError& e) {
    return e.what();
  }
  return "no error";
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
    const ChatFormat llama31 = ChatFormat::fromTokenizerConfig(dir / "llama3_2/tokenizer_config.json");
    const ChatFormat qwen25 = ChatFormat::fromTokenizerConfig(dir / "qwen2_5/tokenizer_config.json");
    QCOMPARE(qwen.family(), ChatFormat::Family::Qwen3ChatMl);
    QCOMPARE(llama.family(), ChatFormat::Family::Llama3);
    QCOMPARE(mistral.family(), ChatFormat::Family::MistralInst);
    QCOMPARE(llama31.family(), ChatFormat::Family::Llama31);
    QCOMPARE(qwen25.family(), ChatFormat::Family::Qwen25ChatMl);
    const std::map<std::string, const ChatFormat*> formats = {
        {"qwen3", &qwen}, {"llama3", &llama}, {"mistral", &mistral}, {"llama31", &llama31}, {"qwen25", &qwen25}};

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
      if (row.contains("date_string")) options.dateString = row["date_string"].get<std::string>();
      const std::string family = row["family"].get<std::string>();
      QVERIFY2(formats.count(family), family.c_str());
      // A refused conversation must be refused by us too, with the template's message (which
      // ours may follow with an explanation).
      std::string ours;
      try {
        ours = formats.at(family)->render(messagesOf(row["messages"]), options).text;
      } catch (const collab::Error& e) {
        ours = std::string("error: ") + e.what();
      }
      const bool refused = row.contains("error");
      const std::string expected = refused ? "error: chat: " + row["error"].get<std::string>() : row["text"].get<std::string>();
      ++cases;
      ++perFamily[family];
      if (refused ? ours.rfind(expected, 0) != 0 : ours != expected) {
        if (++failures <= 5)
          qWarning("case %zu (%s): ours %s\n  Jinja %s", cases, row["family"].get<std::string>().c_str(),
                   nlohmann::json(ours).dump().c_str(), nlohmann::json(expected).dump().c_str());
      }
    }
    QVERIFY(cases >= 600);
    for (const auto& [family, format] : formats) QVERIFY2(perFamily[family] > 0, family.c_str());
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

    const Tokenizer llama32Tokenizer = Tokenizer::fromFile(dir / "llama3_2/tokenizer.json");
    const ChatFormat llama31 = ChatFormat::fromTokenizerConfig(dir / "llama3_2/tokenizer_config.json");
    const ChatEncoding l31 = llama31.encode(llama32Tokenizer, chat);
    QCOMPARE(l31.ids, llama32Tokenizer.encodeIds(llama31.render(chat).text));
    QCOMPARE(maskedText(llama32Tokenizer, l31), std::string("Hello there.<|eot_id|>4<|eot_id|>"));
    QVERIFY(!l31.assistantMask.front());

    const Tokenizer qwen25Tokenizer = Tokenizer::fromFile(dir / "qwen2_5/tokenizer.json");
    const ChatFormat qwen25 = ChatFormat::fromTokenizerConfig(dir / "qwen2_5/tokenizer_config.json");
    const ChatEncoding q25 = qwen25.encode(qwen25Tokenizer, chat);
    QCOMPARE(q25.ids, qwen25Tokenizer.encodeIds(qwen25.render(chat).text));
    QCOMPARE(maskedText(qwen25Tokenizer, q25), std::string("Hello there.<|im_end|>4<|im_end|>"));
    QVERIFY(!q25.assistantMask.back()); // the newline after <|im_end|> is the template's

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

  // endOfTurn() is what closes each assistant message, and one special token of the
  // family's tokenizer: a local chat backend stops on it.
  void endOfTurnClosesEveryAssistantMessage() {
    const fs::path dir = filesDir();
    QVERIFY(!dir.empty());
    const std::vector<ChatMessage> chat = {{"user", "Hi"}, {"assistant", "Hello there."}, {"user", "2+2?"}, {"assistant", "4"}};
    const std::map<std::string, fs::path> configs = {{"qwen3", dir / "qwen3/tokenizer_config.json"},
                                                     {"qwen2_5", dir / "qwen2_5/tokenizer_config.json"},
                                                     {"llama3_1", dir / "llama3_1/tokenizer_config.json"},
                                                     {"llama3_2", dir / "llama3_2/tokenizer_config.json"},
                                                     {"mistral", kMistralConfig}};
    const std::map<std::string, std::string> expected = {{"qwen3", "<|im_end|>"}, {"qwen2_5", "<|im_end|>"},
                                                         {"llama3_1", "<|eot_id|>"}, {"llama3_2", "<|eot_id|>"}, {"mistral", "</s>"}};
    for (const auto& [name, config] : configs) {
      const ChatFormat format = ChatFormat::fromTokenizerConfig(config);
      QCOMPARE(format.endOfTurn(), expected.at(name));
      const ChatText text = format.render(chat);
      QCOMPARE(text.assistantSpans.size(), std::size_t(2));
      for (const auto& [begin, end] : text.assistantSpans)
        QVERIFY2(text.text.substr(begin, end - begin).ends_with(format.endOfTurn()), name.c_str());
      const Tokenizer tokenizer = Tokenizer::fromFile(dir / name / "tokenizer.json");
      const auto id = tokenizer.tokenToId(format.endOfTurn());
      QVERIFY2(id && tokenizer.isSpecial(*id), name.c_str());
    }
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
    QCOMPARE(ChatFormat::fromTokenizerConfig(dir / "qwen2_5/tokenizer_config.json").render(chat, prompt).text,
             std::string("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                         "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
    prompt.dateString = "01 Jan 2026";
    QCOMPARE(ChatFormat::fromTokenizerConfig(dir / "llama3_2/tokenizer_config.json").render(chat, prompt).text,
             std::string("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                         "Cutting Knowledge Date: December 2023\nToday Date: 01 Jan 2026\n\n<|eot_id|>"
                         "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                         "<|start_header_id|>assistant<|end_header_id|>\n\n"));
  }

  // Today's date as transformers renders it (strftime_now("%d %b %Y"), English months):
  // checked against date(1) in the C locale, and written by the Llama 3.2 template.
  void todaysDateRendersAsTransformersWritesIt() {
    QProcess date;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("LC_ALL", "C");
    date.setProcessEnvironment(environment);
    const std::string before = chatDateToday();
    date.start("date", {"+%d %b %Y"});
    QVERIFY(date.waitForFinished(10000));
    const std::string expected = QString::fromLocal8Bit(date.readAllStandardOutput()).trimmed().toStdString();
    if (before != expected && chatDateToday() != expected) QFAIL(("expected " + expected + ", got " + before).c_str());
    QVERIFY(QRegularExpression("^\\d{2} [A-Z][a-z]{2} \\d{4}$").match(QString::fromStdString(before)).hasMatch());

    const fs::path dir = filesDir();
    QVERIFY(!dir.empty());
    ChatOptions options;
    options.dateString = chatDateToday();
    const std::string text = ChatFormat::fromTokenizerConfig(dir / "llama3_2/tokenizer_config.json").render({{"user", "Hi"}}, options).text;
    QVERIFY2(text.find("Today Date: " + options.dateString + "\n\n") != std::string::npos, text.c_str());
  }

  // The defaults a template fills in (Llama 3.1+'s date, Qwen2.5's system prompt) are read
  // from the template, not assumed; the same template saved with raw newlines in its string
  // literals instead of "\n" escapes renders alike.
  void templateDefaultsComeFromTheTemplate() {
    const fs::path dir = filesDir();
    QVERIFY(!dir.empty());
    const std::vector<ChatMessage> chat = {{"user", "Hi"}};
    std::string llama = templateOf(dir / "llama3_2/tokenizer_config.json");
    replaceOnce(llama, "\"26 Jul 2024\"", "\"09 Sep 2099\"");
    const ChatText l = ChatFormat::fromTemplate(llama, "<|begin_of_text|>", "<|eot_id|>", "l").render(chat);
    QVERIFY2(l.text.find("Today Date: 09 Sep 2099\n\n<|eot_id|>") != std::string::npos, l.text.c_str());

    std::string qwen = templateOf(dir / "qwen2_5/tokenizer_config.json");
    replaceOnce(qwen, "\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>",
                "\\nBe terse.<|im_end|>");
    const ChatText q = ChatFormat::fromTemplate(qwen, "", "<|im_end|>", "q").render(chat);
    QCOMPARE(q.text, std::string("<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"));

    const std::string escaped = templateOf(dir / "llama3_2/tokenizer_config.json");
    std::string raw;
    for (std::size_t i = 0; i < escaped.size(); ++i) {
      if (escaped.compare(i, 2, "\\n") == 0) {
        raw += '\n';
        ++i;
      } else {
        raw += escaped[i];
      }
    }
    QVERIFY(raw != escaped);
    QCOMPARE(ChatFormat::fromTemplate(raw, "<|begin_of_text|>", "<|eot_id|>", "r").render(chat).text,
             ChatFormat::fromTokenizerConfig(dir / "llama3_2/tokenizer_config.json").render(chat).text);
  }

  // Newer transformers save the template as chat_template.jinja beside tokenizer_config.json.
  void templateFromChatTemplateJinja() {
    const fs::path dir = filesDir();
    QVERIFY(!dir.empty());
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path model = tmp.path().toStdString();
    {
      std::ofstream(model / "tokenizer_config.json") << R"({"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"})";
      std::ofstream(model / "chat_template.jinja", std::ios::binary) << templateOf(dir / "llama3_2/tokenizer_config.json");
    }
    const ChatFormat format = ChatFormat::fromModelDirectory(model);
    QCOMPARE(format.family(), ChatFormat::Family::Llama31);
    QVERIFY(format.render({{"user", "Hi"}}).text.rfind("<|begin_of_text|><|start_header_id|>system", 0) == 0);
  }

  // Near misses of the supported templates are refused, naming the file, rather than
  // rendered as the template they resemble.
  void nearMissesAreRefused() {
    const fs::path dir = filesDir();
    QVERIFY(!dir.empty());
    // Llama 3's first release wrote the assistant header whatever add_generation_prompt said.
    const std::string alwaysPrompt =
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
        "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
        "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
        "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}";
    QVERIFY(QString::fromStdString(refusalOf(alwaysPrompt, "a/tokenizer_config.json"))
                .contains("a/tokenizer_config.json: field 'chat_template': a Llama 3 header template other than"));

    // The date-header template with its system message not trimmed.
    std::string untrimmed = templateOf(dir / "llama3_2/tokenizer_config.json");
    replaceOnce(untrimmed, "messages[0]['content']|trim", "messages[0]['content']");
    QVERIFY(QString::fromStdString(refusalOf(untrimmed, "b/tokenizer_config.json"))
                .contains("b/tokenizer_config.json: field 'chat_template': a Llama 3 header template other than"));

    // Qwen2's template (default prompt "You are a helpful assistant.", another structure).
    const std::string qwen2 =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
        "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
        "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";
    QVERIFY(QString::fromStdString(refusalOf(qwen2, "c/tokenizer_config.json"))
                .contains("c/tokenizer_config.json: field 'chat_template': a ChatML template other than"));

    // Qwen2.5's with the contents of messages trimmed.
    std::string trimmed = templateOf(dir / "qwen2_5/tokenizer_config.json");
    replaceOnce(trimmed, "'\\n' + message.content + '<|im_end|>'", "'\\n' + message.content | trim + '<|im_end|>'");
    QVERIFY(QString::fromStdString(refusalOf(trimmed, "d/tokenizer_config.json"))
                .contains("d/tokenizer_config.json: field 'chat_template': a ChatML template other than"));
  }

  // The date-header and Qwen2.5 templates read messages[0] unchecked: an empty conversation
  // fails there with Jinja's message (also a golden row), and so it does here.
  void emptyConversationIsRefusedWhereTheTemplateReadsTheFirstMessage() {
    const fs::path dir = filesDir();
    QVERIFY(!dir.empty());
    for (const char* family : {"llama3_2", "qwen2_5"}) {
      try {
        ChatFormat::fromTokenizerConfig(dir / family / "tokenizer_config.json").render({});
        QFAIL(family);
      } catch (const collab::Error& e) {
        QVERIFY2(QString(e.what()).startsWith("chat: list object has no element 0"), e.what());
      }
    }
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
