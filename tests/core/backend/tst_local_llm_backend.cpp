// LocalLlmBackend on tests/data/models/tiny-llama (random weights) given Llama 3's chat
// template: the prompt is the template's rendering with the generation prompt, replies are
// what model::generate draws from it, a batch replies as its requests one by one, seeds
// repeat and unseeded requests draw anew, max tokens and stop strings end replies, a prompt
// too long fails only its own result, folders that are not chat checkpoints fail at
// construction naming the file, and an LLM user simulator played by the random model fails
// after its bounded retries instead of inventing a reply. Includes LibTorch (Q_SLOTS).

#include "TinyChatModel.h"
#include "backend/JsonReplyRequest.h"
#include "backend/local/LocalLlmBackend.h"
#include "common/Error.h"
#include "model/ChatFormat.h"
#include "model/Checkpoint.h"
#include "model/Generator.h"
#include "model/Tokenizer.h"
#include "persona/ReferencePersona.h"
#include "simulate/LlmUserSimulator.h"
#include "task/TaskRegistry.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <set>

using namespace collab;
using backend::ChatRequest;
using backend::ChatResult;
using conversation::Role;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kEndOfText = 382, kEndOfTurn = 383; // tiny-llama's <|end_of_text|>, <|eot_id|>

ChatRequest request(const std::string& user, std::optional<long long> seed, int maxTokens = 16) {
  ChatRequest r;
  r.messages = {{Role::System, "Be brief."}, {Role::User, user}};
  r.params.temperature = 1.0;
  r.params.seed = seed;
  r.params.maxTokens = maxTokens;
  return r;
}

std::vector<std::string> textsOf(const std::vector<ChatResult>& results) {
  std::vector<std::string> texts;
  for (const ChatResult& r : results) {
    if (!r.ok()) qFatal("unexpected error: %s", r.error.c_str());
    texts.push_back(r.text);
  }
  return texts;
}

