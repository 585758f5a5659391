#include "simulate/LlmUserSimulator.h"

#include "backend/JsonReplyRequest.h"
#include "persona/PersonaPrompt.h"
#include "simulate/PromptText.h"

namespace collab::simulate {

namespace {

std::string checkUserReply(const nlohmann::json& reply) {
  const auto response = reply.find("response");
  if (response == reply.end() || !response->is_string() || response->get<std::string>().empty())
    return "expected a JSON object with `response`, a non-empty string";
  for (const char* optional : {"thought", "current_answer"})
    if (reply.contains(optional) && !reply[optional].is_string() && !reply[optional].is_null())
      return std::string("expected `") + optional + "` to be a string when present";
  return "";
}

} // namespace

LlmUserSimulator::LlmUserSimulator(backend::LlmBackend& backend, persona::Persona persona, LlmSimulatorSettings settings)
    : backend_(backend), persona_(std::move(persona)), settings_(settings) {}

std::string LlmUserSimulator::prompt(const task::TaskInstance& task, const conversation::Messages& conversation) const {
  return persona::renderPrompt(persona_, {task.firstUserMessage, goalText(task), formatHistory(conversation)});
}

SimulatedReply LlmUserSimulator::reply(const task::TaskInstance& task, const conversation::Messages& conversation) {
  backend::ChatRequest request;
  request.messages = {{conversation::Role::User, prompt(task, conversation)}};
  request.params.temperature = settings_.temperature;
  request.params.maxTokens = settings_.maxTokens;
  request.params.seed = settings_.seed;
  const nlohmann::json json =
      backend::requestJsonReply(backend_, request, checkUserReply, settings_.maxAttempts, "user simulator " + persona_.name);
  SimulatedReply reply;
  reply.text = json["response"].get<std::string>();
  if (json.contains("thought") && json["thought"].is_string()) reply.thought = json["thought"].get<std::string>();
  reply.terminated = reply.text.find(kTerminateChat) != std::string::npos;
  return reply;
}

} // namespace collab::simulate
