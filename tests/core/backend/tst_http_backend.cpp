// The OpenAI-compatible HTTP backend against a real HTTP server on loopback, started by
// the test, with scripted faults: 5xx, 429 with Retry-After, 4xx, malformed bodies, slow
// replies, refused connections, replies cut off mid-body.
#include "LoopbackHttpServer.h"
#include "backend/BackendError.h"
#include "backend/OpenAiHttpBackend.h"
#include "common/Cancellation.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <thread>

using namespace collab;
using namespace collab::backend;
using collab::test::LoopbackHttpServer;
using collab::test::RecordedRequest;
using collab::test::ScriptedReply;
using Fault = ScriptedReply::Fault;
using std::chrono::milliseconds;

namespace {

HttpBackendConfig configFor(const std::string& baseUrl) {
  HttpBackendConfig config;
  config.baseUrl = baseUrl;
  config.model = "test-model";
  config.maxAttempts = 3;
  config.backoffBaseSeconds = 0.05;
  config.backoffMaxSeconds = 0.2;
  config.requestTimeoutSeconds = 5;
  config.connectTimeoutSeconds = 2;
  return config;
}

ChatRequest ask(const std::string& text) { return {{{conversation::Role::User, text}}, {}}; }

long long gapMs(const RecordedRequest& a, const RecordedRequest& b) {
  return std::chrono::duration_cast<milliseconds>(b.arrived - a.arrived).count();
}

QString q(const std::string& text) { return QString::fromStdString(text); }

} // namespace

class TestHttpBackend : public QObject {
  Q_OBJECT

private slots:
  void cleanup() { clearCancellation(); }

