#include "backend/ChatCompletionJson.h"

#include "backend/BackendError.h"
#include "common/Text.h"

#include <nlohmann/json.hpp>

namespace collab::backend {

namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& endpoint, const std::string& expected, const std::string& found) {
  throw BackendError("POST " + endpoint + ": malformed chat completion: expected " + expected + ", found " +
                     oneLine(found, 160));
}

} // namespace

std::string chatCompletionBody(const std::string& model, const ChatRequest& request) {
  json messages = json::array();
  for (const auto& message : request.messages)
    messages.push_back({{"role", std::string(conversation::toString(message.role))}, {"content", message.content}});
  json body = {{"model", model}, {"messages", messages}, {"temperature", request.params.temperature}};
  const GenerationParams& p = request.params;
  if (p.topP) body["top_p"] = *p.topP;
  if (p.maxTokens) body["max_tokens"] = *p.maxTokens;
  if (p.seed) body["seed"] = *p.seed;
  if (!p.stop.empty()) body["stop"] = p.stop;
  if (p.jsonObject) body["response_format"] = {{"type", "json_object"}};
  return body.dump();
}

ChatResult parseChatCompletion(const std::string& body, const std::string& endpoint) {
  const json reply = json::parse(body, nullptr, false);
  if (reply.is_discarded()) malformed(endpoint, "a JSON body", "\"" + body + "\"");
  if (!reply.is_object()) malformed(endpoint, "a JSON object", reply.dump());
  const auto choices = reply.find("choices");
  if (choices == reply.end() || !choices->is_array() || choices->empty())
    malformed(endpoint, "`choices` to be a non-empty list", reply.dump());
  const json& choice = (*choices)[0];
  if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object())
    malformed(endpoint, "`choices[0].message` to be an object", choice.dump());
  const json& content = choice["message"].value("content", json());
  if (!content.is_string()) malformed(endpoint, "`choices[0].message.content` to be a string", content.dump());

  ChatResult result;
  result.text = content.get<std::string>();
  if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) result.finishReason = choice["finish_reason"];
  if (reply.contains("usage") && reply["usage"].is_object()) {
    auto count = [&](const char* key) {
      const json& value = reply["usage"].value(key, json());
      return value.is_number_integer() ? value.get<int>() : 0;
    };
    result.promptTokens = count("prompt_tokens");
    result.completionTokens = count("completion_tokens");
  }
  return result;
}

std::string serverErrorText(const std::string& body) {
  const json reply = json::parse(body, nullptr, false);
  if (reply.is_object() && reply.contains("error")) {
    const json& error = reply["error"];
    if (error.is_string()) return oneLine(error.get<std::string>(), 200);
    if (error.is_object() && error.contains("message") && error["message"].is_string())
      return oneLine(error["message"].get<std::string>(), 200);
  }
  return oneLine(body, 200);
}

} // namespace collab::backend
