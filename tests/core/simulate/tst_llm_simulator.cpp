// The LLM-backed user simulator, judges and policy, over the HTTP backend against a
// loopback server with scripted replies: prompts, lenient parsing, bounded retries, and
// clear failures instead of invented replies.
#include "LoopbackHttpServer.h"
#include "backend/JsonReplyRequest.h"
#include "backend/OpenAiHttpBackend.h"
#include "persona/PersonaJson.h"
#include "persona/ReferencePersona.h"
#include "reward/LlmJudges.h"
#include "reward/MultiturnReward.h"
#include "simulate/LlmPolicy.h"
#include "simulate/LlmUserSimulator.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "simulate/ScriptedPolicy.h"
#include "task/TaskRegistry.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace collab;
using collab::test::LoopbackHttpServer;
using collab::test::RecordedRequest;
using collab::test::ScriptedReply;
using conversation::Role;

namespace {

backend::HttpBackendConfig configFor(const LoopbackHttpServer& server) {
  backend::HttpBackendConfig config;
  config.baseUrl = server.baseUrl();
  config.model = "sim-model";
  config.maxAttempts = 2;
  config.backoffBaseSeconds = 0.01;
  config.backoffMaxSeconds = 0.02;
  return config;
}

QString q(const std::string& text) { return QString::fromStdString(text); }

// The text of the (single) user message a request carried.
std::string promptOf(const RecordedRequest& request) {
  const auto body = nlohmann::json::parse(request.body);
  return body["messages"].back()["content"].get<std::string>();
}

ScriptedReply userReply(const std::string& response, const std::string& thought = "fine") {
  return ScriptedReply::chat(nlohmann::json{{"thought", thought}, {"response", response}}.dump());
}

} // namespace

class TestLlmSimulator : public QObject {
  Q_OBJECT
  task::TaskRegistry registry_;

private slots:
  void thePromptFoldsInThePersonaTheGoalAndTheConversation() {
    LoopbackHttpServer server;
    server.script({userReply("It's for the whole team.")});
    backend::OpenAiHttpBackend backend(configFor(server));
    const persona::Persona manager = persona::readPersonaFile(COLLAB_SOURCE_DIR "/resources/personas/busy-manager.json");
    simulate::LlmUserSimulator user(backend, manager);
    const auto task = registry_.family("documents").generate(3, 1);
    const conversation::Messages chat = {{Role::User, task.firstUserMessage}, {Role::Assistant, "Who is it for?"}};
    const auto reply = user.reply(task, chat);
    QCOMPARE(q(reply.text), QString("It's for the whole team."));

    const QString prompt = q(promptOf(server.requests().at(0)));
    QVERIFY(prompt.contains("You are busy-manager."));                   // {persona}
    QVERIFY(prompt.contains("- patience (tolerance for questions"));      // its traits in words
    QVERIFY(prompt.contains(q("- " + task.goal[0].description + ": " + task.goal[0].value))); // the hidden goal
    QVERIFY(prompt.contains(q(task.reference)));                           // documents: the goal document
    QVERIFY(prompt.contains("ASSISTANT: Who is it for?"));                 // the conversation
    QVERIFY(prompt.contains("[[TERMINATE CHAT]]"));
    QCOMPARE(nlohmann::json::parse(server.requests().at(0).body)["temperature"].get<double>(), 1.0);
  }

  void mathUsersSeeOnlyTheirQuestion() {
    const auto task = registry_.family("math").generate(1, 0);
    LoopbackHttpServer server;
    backend::OpenAiHttpBackend backend(configFor(server));
    simulate::LlmUserSimulator user(backend, persona::referencePersona());
    const QString prompt = q(user.prompt(task, {{Role::User, task.firstUserMessage}}));
    QVERIFY(!prompt.contains("The document you have in mind"));
    QVERIFY(!prompt.contains(q(task.reference + "\n"))); // the answer is not the user's to know
  }

