#include "model/ChatFormat.h"

#include "common/Error.h"
#include "model/Utf8.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

namespace collab::model {

namespace {

std::string stripChars(std::string s, const char* chars, bool left, bool right) {
  if (right) {
    const std::size_t end = s.find_last_not_of(chars);
    s.erase(end == std::string::npos ? 0 : end + 1);
  }
  if (left) s.erase(0, std::min(s.size(), s.find_first_not_of(chars)));
  return s;
}

// Python's str.strip() with no argument (what Jinja's trim filter calls): Unicode whitespace.
bool pythonSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || utf8::isWhitespace(c);
}

std::string pythonStrip(const std::string& s) {
  std::size_t begin = 0;
  std::size_t end = s.size();
  while (begin < end) {
    std::size_t len = 1;
    if (!pythonSpace(utf8::decode(s, begin, len))) break;
    begin += len;
  }
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t len = 1;
    if (!pythonSpace(utf8::decode(s, start, len))) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

// Python's str.split(sep)[-1] and [0].
std::string afterLast(const std::string& s, const std::string& sep) {
  const std::size_t at = s.rfind(sep);
  return at == std::string::npos ? s : s.substr(at + sep.size());
}
std::string beforeFirst(const std::string& s, const std::string& sep) {
  const std::size_t at = s.find(sep);
  return at == std::string::npos ? s : s.substr(0, at);
}

class Writer {
public:
  explicit Writer(ChatText& out) : out_(out) {}
  void text(const std::string& s) { out_.text += s; }
  void assistant(const std::string& s) {
    const std::size_t begin = out_.text.size();
    out_.text += s;
    if (!out_.assistantSpans.empty() && out_.assistantSpans.back().second == begin) out_.assistantSpans.back().second = out_.text.size();
    else out_.assistantSpans.emplace_back(begin, out_.text.size());
  }

private:
  ChatText& out_;
};

// Qwen3's chat_template without tools: a leading system message, then ChatML turns; an
// assistant message after the last user turn carries its reasoning in a <think> block.
void renderQwen3(const std::vector<ChatMessage>& messages, const ChatOptions& options, Writer& w) {
  if (!messages.empty() && messages[0].role == "system") w.text("<|im_start|>system\n" + messages[0].content + "<|im_end|>\n");
  std::size_t lastQuery = messages.empty() ? 0 : messages.size() - 1;
  for (std::size_t i = messages.size(); i-- > 0;) {
    const std::string& c = messages[i].content;
    const bool toolResponse = c.rfind("<tool_response>", 0) == 0 && c.size() >= 16 &&
                              c.compare(c.size() - 16, 16, "</tool_response>") == 0;
    if (messages[i].role == "user" && !toolResponse) {
      lastQuery = i;
      break;
    }
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    if (m.role == "system" && i == 0) continue;  // written above
    if (m.role == "user" || m.role == "system") {
      w.text("<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n");
    } else if (m.role == "assistant") {
      std::string content = m.content;
      std::string reasoning;
      if (content.find("</think>") != std::string::npos) {
        content = stripChars(afterLast(m.content, "</think>"), "\n", true, false);
        reasoning = stripChars(afterLast(stripChars(beforeFirst(m.content, "</think>"), "\n", false, true), "<think>"), "\n", true, false);
      }
      w.text("<|im_start|>assistant\n");
      if (i > lastQuery && (i + 1 == messages.size() || !reasoning.empty()))
        w.assistant("<think>\n" + stripChars(reasoning, "\n", true, true) + "\n</think>\n\n" + stripChars(content, "\n", true, false));
      else
        w.assistant(content);
      w.assistant("<|im_end|>");
      w.text("\n");
    } else {
      throw Error("chat: role '" + m.role + "' is not supported (system, user, assistant)");
    }
  }
  if (options.addGenerationPrompt) {
    w.text("<|im_start|>assistant\n");
    if (!options.enableThinking) w.text("<think>\n\n</think>\n\n");
  }
}

// Llama 3's template: BOS, then per message a header, the content trimmed, <|eot_id|>.
void renderLlama3(const std::vector<ChatMessage>& messages, const ChatOptions& options, const std::string& bos, Writer& w) {
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    if (m.role != "system" && m.role != "user" && m.role != "assistant")
      throw Error("chat: role '" + m.role + "' is not supported (system, user, assistant)");
    w.text((i == 0 ? bos : std::string()) + "<|start_header_id|>" + m.role + "<|end_header_id|>\n\n");
    const std::string content = pythonStrip(m.content);
    if (m.role == "assistant") {
      w.assistant(content + "<|eot_id|>");
    } else {
      w.text(content + "<|eot_id|>");
    }
  }
  if (options.addGenerationPrompt) w.text("<|start_header_id|>assistant<|end_header_id|>\n\n");
}

// Mistral-7B-Instruct-v0.1's template, which we recognise only verbatim: its [INST] relatives
// (Mixtral, v0.2, v0.3 with tools, the later v0.1 revision with a system prompt) differ in
// spaces and system handling, and a near miss would train on the wrong text silently.
constexpr const char* kMistralInstV01Template =
    "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token + ' ' }}"
    "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

// Mistral's template: BOS, then strictly alternating user/assistant messages, no system
// message, nothing added for the generation prompt (a prompt already ends with [/INST]).
// The checks come in the template's order, with its messages.
void renderMistral(const std::vector<ChatMessage>& messages, const std::string& bos, const std::string& eos, Writer& w) {
  w.text(bos);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    if ((m.role == "user") != (i % 2 == 0)) throw Error("chat: Conversation roles must alternate user/assistant/user/assistant/...");
    if (m.role == "user") {
      w.text("[INST] " + m.content + " [/INST]");
    } else if (m.role == "assistant") {
      w.assistant(m.content + eos);
      w.text(" ");
    } else {
      throw Error("chat: Only user and assistant roles are supported!");
    }
  }
}

} // namespace

