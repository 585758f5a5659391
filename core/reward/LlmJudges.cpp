#include "reward/LlmJudges.h"

#include "backend/JsonReplyRequest.h"
#include "common/Error.h"
#include "simulate/PromptText.h"

#include <cmath>

namespace collab::reward {

namespace {

// Our wording of the reference's interactivity rubric.
constexpr const char* kInteractivityIntro =
    "You are a careful evaluator of conversations between a user and an AI assistant. Rate how interactive the "
    "assistant is in the part of the conversation to be evaluated: how well it engages with the user, works out what "
    "they actually need (asking when something important is unclear, not when it is already known) and moves the "
    "task forward together with them. The context before it is there only to understand it.\n\n";

constexpr const char* kOneToThree =
    "Give a score of 1, 2 or 3:\n"
    "3 = highly interactive: the assistant asks the questions that matter at the right time, builds on the answers "
    "and clearly helps the user reach their goal;\n"
    "2 = moderately interactive: it engages, but misses an important question or asks some that do not help;\n"
    "1 = not interactive: it answers without engaging, guesses what it should have asked, or asks needless "
    "questions.\n\n"
    "Reply with one JSON object and nothing else:\n"
    "{\"thought\": \"<how interactive the assistant is, and why>\", \"interactivity\": <1, 2 or 3>}";

constexpr const char* kUnitInterval =
    "Give a score between 0 and 1: 1 when the assistant asks the questions that matter at the right time, builds on "
    "the answers and clearly helps the user reach their goal; around 0.5 when it engages but misses an important "
    "question or asks some that do not help; 0 when it answers without engaging, guesses what it should have asked, "
    "or asks needless questions.\n\n"
    "Reply with one JSON object and nothing else:\n"
    "{\"thought\": \"<how interactive the assistant is, and why>\", \"interactivity\": <a number from 0 to 1>}";

constexpr const char* kAccuracy =
    "You are checking the final answer of a conversation between a user and an AI assistant against the reference "
    "answer of the user's problem. Only the assistant's final answer counts; equivalent forms are equal (0.5, 1/2 "
    "and 50% are the same number), formatting does not matter, and an answer that hedges between several values is "
    "wrong.\n\n";

std::optional<double> numberIn(const nlohmann::json& reply, const char* key) {
  if (!reply.contains(key)) return std::nullopt;
  const nlohmann::json& value = reply[key];
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    try {
      std::size_t used = 0;
      const double number = std::stod(value.get<std::string>(), &used);
      if (used == value.get<std::string>().size()) return number;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

std::string thoughtOf(const nlohmann::json& reply) {
  return reply.contains("thought") && reply["thought"].is_string() ? reply["thought"].get<std::string>() : "";
}

backend::ChatRequest judgeRequest(const std::string& prompt, const LlmJudgeSettings& settings) {
  backend::ChatRequest request;
  request.messages = {{conversation::Role::User, prompt}};
  request.params.temperature = settings.temperature;
  return request;
}

} // namespace

JudgeScale parseJudgeScale(const std::string& text) {
  if (text == "1-3") return JudgeScale::OneToThree;
  if (text == "0-1") return JudgeScale::UnitInterval;
  throw Error("judge scale: expected \"1-3\" or \"0-1\", found \"" + text + "\"");
}

LlmInteractivityJudge::LlmInteractivityJudge(backend::LlmBackend& backend, JudgeScale scale, LlmJudgeSettings settings)
    : backend_(backend), scale_(scale), settings_(settings) {}

std::string LlmInteractivityJudge::prompt(const conversation::Messages& history,
                                          const conversation::Messages& forward) const {
  std::string text = kInteractivityIntro;
  if (!history.empty())
    text += "<|The Start of the Conversation Context|>\n" + simulate::formatHistory(history) +
            "\n<|The End of the Conversation Context|>\n\n";
  text += "<|The Start of the Conversation to be Evaluated|>\n" + simulate::formatHistory(forward) +
          "\n<|The End of the Conversation to be Evaluated|>\n\n";
  return text + (scale_ == JudgeScale::OneToThree ? kOneToThree : kUnitInterval);
}

Judgement LlmInteractivityJudge::judge(const task::TaskInstance&, const conversation::Messages& history,
                                       const conversation::Messages& forward) {
  const bool oneToThree = scale_ == JudgeScale::OneToThree;
  auto check = [&](const nlohmann::json& reply) -> std::string {
    const auto score = numberIn(reply, "interactivity");
    const bool inRange = score && (oneToThree ? *score >= 1 && *score <= 3 : *score >= 0 && *score <= 1);
    return inRange ? "" : oneToThree ? "expected `interactivity` to be a number from 1 to 3"
                                     : "expected `interactivity` to be a number from 0 to 1";
  };
  const auto reply = backend::requestJsonReply(backend_, judgeRequest(prompt(history, forward), settings_), check,
                                               settings_.maxAttempts, "interactivity judge");
  const double score = *numberIn(reply, "interactivity");
  return {oneToThree ? score / 3.0 : score, thoughtOf(reply)};
}

LlmAccuracyJudge::LlmAccuracyJudge(backend::LlmBackend& backend, LlmJudgeSettings settings)
    : backend_(backend), settings_(settings) {}

Judgement LlmAccuracyJudge::judge(const task::TaskInstance& task, const conversation::Messages& conversation) {
  const std::string prompt = std::string(kAccuracy) + "<|The Start of the Problem|>\n" + task.firstUserMessage +
                             "\n<|The End of the Problem|>\n\n<|The Start of the Reference Answer|>\n" + task.reference +
                             "\n<|The End of the Reference Answer|>\n\n<|The Start of the Conversation|>\n" +
                             simulate::formatHistory(conversation) +
                             "\n<|The End of the Conversation|>\n\nReply with one JSON object and nothing else:\n"
                             "{\"thought\": \"<the final answer, and whether it equals the reference>\", "
                             "\"accuracy\": <1 if it does, else 0>}";
  auto check = [](const nlohmann::json& reply) -> std::string {
    const auto value = numberIn(reply, "accuracy");
    return value && (*value == 0 || *value == 1) ? "" : "expected `accuracy` to be 0 or 1";
  };
  const auto reply = backend::requestJsonReply(backend_, judgeRequest(prompt, settings_), check, settings_.maxAttempts,
                                               "accuracy judge");
  return {*numberIn(reply, "accuracy"), thoughtOf(reply)};
}

} // namespace collab::reward