  void sendsAChatCompletionRequestAndReadsTheReply() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::chat("Hello there")});
    qputenv("COLLAB_TEST_KEY", "sk-test-123");
    auto config = configFor(server.baseUrl());
    config.apiKeyEnv = "COLLAB_TEST_KEY";
    OpenAiHttpBackend backend(config);
    ChatRequest request = ask("Hi");
    request.messages.insert(request.messages.begin(), {conversation::Role::System, "Be brief."});
    request.params.temperature = 0.3;
    request.params.maxTokens = 64;
    request.params.jsonObject = true;
    const auto results = backend.complete({request});
    QCOMPARE(results.size(), std::size_t(1));
    QVERIFY2(results[0].ok(), results[0].error.c_str());
    QCOMPARE(q(results[0].text), QString("Hello there"));
    QCOMPARE(results[0].attempts, 1);
    QCOMPARE(results[0].promptTokens, 11);
    QCOMPARE(q(results[0].finishReason), QString("stop"));

    const RecordedRequest sent = server.requests().at(0);
    QCOMPARE(q(sent.method), QString("POST"));
    QCOMPARE(q(sent.path), QString("/v1/chat/completions"));
    QCOMPARE(q(sent.headers.at("authorization")), QString("Bearer sk-test-123"));
    const auto body = nlohmann::json::parse(sent.body);
    QCOMPARE(q(body["model"]), QString("test-model"));
    QCOMPARE(body["messages"].size(), std::size_t(2));
    QCOMPARE(q(body["messages"][0]["role"]), QString("system"));
    QCOMPARE(q(body["messages"][1]["content"]), QString("Hi"));
    QCOMPARE(body["temperature"].get<double>(), 0.3);
    QCOMPARE(body["max_tokens"].get<int>(), 64);
    QCOMPARE(q(body["response_format"]["type"]), QString("json_object"));
    QVERIFY(!body.contains("top_p")); // unset: the server's default applies
  }

  void theKeyIsReadFromTheEnvironmentAndNeverRecorded() {
    qputenv("COLLAB_TEST_KEY", "sk-very-secret");
    auto config = configFor("http://127.0.0.1:1/v1");
    config.apiKeyEnv = "COLLAB_TEST_KEY";
    OpenAiHttpBackend backend(config);
    QVERIFY(!q(backend.config().toJson()).contains("sk-very-secret"));
    QVERIFY(q(backend.config().toJson()).contains("COLLAB_TEST_KEY"));
    QVERIFY(!q(backend.describe()).contains("sk-very-secret"));
    config.apiKeyEnv = "COLLAB_TEST_UNSET_KEY";
    qunsetenv("COLLAB_TEST_UNSET_KEY");
    try {
      OpenAiHttpBackend unset(config);
      QFAIL("an unset key variable must be an error");
    } catch (const Error& e) {
      QVERIFY2(q(e.what()).contains("COLLAB_TEST_UNSET_KEY is not set"), e.what());
    }
    config.baseUrl = "127.0.0.1:8000";
    QVERIFY_THROWS_EXCEPTION(Error, OpenAiHttpBackend{config});
  }

  void retriesServerErrorsWithBackoff() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::httpError(500), ScriptedReply::httpError(503), ScriptedReply::chat("third time")});
    OpenAiHttpBackend backend(configFor(server.baseUrl()));
    const auto result = backend.complete({ask("x")}).at(0);
    QVERIFY2(result.ok(), result.error.c_str());
    QCOMPARE(q(result.text), QString("third time"));
    QCOMPARE(result.attempts, 3);
    const auto requests = server.requests();
    QCOMPARE(requests.size(), std::size_t(3));
    // Equal jitter: the first wait is at least half of 50 ms, the second half of 100 ms.
    QVERIFY(gapMs(requests[0], requests[1]) >= 25);
    QVERIFY(gapMs(requests[1], requests[2]) >= 50);
  }

  void givesUpAfterTheLastAttemptNamingTheEndpoint() {
    LoopbackHttpServer server;
    server.setHandler([](const RecordedRequest&, int) { return ScriptedReply::httpError(502, "{\"error\":\"upstream down\"}"); });
    OpenAiHttpBackend backend(configFor(server.baseUrl()));
    const auto result = backend.complete({ask("x")}).at(0);
    QVERIFY(!result.ok());
    QCOMPARE(server.requestCount(), 3);
    QCOMPARE(result.attempts, 3);
    QCOMPARE(q(result.error), "POST " + q(server.baseUrl()) + "/chat/completions: no reply after 3 attempts (last: HTTP 502: upstream down)");
    QVERIFY_THROWS_EXCEPTION(BackendError, backend.completeOne(ask("x")));
  }

  void honoursRetryAfter() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::httpError(429).withHeader("Retry-After", "1"), ScriptedReply::chat("after the wait")});
    OpenAiHttpBackend backend(configFor(server.baseUrl()));
    const auto result = backend.complete({ask("x")}).at(0);
    QVERIFY2(result.ok(), result.error.c_str());
    QCOMPARE(result.attempts, 2);
    const auto requests = server.requests();
    QVERIFY2(gapMs(requests[0], requests[1]) >= 1000, qPrintable(QString::number(gapMs(requests[0], requests[1]))));

    // Asked to wait longer than the limit: a clear error, not a silent hour-long sleep.
    server.script({ScriptedReply::httpError(503).withHeader("Retry-After", "3600")});
    const auto refused = backend.complete({ask("x")}).at(0);
    QVERIFY(!refused.ok());
    QVERIFY2(q(refused.error).contains("asked to retry after 3600.0 s, more than the limit of 120.0 s"), refused.error.c_str());
  }

  void clientErrorsAreNotRetried() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::httpError(401, "{\"error\":{\"message\":\"Incorrect API key provided.\"}}")});
    OpenAiHttpBackend backend(configFor(server.baseUrl()));
    const auto result = backend.complete({ask("x")}).at(0);
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(q(result.error), "POST " + q(server.baseUrl()) +
                                  "/chat/completions: HTTP 401: Incorrect API key provided. (a client error: not retried)");
  }

  void malformedRepliesAreClearErrors_data() {
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << "{\"choices\": [ {\"message\"" << "expected a JSON body, found \"{\"choices\": [ {\"message\"\"";
    QTest::newRow("no choices") << "{\"id\": \"x\"}" << "expected `choices` to be a non-empty list";
    QTest::newRow("empty choices") << "{\"choices\": []}" << "expected `choices` to be a non-empty list";
    QTest::newRow("no message") << "{\"choices\": [{\"text\": \"hi\"}]}" << "expected `choices[0].message` to be an object";
    QTest::newRow("null content") << "{\"choices\": [{\"message\": {\"content\": null}}]}"
                                  << "expected `choices[0].message.content` to be a string, found null";
    QTest::newRow("array") << "[1, 2]" << "expected a JSON object, found [1,2]";
  }

  void malformedRepliesAreClearErrors() {
    QFETCH(QString, body);
    QFETCH(QString, expected);
    LoopbackHttpServer server;
    ScriptedReply reply;
    reply.body = body.toStdString();
    server.script({reply});
    OpenAiHttpBackend backend(configFor(server.baseUrl()));
    const auto result = backend.complete({ask("x")}).at(0);
    QVERIFY(!result.ok());
    QCOMPARE(server.requestCount(), 1); // a server that answers nonsense answers it again
    QVERIFY2(q(result.error).startsWith("POST " + q(server.baseUrl()) + "/chat/completions: malformed chat completion: "),
             result.error.c_str());
    QVERIFY2(q(result.error).contains(expected), result.error.c_str());
  }

  void slowRepliesTimeOutAndAreRetried() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::chat("too late").after(milliseconds(2000)), ScriptedReply::chat("in time")});
    auto config = configFor(server.baseUrl());
    config.requestTimeoutSeconds = 0.5;
    OpenAiHttpBackend backend(config);
    const auto result = backend.complete({ask("x")}).at(0);
    QVERIFY2(result.ok(), result.error.c_str());
    QCOMPARE(q(result.text), QString("in time"));
    QCOMPARE(result.attempts, 2);

    server.setHandler([](const RecordedRequest&, int) { return ScriptedReply::chat("never").after(milliseconds(2000)); });
    config.maxAttempts = 2;
    OpenAiHttpBackend slow(config);
    const auto timedOut = slow.complete({ask("x")}).at(0);
    QVERIFY2(q(timedOut.error).endsWith("no reply after 2 attempts (last: timed out after 0.5 s)"), timedOut.error.c_str());
  }

  void refusedConnectionsAreRetriedThenReported() {
    const std::string url = "http://127.0.0.1:" + std::to_string(LoopbackHttpServer::refusedPort()) + "/v1";
    OpenAiHttpBackend backend(configFor(url));
    const auto result = backend.complete({ask("x")}).at(0);
    QVERIFY(!result.ok());
    QCOMPARE(result.attempts, 3);
    QVERIFY2(q(result.error).startsWith("POST " + q(url) + "/chat/completions: no reply after 3 attempts (last: "),
             result.error.c_str());
    QVERIFY2(q(result.error).contains("onnect"), result.error.c_str()); // "Failed to connect ... Connection refused"
  }

  void connectionsDroppedMidReplyAreRetried() {
    LoopbackHttpServer server;
    server.script({ScriptedReply::chat("cut").withFault(Fault::CutMidBody),
                   ScriptedReply::chat("dropped").withFault(Fault::CloseWithoutReply), ScriptedReply::chat("whole")});
    OpenAiHttpBackend backend(configFor(server.baseUrl()));
    const auto result = backend.complete({ask("x")}).at(0);
    QVERIFY2(result.ok(), result.error.c_str());
    QCOMPARE(q(result.text), QString("whole"));
    QCOMPARE(result.attempts, 3);

    server.setHandler([](const RecordedRequest&, int) { return ScriptedReply::chat("cut").withFault(Fault::CutMidBody); });
    const auto cut = backend.complete({ask("x")}).at(0);
    QVERIFY2(q(cut.error).contains("(last: the reply was cut off mid-body"), cut.error.c_str());
  }

  // A batch keeps at most maxConcurrency requests in flight, and at least that many when
  // the server is slow; results come back in request order.
  void batchesRespectTheConcurrencyLimit() {
    LoopbackHttpServer server;
    server.setHandler([](const RecordedRequest& request, int) {
      const auto body = nlohmann::json::parse(request.body);
      return ScriptedReply::chat("echo: " + body["messages"][0]["content"].get<std::string>()).after(milliseconds(300));
    });
    auto config = configFor(server.baseUrl());
    config.maxConcurrency = 3;
    OpenAiHttpBackend backend(config);
    std::vector<ChatRequest> batch;
    for (int i = 0; i < 8; ++i) batch.push_back(ask("request " + std::to_string(i)));
    const auto results = backend.complete(batch);
    QCOMPARE(results.size(), std::size_t(8));
    for (int i = 0; i < 8; ++i) QCOMPARE(q(results[static_cast<std::size_t>(i)].text), QString("echo: request %1").arg(i));
    QCOMPARE(server.maxConcurrent(), 3);
  }

  void oneFailureInABatchLeavesTheOthers() {
    LoopbackHttpServer server;
    server.setHandler([](const RecordedRequest& request, int) {
      if (request.body.find("bad") != std::string::npos) return ScriptedReply::httpError(400);
      return ScriptedReply::chat("fine");
    });
    OpenAiHttpBackend backend(configFor(server.baseUrl()));
    const auto results = backend.complete({ask("good"), ask("bad"), ask("good too")});
    QVERIFY(results[0].ok() && results[2].ok());
    QVERIFY(q(results[1].error).contains("HTTP 400"));
  }

  void aCancellationAbortsTheBatch() {
    LoopbackHttpServer server;
    server.setHandler([](const RecordedRequest&, int) { return ScriptedReply::chat("slow").after(milliseconds(5000)); });
    OpenAiHttpBackend backend(configFor(server.baseUrl()));
    std::thread canceller([] {
      std::this_thread::sleep_for(milliseconds(200));
      requestCancellation();
    });
    const auto start = std::chrono::steady_clock::now();
    QVERIFY_THROWS_EXCEPTION(Cancelled, backend.complete({ask("x"), ask("y")}));
    canceller.join();
    QVERIFY(std::chrono::steady_clock::now() - start < milliseconds(3000));
  }
};

QTEST_GUILESS_MAIN(TestHttpBackend)
#include "tst_http_backend.moc"
