#include "model/ChatFormat.h"

#include "common/Error.h"
#include "model/chat/Renderers.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <fstream>
#include <iomanip>
#include <locale>
#include <sstream>
#include <iterator>

namespace collab::model {

ChatFormat ChatFormat::fromTemplate(const std::string& chatTemplate, std::string bosToken, std::string eosToken,
                                    const std::string& source) {
  const auto refusal = [&](const std::string& why) { return InputError(source, 0, "field 'chat_template': " + why); };
  if (chat::isQwen3Template(chatTemplate)) return ChatFormat(Family::Qwen3ChatMl, std::move(bosToken), std::move(eosToken));
  if (auto prompt = chat::qwen25DefaultSystemPrompt(chatTemplate))
    return ChatFormat(Family::Qwen25ChatMl, std::move(bosToken), std::move(eosToken), std::move(*prompt));
  if (auto date = chat::llama31DefaultDate(chatTemplate))
    return ChatFormat(Family::Llama31, std::move(bosToken), std::move(eosToken), std::move(*date));
  if (chat::isLlama3Template(chatTemplate)) return ChatFormat(Family::Llama3, std::move(bosToken), std::move(eosToken));
  if (chat::isMistralInstV01Template(chatTemplate)) return ChatFormat(Family::MistralInst, std::move(bosToken), std::move(eosToken));
  if (chatTemplate.find("[INST]") != std::string::npos)
    throw refusal("an [INST] template other than Mistral-7B-Instruct-v0.1's, the only one we support verbatim");
  if (chatTemplate.find("<|start_header_id|>") != std::string::npos)
    throw refusal("a Llama 3 header template other than Meta's Llama 3 Instruct or Llama 3.1/3.2/3.3 Instruct "
                  "(date header) templates");
  if (chatTemplate.find("<|im_start|>") != std::string::npos)
    throw refusal("a ChatML template other than Qwen3's (<think> blocks) or Qwen2.5 Instruct's (default system prompt)");
  throw refusal("not a template we support (Qwen3 ChatML, Qwen2.5 ChatML, Llama 3 headers, Llama 3.1/3.2/3.3 date "
                "headers, Mistral-7B-Instruct-v0.1 [INST])");
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

std::string chatDateToday() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::ostringstream out;
  out.imbue(std::locale::classic()); // Python's strftime in the C locale: "Nov", whatever the user's locale
  out << std::put_time(&local, "%d %b %Y");
  return out.str();
}

std::string ChatFormat::endOfTurn() const {
  switch (family_) {
  case Family::Qwen3ChatMl:
  case Family::Qwen25ChatMl: return "<|im_end|>";
  case Family::Llama3:
  case Family::Llama31: return "<|eot_id|>";
  case Family::MistralInst: return eos_;
  }
  return eos_;
}

ChatText ChatFormat::render(const std::vector<ChatMessage>& messages, const ChatOptions& options) const {
  ChatText out;
  chat::Writer w(out);
  switch (family_) {
  case Family::Qwen3ChatMl: chat::renderQwen3(messages, options, w); break;
  case Family::Qwen25ChatMl: chat::renderQwen25(messages, options, templateDefault_, w); break;
  case Family::Llama3: chat::renderLlama3(messages, options, bos_, w); break;
  case Family::Llama31: chat::renderLlama31(messages, options, bos_, templateDefault_, w); break;
  case Family::MistralInst: chat::renderMistral(messages, bos_, eos_, w); break;
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