  void readsFencedRepliesAndTheTerminationMarker() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::chat("Here you go:\n```json\n{'thought': 'done', 'response': 'Perfect, thanks! "
                                       "[[TERMINATE CHAT]]',}\n```")});
    backend::OpenAiHttpBackend backend(configFor(server));
    simulate::LlmUserSimulator user(backend, persona::referencePersona());
    const auto task = registry_.family("math").generate(1, 0);
    const auto reply = user.reply(task, {{Role::User, task.firstUserMessage}, {Role::Assistant, "It is 42."}});
    QVERIFY(reply.terminated);
    QCOMPARE(q(reply.thought), QString("done"));
    QVERIFY(q(reply.text).startsWith("Perfect, thanks!"));
  }

  void asksAgainForAnInvalidReplyThenFailsClearly() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::chat("Sure, I'd say it's for the team."), ScriptedReply::chat("{\"thought\": \"x\"}"),
                   userReply("For the team.")});
    backend::OpenAiHttpBackend backend(configFor(server));
    simulate::LlmUserSimulator user(backend, persona::referencePersona());
    const auto task = registry_.family("math").generate(1, 0);
    const conversation::Messages chat = {{Role::User, task.firstUserMessage}, {Role::Assistant, "Which rate?"}};
    QCOMPARE(q(user.reply(task, chat).text), QString("For the team."));
    QCOMPARE(server.requestCount(), 3);

    server.setHandler([](const RecordedRequest&, int) { return ScriptedReply::chat("{\"response\": \"\"}"); });
    try {
      user.reply(task, chat);
      QFAIL("an invalid reply must not become a user turn");
    } catch (const backend::InvalidReplyError& e) {
      QCOMPARE(q(e.what()), "user simulator generic-user (http:sim-model@" + q(server.baseUrl()) +
                                "): no valid reply in 3 attempts: expected a JSON object with `response`, a non-empty "
                                "string; last reply: \"{\"response\": \"\"}\"");
    }
    QCOMPARE(server.requestCount(), 6);
  }

  void theInteractivityJudgeReadsItsScale() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::chat("{\"thought\": \"asks the right thing\", \"interactivity\": 3}"),
                   ScriptedReply::chat("{\"interactivity\": \"2\"}"),
                   ScriptedReply::chat("{\"interactivity\": 5}"), // off the scale: asked again
                   ScriptedReply::chat("{\"interactivity\": 1}"),
                   ScriptedReply::chat("{\"interactivity\": 0.7}")});
    backend::OpenAiHttpBackend backend(configFor(server));
    reward::LlmInteractivityJudge v1(backend, reward::JudgeScale::OneToThree);
    const auto task = registry_.family("math").generate(1, 0);
    const conversation::Messages history = {{Role::User, task.firstUserMessage}};
    const conversation::Messages forward = {{Role::Assistant, "What is the rate?"}, {Role::User, "5%"}};
    const auto best = v1.judge(task, history, forward);
    QCOMPARE(best.score, 1.0);
    QCOMPARE(q(best.rationale), QString("asks the right thing"));
    QCOMPARE(v1.judge(task, history, forward).score, 2.0 / 3);
    QCOMPARE(v1.judge(task, history, forward).score, 1.0 / 3);
    QCOMPARE(server.requestCount(), 4);
    reward::LlmInteractivityJudge v2(backend, reward::JudgeScale::UnitInterval);
    QCOMPARE(v2.judge(task, history, forward).score, 0.7);
    // The forward part is evaluated, the history is context.
    const QString prompt = q(promptOf(server.requests().at(0)));
    QVERIFY(prompt.contains("<|The Start of the Conversation Context|>\nUSER: " + q(task.firstUserMessage)));
    QVERIFY(prompt.contains("<|The Start of the Conversation to be Evaluated|>\nASSISTANT: What is the rate?\n\nUSER: 5%"));
  }

  // v1 drops the samples whose judge failed; with none left the estimate fails.
  void samplesWhoseJudgeFailsAreDropped() {
    LoopbackHttpServer server;
    const ScriptedReply bad = ScriptedReply::chat("no idea"), good = ScriptedReply::chat("{\"interactivity\": 2}");
    server.script({bad, bad, bad, good, good});
    backend::OpenAiHttpBackend backend(configFor(server));
    reward::LlmInteractivityJudge judge(backend, reward::JudgeScale::OneToThree);
    const auto& math = registry_.family("math");
    const auto task = math.generate(1, 0);
    simulate::ScriptedPolicy policy(math, simulate::ScriptedPolicy::Behaviour::AskThenAnswer);
    const reward::SimulatorFactory simulators = [&](int sample) {
      return std::make_unique<simulate::RuleBasedUserSimulator>(math, persona::Traits{}, static_cast<std::uint64_t>(sample));
    };
    const conversation::Messages history = {{Role::User, task.firstUserMessage}};
    reward::RewardJudges judges;
    judges.interactivity = &judge;
    const auto estimate = reward::estimateMultiturnReward(math, task, history, "Could you tell me the numbers?", policy,
                                                          simulators, reward::RewardConfig{}, judges);
    QCOMPARE(estimate.samples.size(), std::size_t(2));
    QCOMPARE(estimate.droppedSamples, 1);
    QCOMPARE(estimate.interactivity, 2.0 / 3);

    server.setHandler([](const RecordedRequest&, int) { return ScriptedReply::chat("no idea"); });
    QVERIFY_THROWS_EXCEPTION(backend::InvalidReplyError,
                             reward::estimateMultiturnReward(math, task, history, "Which numbers?", policy, simulators,
                                                             reward::RewardConfig{}, judges));
  }

  void mathAccuracyComesFromTheJudgeWhenOneIsGiven() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::chat("{\"thought\": \"same number\", \"accuracy\": 1}")});
    backend::OpenAiHttpBackend backend(configFor(server));
    reward::LlmAccuracyJudge accuracy(backend);
    const auto& math = registry_.family("math");
    const auto task = math.generate(1, 0);
    const conversation::Messages history = {{Role::User, task.firstUserMessage}};
    const conversation::Messages wrong = {{Role::Assistant, "It is 1."}};
    QCOMPARE(reward::conversationReward(math, task, history, wrong, {}).task, 0.0); // the rule check
    reward::RewardJudges judges;
    judges.accuracy = &accuracy;
    const auto judged = reward::conversationReward(math, task, history, wrong, {}, judges);
    QCOMPARE(judged.task, 1.0);
    QCOMPARE(q(judged.taskDetail), QString("same number"));
    const QString prompt = q(promptOf(server.requests().at(0)));
    QVERIFY(prompt.contains("<|The Start of the Reference Answer|>\n" + q(task.reference)));
    // A task scored by BLEU ignores an accuracy judge.
    const auto& documents = registry_.family("documents");
    const auto note = documents.generate(1, 0);
    reward::conversationReward(documents, note, {{Role::User, note.firstUserMessage}}, {{Role::Assistant, "Hi all."}}, {},
                               judges);
    QCOMPARE(server.requestCount(), 1);
  }

  void thePolicySendsTheConversationAndServesABatchInOneCall() {
    LoopbackHttpServer server;
    server.setHandler([](const RecordedRequest& request, int) {
      const auto body = nlohmann::json::parse(request.body);
      return ScriptedReply::chat("reply to " + body["messages"].back()["content"].get<std::string>());
    });
    auto config = configFor(server);
    backend::OpenAiHttpBackend backend(config);
    backend::GenerationParams params;
    params.temperature = 0.7;
    simulate::LlmPolicy policy(backend, "You are a helpful, collaborative assistant.", params);
    const auto task = registry_.family("math").generate(1, 0);
    QCOMPARE(q(policy.respond(task, {{Role::User, "hello"}})), QString("reply to hello"));
    const auto body = nlohmann::json::parse(server.requests().at(0).body);
    QCOMPARE(q(body["messages"][0]["role"]), QString("system"));
    QCOMPARE(body["temperature"].get<double>(), 0.7);
    const auto replies = policy.respondAll(task, {{{Role::User, "a"}}, {{Role::User, "b"}}, {{Role::User, "c"}}});
    QCOMPARE(replies, (std::vector<std::string>{"reply to a", "reply to b", "reply to c"}));
    QCOMPARE(server.requestCount(), 4);
  }

  // MR with every part over HTTP: the simulated user, the policy's future turns, the judge.
  void aMultiturnRewardEntirelyOverHttp() {
    LoopbackHttpServer server;
    server.setHandler([](const RecordedRequest& request, int) {
      const std::string prompt = promptOf(request);
      if (prompt.find("evaluator") != std::string::npos) return ScriptedReply::chat("{\"interactivity\": 3}");
      if (prompt.find("You are playing a person") != std::string::npos) return userReply("The rate is 5%.");
      return ScriptedReply::chat("Thanks, anything else?");
    });
    backend::OpenAiHttpBackend backend(configFor(server));
    simulate::LlmPolicy policy(backend);
    reward::LlmInteractivityJudge judge(backend, reward::JudgeScale::OneToThree);
    const auto& math = registry_.family("math");
    const auto task = math.generate(1, 0);
    const reward::SimulatorFactory simulators = [&](int) {
      return std::make_unique<simulate::LlmUserSimulator>(backend, persona::referencePersona());
    };
    reward::RewardConfig config;
    config.window = 1;
    config.samples = 2;
    reward::RewardJudges judges;
    judges.interactivity = &judge;
    const auto estimate = reward::estimateMultiturnReward(math, task, {{Role::User, task.firstUserMessage}},
                                                          "What rate?", policy, simulators, config, judges);
    QCOMPARE(estimate.samples.size(), std::size_t(2));
    for (const auto& sample : estimate.samples) {
      QCOMPARE(sample.future.size(), std::size_t(2));
      QCOMPARE(q(sample.future[0].content), QString("The rate is 5%."));
      QCOMPARE(q(sample.future[1].content), QString("Thanks, anything else?"));
      QCOMPARE(sample.reward.interactivity, 1.0);
    }
    QCOMPARE(server.requestCount(), 2 * 3); // per sample: user, policy, judge
  }
};

QTEST_GUILESS_MAIN(TestLlmSimulator)
#include "tst_llm_simulator.moc"