std::string constructionError(const fs::path& directory) {
  try {
    backend::LocalLlmBackend backend(directory.string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// Counts the calls made through it and keeps the replies.
class RecordingBackend : public backend::LlmBackend {
public:
  explicit RecordingBackend(backend::LlmBackend& inner) : inner_(inner) {}
  std::vector<ChatResult> complete(const std::vector<ChatRequest>& requests) override {
    std::vector<ChatResult> results = inner_.complete(requests);
    for (const ChatResult& r : results) replies.push_back(r.ok() ? r.text : "error: " + r.error);
    return results;
  }
  std::string describe() const override { return inner_.describe(); }
  std::vector<std::string> replies;

private:
  backend::LlmBackend& inner_;
};

} // namespace

class LocalLlmBackendTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path checkpoint_;
  std::unique_ptr<backend::LocalLlmBackend> backend_;

  fs::path scratch(const char* name) const { return fs::path(dir_.path().toStdString()) / name; }

private Q_SLOTS:
  void initTestCase() {
    checkpoint_ = test::copyTinyLlama(scratch("tiny-chat"));
    backend_ = std::make_unique<backend::LocalLlmBackend>(checkpoint_.string());
  }

  void describeNamesTheAbsoluteFolder() {
    QCOMPARE(backend_->describe(), "local:" + fs::absolute(checkpoint_).lexically_normal().string());
  }

  // (a) What the model continues: ChatFormat's rendering with the generation prompt.
  void thePromptIsTheTemplatesRenderingWithTheGenerationPrompt() {
    ChatRequest r = request("Hi", 1);
    r.messages.push_back({Role::Assistant, "Hello."});
    r.messages.push_back({Role::User, "2+2?"});
    const auto tokenizer = model::Tokenizer::fromFile(checkpoint_ / "tokenizer.json");
    model::ChatOptions options;
    options.addGenerationPrompt = true;
    const std::vector<std::uint32_t> expected =
        model::ChatFormat::fromModelDirectory(checkpoint_)
            .encode(tokenizer, {{"system", "Be brief."}, {"user", "Hi"}, {"assistant", "Hello."}, {"user", "2+2?"}}, options)
            .ids;
    const std::vector<std::int64_t> ids = backend_->promptIds(r);
    QCOMPARE(ids, std::vector<std::int64_t>(expected.begin(), expected.end()));
    QCOMPARE(tokenizer.decode(expected), std::string("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                                                     "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                                                     "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
                                                     "<|start_header_id|>user<|end_header_id|>\n\n2+2?<|eot_id|>"
                                                     "<|start_header_id|>assistant<|end_header_id|>\n\n"));
    QCOMPARE(backend_->complete({r}).front().promptTokens, static_cast<int>(expected.size()));
  }

  // ... and the reply is what model::generate draws from that prompt with the request's
  // seed, stopping on the EOS id and on the template's end of turn.
  void theReplyIsWhatGenerateDrawsFromThePrompt() {
    const ChatRequest r = request("Tell me a story", 11, 40);
    const ChatResult result = backend_->complete({r}).front();
    QVERIFY2(result.ok(), result.error.c_str());

    model::CausalLm lm = model::loadCausalLm(checkpoint_.string());
    const auto tokenizer = model::Tokenizer::fromFile(checkpoint_ / "tokenizer.json");
    model::GenerationRequest g;
    g.prompt = backend_->promptIds(r);
    g.seed = 11;
    g.maxNewTokens = 40;
    g.stopTokens = {kEndOfText, kEndOfTurn};
    const model::GenerationResult expected = model::generate(*lm, {g}).front();
    QCOMPARE(result.completionTokens, static_cast<int>(expected.tokens.size()));
    const bool stopped = expected.finish == model::FinishReason::StopToken;
    QCOMPARE(result.finishReason, std::string(stopped ? "stop" : "length"));
    std::vector<std::uint32_t> text;
    for (std::size_t i = 0; i < expected.tokens.size() - (stopped ? 1 : 0); ++i)
      if (!tokenizer.isSpecial(static_cast<std::uint32_t>(expected.tokens[i]))) text.push_back(static_cast<std::uint32_t>(expected.tokens[i]));
    QCOMPARE(result.text, tokenizer.decode(text));
    QVERIFY(!result.text.empty());
    QCOMPARE(result.attempts, 1);
  }

  // (b) One batch (here in chunks of two rows) gives each request the reply it gets alone.
  void aBatchRepliesAsItsRequestsOneByOne() {
    backend::LocalBackendSettings settings;
    settings.maxBatchRows = 2;
    backend::LocalLlmBackend chunked(checkpoint_.string(), settings);
    const std::vector<ChatRequest> batch = {request("Hi", 1), request("What is the capital of France?", 2),
                                            request("Write a haiku about the sea, please", 3), request("ok", 4),
                                            request("Hi", 5)};
    const std::vector<std::string> together = textsOf(chunked.complete(batch));
    std::vector<std::string> alone;
    for (const ChatRequest& r : batch) alone.push_back(backend_->completeOne(r));
    QCOMPARE(together, alone);
    QCOMPARE(std::set<std::string>(alone.begin(), alone.end()).size(), alone.size()); // the seeds do differ
  }

  // The same seed gives the same reply; requests without a seed draw anew each time they are
  // asked (a retry must not get the same reply), yet a run repeats.
  void seedsRepeatAndUnseededRequestsDrawAnew() {
    QCOMPARE(backend_->completeOne(request("Hi", 42)), backend_->completeOne(request("Hi", 42)));
    const std::vector<ChatRequest> unseeded = {request("Hi", std::nullopt), request("Hi", std::nullopt), request("Hi", std::nullopt)};
    backend::LocalLlmBackend first(checkpoint_.string()), second(checkpoint_.string());
    const std::vector<std::string> drawn = textsOf(first.complete(unseeded));
    QCOMPARE(std::set<std::string>(drawn.begin(), drawn.end()).size(), drawn.size());
    QCOMPARE(textsOf(second.complete(unseeded)), drawn);
    std::vector<std::string> oneByOne;
    backend::LocalLlmBackend third(checkpoint_.string());
    for (const ChatRequest& r : unseeded) oneByOne.push_back(third.completeOne(r));
    QCOMPARE(oneByOne, drawn);
    QVERIFY(textsOf(first.complete({unseeded.front()})).front() != drawn.front()); // asked a fourth time
  }

  // (c) max tokens ends a reply with "length" after exactly that many tokens; a stop string
  // cuts the text where it first appears.
  void maxTokensAndStopStringsEndReplies() {
    int lengths = 0;
    for (long long seed = 1; seed <= 10; ++seed) {
      const ChatResult r = backend_->complete({request("Count to ten", seed, 6)}).front();
      QVERIFY2(r.ok(), r.error.c_str());
      if (r.finishReason == "length") {
        QCOMPARE(r.completionTokens, 6);
        ++lengths;
      } else {
        QCOMPARE(r.finishReason, std::string("stop")); // drew the end of turn first
        QVERIFY(r.completionTokens <= 6);
      }
    }
    QVERIFY(lengths >= 5);

    const ChatResult whole = backend_->complete({request("Tell me more", 9, 40)}).front();
    QVERIFY2(whole.text.size() >= 12, whole.text.c_str());
    const std::string stop = whole.text.substr(whole.text.size() / 2, 3);
    ChatRequest cut = request("Tell me more", 9, 40);
    cut.params.stop = {stop};
    const ChatResult r = backend_->complete({cut}).front();
    QCOMPARE(r.text, whole.text.substr(0, whole.text.find(stop)));
    QCOMPARE(r.finishReason, std::string("stop"));
    QVERIFY(r.completionTokens < whole.completionTokens);
  }

  // (d) A prompt longer than the context fails its own result only, naming the request; one
  // that nearly fills it gets the room that is left.
  void aPromptTooLongFailsOnlyItsOwnResult() {
    std::string longText;
    for (int i = 0; i < 200; ++i) longText += "many words ";
    const std::vector<ChatRequest> batch = {request("Hi", 1), request(longText, 2), request("ok", 3)};
    const std::vector<ChatResult> results = backend_->complete(batch);
    QVERIFY(results[0].ok() && results[2].ok());
    QVERIFY(!results[1].ok());
    QVERIFY2(results[1].error.find(backend_->describe() + ": request 1: the prompt is ") == 0, results[1].error.c_str());
    QVERIFY2(results[1].error.find("reads 256 at most (max_position_embeddings of config.json)") != std::string::npos,
             results[1].error.c_str());
    QCOMPARE(results[0].text, backend_->completeOne(batch[0]));
    QCOMPARE(results[2].text, backend_->completeOne(batch[2]));

    std::string nearlyFull;
    while (backend_->promptIds(request(nearlyFull + "x ", 1)).size() <= 250) nearlyFull += "x ";
    int filled = 0;
    for (long long seed = 1; seed <= 5; ++seed) {
      const ChatResult r = backend_->complete({request(nearlyFull, seed, 100)}).front();
      QVERIFY2(r.ok(), r.error.c_str());
      const int room = 256 - r.promptTokens;
      QVERIFY(room >= 1 && room <= 10);
      QVERIFY(r.completionTokens <= room);
      if (r.finishReason == "length") {
        QCOMPARE(r.completionTokens, room);
        ++filled;
      }
    }
    QVERIFY(filled > 0);
  }

  // (d) Folders that are not chat checkpoints fail at construction, naming the file.
  void whatIsNotAChatCheckpointFailsAtConstruction() {
    QVERIFY(constructionError(scratch("nowhere")).find("nowhere: not a directory") != std::string::npos);
    fs::create_directories(scratch("empty"));
    QVERIFY(constructionError(scratch("empty")).find("empty/tokenizer_config.json: cannot open the file") != std::string::npos);
    const std::string noTemplate = constructionError(test::tinyLlamaFixture());
    QVERIFY2(noTemplate.find("tiny-llama/tokenizer_config.json: field 'chat_template': missing") != std::string::npos,
             noTemplate.c_str());
    const std::string unknown = constructionError(test::copyTinyLlama(scratch("unknown"), {{"chat_template", "{{ messages }}"}}));
    QVERIFY2(unknown.find("unknown/tokenizer_config.json: field 'chat_template': not a template we support") != std::string::npos,
             unknown.c_str());
    const fs::path noWeights = test::copyTinyLlama(scratch("no-weights"));
    fs::remove(noWeights / "model.safetensors");
    const std::string weights = constructionError(noWeights);
    QVERIFY2(weights.find("no-weights") != std::string::npos && weights.find("safetensors") != std::string::npos, weights.c_str());
  }

  // (e) The reference user simulator played by the random model gets no JSON reply; after
  // its three attempts (each a new draw) it fails naming itself and the backend.
  void anLlmUserSimulatorFailsAfterItsRetries() {
    const fs::path longContext = test::copyTinyLlama(scratch("long-context"));
    test::setContextLength(longContext, 8192); // the simulator's prompt is longer than 256 tokens
    backend::LocalLlmBackend local(longContext.string());
    RecordingBackend recording(local);
    simulate::LlmSimulatorSettings settings;
    settings.maxTokens = 24;
    simulate::LlmUserSimulator user(recording, persona::referencePersona(), settings);
    const task::TaskRegistry tasks;
    const task::TaskInstance task = tasks.tasks("math", 1, 1, "test").front();
    const conversation::Messages conversation = {{Role::User, task.firstUserMessage}, {Role::Assistant, "What have you tried?"}};
    try {
      user.reply(task, conversation);
      QFAIL("the simulator invented a reply");
    } catch (const backend::InvalidReplyError& e) {
      const std::string message = e.what();
      QVERIFY2(message.find("(" + local.describe() + "): no valid reply in 3 attempts") != std::string::npos, e.what());
    }
    QCOMPARE(recording.replies.size(), std::size_t(3));
    for (const std::string& reply : recording.replies) QVERIFY2(reply.rfind("error: ", 0) != 0, reply.c_str());
    QCOMPARE(std::set<std::string>(recording.replies.begin(), recording.replies.end()).size(), std::size_t(3));
  }
};

QTEST_GUILESS_MAIN(LocalLlmBackendTest)
#include "tst_local_llm_backend.moc"
