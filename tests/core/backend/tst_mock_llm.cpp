// The HTTP backend and the LLM-backed simulator against a third-party OpenAI-compatible
// mock server, @dwmkerr/mock-llm (ORACLES.md), installed by tests/data/mock-llm/fetch.sh.
#include "LoopbackHttpServer.h"
#include "backend/OpenAiHttpBackend.h"
#include "persona/ReferencePersona.h"
#include "simulate/LlmUserSimulator.h"
#include "task/TaskRegistry.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace collab;

namespace {

QString mainScript() { return qEnvironmentVariable("COLLAB_MOCK_LLM_DIR") + "/node_modules/@dwmkerr/mock-llm/dist/main.js"; }

// A rule of mock-llm.yaml: requests whose last message contains `marker` get `status` and
// `content` (JSON; the mock parses it and sends it back).
std::string rule(const std::string& marker, int status, const std::string& content, int sequence = -1) {
  std::string text = "  - path: \"/v1/chat/completions\"\n    method: \"POST\"\n";
  text += "    match: \"contains(body.messages[-1].content, '" + marker + "')\"\n";
  if (sequence >= 0) text += "    sequence: " + std::to_string(sequence) + "\n";
  return text + "    response:\n      status: " + std::to_string(status) + "\n      content: '" + content + "'\n";
}

std::string chatContent(const std::string& message) {
  return "{\"id\": \"chatcmpl-mock\", \"object\": \"chat.completion\", \"model\": \"mock\", \"choices\": [{\"index\": 0, "
         "\"message\": {\"role\": \"assistant\", \"content\": " + message + "}, \"finish_reason\": \"stop\"}]}";
}

} // namespace

class TestMockLlm : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QProcess server_;
  int port_ = 0;

  // Why the mock cannot run here, or nothing.
  static QString missing() {
    if (QStandardPaths::findExecutable("node").isEmpty()) return "node is not installed: the mock-llm test needs Node.js";
    if (!QFile::exists(mainScript()))
      return "@dwmkerr/mock-llm is not installed at " + mainScript() +
             " (tests/data/mock-llm/fetch.sh installs it with npm; is npm missing?)";
    return {};
  }

  // Starts the mock with `rules`; true once it listens.
  bool start(const std::string& rules) {
    const QString config = dir_.filePath("mock-llm.yaml");
    std::ofstream(config.toStdString()) << "rules:\n" << rules;
    port_ = test::LoopbackHttpServer::refusedPort();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HOST", "127.0.0.1");
    environment.insert("PORT", QString::number(port_));
    server_.setProcessEnvironment(environment);
    server_.setProcessChannelMode(QProcess::MergedChannels);
    server_.start("node", {mainScript(), "--config", config});
    if (!server_.waitForStarted(10000)) return false;
    QString output;
    QElapsedTimer waited;
    waited.start();
    while (!output.contains("server running on") && waited.elapsed() < 20000 && server_.state() == QProcess::Running)
      if (server_.waitForReadyRead(500)) output += server_.readAll();
    if (!output.contains("server running on")) qWarning("mock-llm did not start: %s", qPrintable(output));
    return output.contains("server running on");
  }

  backend::OpenAiHttpBackend client() const {
    backend::HttpBackendConfig config;
    config.baseUrl = "http://127.0.0.1:" + std::to_string(port_) + "/v1";
    config.model = "mock";
    config.maxAttempts = 3;
    config.backoffBaseSeconds = 0.05;
    config.backoffMaxSeconds = 0.1;
    return backend::OpenAiHttpBackend(config);
  }

  backend::ChatRequest ask(const std::string& text) const { return {{{conversation::Role::User, text}}, {}}; }

private slots:
  void cleanup() {
    if (server_.state() != QProcess::NotRunning) {
      server_.kill();
      server_.waitForFinished(5000);
    }
  }

  void readsTheMocksChatCompletions() {
    if (!missing().isEmpty()) QSKIP(qPrintable(missing()));
    QVERIFY(start(rule("hello", 200, chatContent("\"Hi there! How can I help?\""))));
    auto http = client();
    const auto result = http.complete({ask("hello mock")}).at(0);
    QVERIFY2(result.ok(), result.error.c_str());
    QCOMPARE(QString::fromStdString(result.text), QString("Hi there! How can I help?"));
    QCOMPARE(result.attempts, 1);
  }

  void retriesTheMocksServerErrors() {
    if (!missing().isEmpty()) QSKIP(qPrintable(missing()));
    QVERIFY(start(rule("retry", 503, "{\"error\": {\"message\": \"overloaded\"}}", 0) +
          rule("retry", 200, chatContent("\"second try\""), 1)));
    auto http = client();
    const auto result = http.complete({ask("retry please")}).at(0);
    QVERIFY2(result.ok(), result.error.c_str());
    QCOMPARE(QString::fromStdString(result.text), QString("second try"));
    QCOMPARE(result.attempts, 2);
  }

  void reportsTheMocksClientErrors() {
    if (!missing().isEmpty()) QSKIP(qPrintable(missing()));
    QVERIFY(start(rule("error-401", 401, "{\"error\": {\"message\": \"Incorrect API key provided.\", \"code\": \"invalid_api_key\"}}")));
    auto http = client();
    const auto result = http.complete({ask("error-401")}).at(0);
    QCOMPARE(result.attempts, 1);
    QVERIFY2(QString::fromStdString(result.error)
                 .endsWith("/v1/chat/completions: HTTP 401: Incorrect API key provided. (a client error: not retried)"),
             result.error.c_str());
    // A request no rule matches gets the mock's own 404, also a client error.
    QVERIFY(QString::fromStdString(http.complete({ask("unmatched")}).at(0).error).contains("HTTP 404"));
  }

  void aSimulatedUserPlayedThroughTheMock() {
    // The reply content is the simulator's JSON, as a string inside the completion.
    if (!missing().isEmpty()) QSKIP(qPrintable(missing()));
    QVERIFY(start(rule("You are playing a person", 200,
               chatContent("\"```json\\n{\\\"thought\\\": \\\"it works\\\", \\\"response\\\": \\\"Great, thanks! "
                           "[[TERMINATE CHAT]]\\\"}\\n```\""))));
    auto http = client();
    simulate::LlmUserSimulator user(http, persona::referencePersona());
    const task::TaskRegistry registry;
    const auto task = registry.family("math").generate(1, 0);
    const auto reply = user.reply(task, {{conversation::Role::User, task.firstUserMessage},
                                         {conversation::Role::Assistant, "It is 42."}});
    QVERIFY(reply.terminated);
    QCOMPARE(QString::fromStdString(reply.thought), QString("it works"));
  }
};

QTEST_GUILESS_MAIN(TestMockLlm)
#include "tst_mock_llm.moc"