ChatFormat ChatFormat::fromTemplate(const std::string& chatTemplate, std::string bosToken, std::string eosToken,
                                    const std::string& source) {
  if (chatTemplate.find("<|im_start|>") != std::string::npos && chatTemplate.find("</think>") != std::string::npos)
    return ChatFormat(Family::Qwen3ChatMl, std::move(bosToken), std::move(eosToken));
  if (chatTemplate.find("<|start_header_id|>") != std::string::npos && chatTemplate.find("Cutting Knowledge") == std::string::npos)
    return ChatFormat(Family::Llama3, std::move(bosToken), std::move(eosToken));
  if (chatTemplate == kMistralInstV01Template) return ChatFormat(Family::MistralInst, std::move(bosToken), std::move(eosToken));
  if (chatTemplate.find("[INST]") != std::string::npos)
    throw InputError(source, 0, "field 'chat_template': an [INST] template other than Mistral-7B-Instruct-v0.1's, "
                                "the only one we support verbatim");
  throw InputError(source, 0, "field 'chat_template': not a template we support (Qwen3 ChatML, Llama 3 headers, "
                              "Mistral-7B-Instruct-v0.1 [INST])");
}

namespace {

// A special token of tokenizer_config.json: a string, or an AddedToken object with "content".
std::string specialToken(const nlohmann::json& config, const char* key) {
  const auto it = config.find(key);
  if (it == config.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("content") && (*it)["content"].is_string()) return (*it)["content"].get<std::string>();
  return {};
}

nlohmann::json readTokenizerConfig(const std::filesystem::path& tokenizerConfigJson) {
  std::ifstream in(tokenizerConfigJson, std::ios::binary);
  if (!in) throw InputError(tokenizerConfigJson.string(), 0, "cannot open the file");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(tokenizerConfigJson.string(), 0, std::string("not valid JSON: ") + e.what());
  }
}

} // namespace

ChatFormat ChatFormat::fromTokenizerConfig(const std::filesystem::path& tokenizerConfigJson) {
  const nlohmann::json config = readTokenizerConfig(tokenizerConfigJson);
  const auto it = config.find("chat_template");
  if (it == config.end() || !it->is_string())
    throw InputError(tokenizerConfigJson.string(), 0, "field 'chat_template': missing or not a string");
  return fromTemplate(it->get<std::string>(), specialToken(config, "bos_token"), specialToken(config, "eos_token"),
                      tokenizerConfigJson.string());
}

ChatFormat ChatFormat::fromModelDirectory(const std::filesystem::path& directory) {
  const std::filesystem::path jinja = directory / "chat_template.jinja";
  if (!std::filesystem::exists(jinja)) return fromTokenizerConfig(directory / "tokenizer_config.json");
  const nlohmann::json config = readTokenizerConfig(directory / "tokenizer_config.json");
  std::ifstream in(jinja, std::ios::binary);
  if (!in) throw InputError(jinja.string(), 0, "cannot open the file");
  const std::string chatTemplate{std::istreambuf_iterator<char>(in), {}};
  return fromTemplate(chatTemplate, specialToken(config, "bos_token"), specialToken(config, "eos_token"), jinja.string());
}

ChatText ChatFormat::render(const std::vector<ChatMessage>& messages, const ChatOptions& options) const {
  ChatText out;
  Writer w(out);
  switch (family_) {
  case Family::Qwen3ChatMl: renderQwen3(messages, options, w); break;
  case Family::Llama3: renderLlama3(messages, options, bos_, w); break;
  case Family::MistralInst: renderMistral(messages, bos_, eos_, w); break;
  }
  return out;
}

ChatEncoding ChatFormat::encode(const Tokenizer& tokenizer, const std::vector<ChatMessage>& messages,
                                const ChatOptions& options) const {
  const ChatText chat = render(messages, options);
  Encoding e = tokenizer.encode(chat.text);
  ChatEncoding out;
  out.ids = std::move(e.ids);
  out.assistantMask.assign(out.ids.size(), false);
  std::size_t span = 0;
  for (std::size_t i = 0; i < out.ids.size(); ++i) {
    const auto [begin, end] = e.offsets[i];
    while (span < chat.assistantSpans.size() && chat.assistantSpans[span].second <= begin) ++span;
    if (span < chat.assistantSpans.size() && begin < chat.assistantSpans[span].second && end > chat.assistantSpans[span].first)
      out.assistantMask[i] = true;
  }
  return out;
}

} // namespace collab::model
