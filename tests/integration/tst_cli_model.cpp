// `collab generate` and `collab logprobs` run as subprocesses on tests/data/models/tiny-llama
// and compared with the core they are built on: a seed repeats its text and another seed
// does not, --max-new-tokens bounds the reply, greedy decoding is the argmax chain of full
// forward passes, streaming prints exactly the final text, stop strings cut it, the chat
// template builds the prompt of --messages, logprobs equal nextTokenLogProbabilities, and
// bad input exits 3 naming the file. Includes LibTorch, so Qt keywords are off (Q_SLOTS).

#include "TestHelpers.h"
#include "TinyChatModel.h"
#include "model/ChatFormat.h"
#include "model/Checkpoint.h"
#include "model/Logprobs.h"
#include "model/Tokenizer.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

using namespace collab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kTinyLlama = fs::path(COLLAB_TEST_DATA_DIR) / "models/tiny-llama";
const QString kModel = QString::fromStdString(kTinyLlama.string());
constexpr std::int64_t kEos = 382; // tiny-llama's <|end_of_text|>

struct Result {
  int exitCode = -1;
  std::string out, err;
};

Result runCollab(const QStringList& arguments) {
  QProcess process;
  process.start(COLLAB_CLI_BIN, arguments);
  if (!process.waitForFinished(120000)) qFatal("collab did not finish: %s", qPrintable(arguments.join(' ')));
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          process.readAllStandardOutput().toStdString(), process.readAllStandardError().toStdString()};
}

std::vector<json> jsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(json::parse(line));
  return lines;
}

json generateJson(QStringList arguments) {
  arguments = QStringList{"generate", "--model", kModel, "--json"} + arguments;
  const Result r = runCollab(arguments);
  if (r.exitCode != 0) qFatal("collab %s: exit %d: %s", qPrintable(arguments.join(' ')), r.exitCode, r.err.c_str());
  const std::vector<json> lines = jsonLines(r.out);
  if (lines.size() != 1) qFatal("expected one JSON line, got: %s", r.out.c_str());
  return lines.front();
}

const model::Tokenizer& tokenizer() {
  static const model::Tokenizer t = model::Tokenizer::fromFile(kTinyLlama / "tokenizer.json");
  return t;
}

std::vector<std::int64_t> idsOf(const std::vector<std::uint32_t>& ids) { return {ids.begin(), ids.end()}; }

// Greedy decoding done the slow way: a full forward pass per token, no KV cache.
std::vector<std::int64_t> argmaxChain(std::vector<std::int64_t> ids, int steps) {
  model::CausalLm lm = model::loadCausalLm(kTinyLlama.string());
  std::vector<std::int64_t> out;
  for (int i = 0; i < steps && (out.empty() || out.back() != kEos); ++i) {
    const std::int64_t next = model::nextTokenLogProbabilities(*lm, ids)[-1].argmax().item<std::int64_t>();
    out.push_back(next);
    ids.push_back(next);
  }
  return out;
}

std::string decode(const std::vector<std::int64_t>& ids) { return tokenizer().decode({ids.begin(), ids.end()}); }

// A copy of tiny-llama whose tokenizer_config.json has `changes` applied.
fs::path tinyLlamaWith(const QTemporaryDir& dir, const json& changes) {
  return test::copyTinyLlama(fs::path(dir.path().toStdString()) / "model", changes);
}

QString q(const fs::path& path) { return QString::fromStdString(path.string()); }

} // namespace

class CliModelTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  QString file(const char* name, const std::string& content) { return q(test::writeFile(dir_, name, content)); }

private Q_SLOTS:
  void aSeedRepeatsItsTextAndAnotherSeedDoesNot() {
    const QStringList args = {"--prompt", "The cat", "--max-new-tokens", "24", "--temperature", "1"};
    const json first = generateJson(args + QStringList{"--seed", "7"});
    const json again = generateJson(args + QStringList{"--seed", "7"});
    const json other = generateJson(args + QStringList{"--seed", "8"});
    QVERIFY(again["tokens"] == first["tokens"]);
    QVERIFY(again["text"] == first["text"]);
    QVERIFY(other["tokens"] != first["tokens"]);
    QCOMPARE(first["seed"].get<std::uint64_t>(), std::uint64_t(7));
  }

  void maxNewTokensBoundsTheReplyAndTheJsonHasEveryField() {
    const std::string prompt = "Once upon a time";
    for (int limit : {1, 5, 17}) {
      const json r = generateJson({"--prompt", QString::fromStdString(prompt), "--seed", "1", "--max-new-tokens", QString::number(limit)});
      for (const char* field : {"sequence", "text", "tokens", "finish_reason", "prompt_tokens", "new_tokens", "seconds", "seed"})
        QVERIFY2(r.contains(field), field);
      const auto tokens = r["tokens"].get<std::vector<std::int64_t>>();
      QVERIFY(!tokens.empty() && static_cast<int>(tokens.size()) <= limit);
      QCOMPARE(r["new_tokens"].get<std::size_t>(), tokens.size());
      QCOMPARE(r["prompt_tokens"].get<std::size_t>(), tokenizer().encodeIds(prompt).size());
      QVERIFY(r["seconds"].get<double>() >= 0.0);
      const bool stopped = tokens.back() == kEos;
      QCOMPARE(r["finish_reason"].get<std::string>(), std::string(stopped ? "stop_token" : "length"));
      if (!stopped) QCOMPARE(static_cast<int>(tokens.size()), limit);
      const std::vector<std::int64_t> reply(tokens.begin(), tokens.end() - (stopped ? 1 : 0));
      QCOMPARE(r["text"].get<std::string>(), decode(reply));
    }
  }

  // Sequence i of a batch draws with seed+i: the same tokens as a run of its own.
  void severalSequencesAreSeparateSeeds() {
    const Result r = runCollab({"generate", "--model", kModel, "--prompt", "Hello", "--seed", "20", "--max-new-tokens", "10",
                                "--num-return-sequences", "3", "--json"});
    QCOMPARE(r.exitCode, 0);
    const std::vector<json> lines = jsonLines(r.out);
    QCOMPARE(lines.size(), std::size_t(3));
    const json alone = generateJson({"--prompt", "Hello", "--seed", "21", "--max-new-tokens", "10"});
    QCOMPARE(lines[1]["seed"].get<std::uint64_t>(), std::uint64_t(21));
    QVERIFY(lines[1]["tokens"] == alone["tokens"]);
  }

  void greedyIsTheArgmaxChainOfFullForwardPasses() {
    const std::string prompt = "The quick brown fox";
    const json r = generateJson({"--prompt", QString::fromStdString(prompt), "--temperature", "0", "--max-new-tokens", "16"});
    QCOMPARE(r["tokens"].get<std::vector<std::int64_t>>(), argmaxChain(idsOf(tokenizer().encodeIds(prompt)), 16));
  }

  void streamingPrintsExactlyTheFinalText() {
    const QStringList args = {"generate", "--model", kModel, "--prompt", "A", "--seed", "3", "--max-new-tokens", "40"};
    const json final = generateJson(args.mid(3));
    const Result streamed = runCollab(args + QStringList{"--stream"});
    QCOMPARE(streamed.exitCode, 0);
    QCOMPARE(streamed.out, final["text"].get<std::string>() + "\n");

    const Result deltas = runCollab(args + QStringList{"--stream", "--json"});
    std::string joined;
    const std::vector<json> lines = jsonLines(deltas.out);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) joined += lines[i]["delta"].get<std::string>();
    QVERIFY(lines.size() >= 2);
    QCOMPARE(joined, final["text"].get<std::string>());
    QVERIFY(lines.back()["tokens"] == final["tokens"]);
  }

  void aStopStringCutsTheText() {
    const QStringList greedy = {"--prompt", "The quick brown fox", "--temperature", "0", "--max-new-tokens", "30"};
    const std::string full = generateJson(greedy)["text"].get<std::string>();
    std::size_t at = 4;
    while (at + 2 <= full.size() && (static_cast<unsigned char>(full[at]) >= 0x80 || static_cast<unsigned char>(full[at + 1]) >= 0x80)) ++at;
    QVERIFY2(at + 2 <= full.size(), full.c_str()); // the greedy reply has two ASCII characters in a row
    const std::string stop = full.substr(at, 2);
    const json r = generateJson(greedy + QStringList{"--stop", QString::fromStdString(stop)});
    QCOMPARE(r["finish_reason"].get<std::string>(), std::string("stop_string"));
    QCOMPARE(r["text"].get<std::string>(), full.substr(0, full.find(stop)));
  }

  void messagesGoThroughTheChatTemplate() {
    QTemporaryDir dir;
    const fs::path copy = tinyLlamaWith(dir, {{"chat_template", test::kLlama3ChatTemplate}});
    const std::vector<model::ChatMessage> chat = {{"system", "Be brief."}, {"user", "Hi there"}};
    model::ChatOptions options;
    options.addGenerationPrompt = true;
    const std::vector<std::int64_t> prompt =
        idsOf(model::ChatFormat::fromModelDirectory(copy).encode(tokenizer(), chat, options).ids);
    const std::vector<std::int64_t> expected = argmaxChain(prompt, 12);

    const std::string list = "[{\"role\": \"system\", \"content\": \"Be brief.\"},\n {\"role\": \"user\", \"content\": \"Hi there\"}]\n";
    const std::string row = "{\"messages\": " + json::parse(list).dump() + "}\n";
    for (const QString& messages : {file("list.json", list), file("row.jsonl", row)}) {
      const Result r = runCollab({"generate", "--model", q(copy), "--messages", messages, "--temperature", "0",
                                  "--max-new-tokens", "12", "--json"});
      QVERIFY2(r.exitCode == 0, r.err.c_str());
      const json out = json::parse(r.out);
      QCOMPARE(out["prompt_tokens"].get<std::size_t>(), prompt.size());
      QCOMPARE(out["tokens"].get<std::vector<std::int64_t>>(), expected);
    }
  }

  void logprobsEqualTheCore() {
    const std::string text = "The quick brown fox jumps";
    const Result r = runCollab({"logprobs", "--model", kModel, "--text", QString::fromStdString(text), "--top", "3", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.c_str());
    const json out = json::parse(r.out);
    const std::vector<std::int64_t> ids = idsOf(tokenizer().encodeIds(text));
    QCOMPARE(out["ids"].get<std::vector<std::int64_t>>(), ids);

    model::CausalLm lm = model::loadCausalLm(kTinyLlama.string());
    const at::Tensor expected = model::nextTokenLogProbabilities(*lm, ids);
    QVERIFY(out["logprobs"][0].is_null() && out["ranks"][0].is_null() && out["top"][0].is_null());
    double sum = 0.0;
    for (std::size_t i = 1; i < ids.size(); ++i) {
      const at::Tensor row = expected[static_cast<std::int64_t>(i) - 1];
      const double logprob = row[ids[i]].item<double>();
      sum += logprob;
      QVERIFY(std::abs(out["logprobs"][i].get<double>() - logprob) < 1e-6);
      QCOMPARE(out["ranks"][i].get<std::int64_t>(), 1 + row.gt(row[ids[i]]).sum().item<std::int64_t>());
      QCOMPARE(out["tokens"][i].get<std::string>(), tokenizer().decode({static_cast<std::uint32_t>(ids[i])}));
      const auto top = std::get<1>(row.topk(3));
      QCOMPARE(out["top"][i].size(), std::size_t(3));
      for (std::int64_t k = 0; k < 3; ++k) {
        QCOMPARE(out["top"][i][static_cast<std::size_t>(k)]["id"].get<std::int64_t>(), top[k].item<std::int64_t>());
        QVERIFY(std::abs(out["top"][i][static_cast<std::size_t>(k)]["logprob"].get<double>() - row[top[k]].item<double>()) < 1e-6);
      }
    }
    QVERIFY(std::abs(out["sum_logprob"].get<double>() - sum) < 1e-5);

    const Result table = runCollab({"logprobs", "--model", kModel, "--text", QString::fromStdString(text)});
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.find("rank ") != std::string::npos, table.out.c_str());
  }

  void badInputExitsWithThreeNamingTheFile() {
    QTemporaryDir dir;
    const fs::path broken = fs::path(dir.path().toStdString()) / "broken";
    fs::create_directories(broken);
    for (const char* name : {"tokenizer.json", "model.safetensors"}) fs::copy_file(kTinyLlama / name, broken / name);
    std::ofstream(broken / "config.json") << "{\"model_type\": \"llama\"";

    const std::string missingRole = "[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"robot\", \"content\": \"x\"}]";
    const QString badJson = file("bad.json", "[{\"role\": \"user\",\n \"content\": }]");
    const QString badRole = file("role.json", missingRole);
    const QString fine = file("fine.json", "[{\"role\": \"user\", \"content\": \"hi\"}]");
    // Mistral's template refuses a system message: the messages file is what is wrong.
    const json mistral = json::parse(test::readFile(fs::path(COLLAB_TEST_DATA_DIR) / "tokenizers/mistral_instruct/tokenizer_config.json"));
    const fs::path mistralCopy = tinyLlamaWith(dir, {{"chat_template", mistral["chat_template"]}});
    const QString system = file("system.json", "[{\"role\": \"system\", \"content\": \"s\"}, {\"role\": \"user\", \"content\": \"hi\"}]");
    const struct {
      QStringList arguments;
      std::string message;
    } cases[] = {
        {{"generate", "--model", "/no/such/model", "--prompt", "x"}, "/no/such/model: not a directory"},
        {{"generate", "--model", q(broken), "--prompt", "x"}, (broken / "config.json").string() + ":"},
        {{"logprobs", "--model", q(broken), "--text", "x"}, (broken / "config.json").string() + ":"},
        {{"generate", "--model", kModel, "--messages", q(test::pathIn(dir_, "nope.json"))}, "nope.json: cannot open"},
        {{"generate", "--model", kModel, "--messages", badJson}, badJson.toStdString() + ":2: expected one JSON value"},
        {{"generate", "--model", kModel, "--messages", badRole}, badRole.toStdString() + ": field `messages[1].role`"},
        {{"generate", "--model", kModel, "--messages", fine}, (kTinyLlama / "tokenizer_config.json").string() + ": field 'chat_template'"},
        {{"generate", "--model", q(mistralCopy), "--messages", system}, system.toStdString() + ": chat: Conversation roles must alternate"},
    };
    for (const auto& c : cases) {
      const Result r = runCollab(c.arguments);
      QVERIFY2(r.exitCode == 3, qPrintable(c.arguments.join(' ') + ": exit " + QString::number(r.exitCode)));
      QVERIFY2(r.err.find(c.message) != std::string::npos, (c.message + " not in: " + r.err).c_str());
    }
  }

  void wrongCommandLinesExitWithTwo() {
    const QString list = file("one.json", "[{\"role\": \"user\", \"content\": \"hi\"}]");
    for (const QStringList& arguments : {QStringList{"generate", "--model", kModel},
                                         QStringList{"generate", "--model", kModel, "--prompt", "x", "--messages", list},
                                         QStringList{"generate", "--model", kModel, "--prompt", "x", "--stream", "--num-return-sequences", "2"},
                                         QStringList{"generate", "--model", kModel, "--prompt", "x", "--temperature", "-1"},
                                         QStringList{"generate", "--model", kModel, "--prompt", "x", "--dtype", "float8"},
                                         QStringList{"logprobs", "--model", kModel}})
      QVERIFY2(runCollab(arguments).exitCode == 2, qPrintable(arguments.join(' ')));
  }
};

QTEST_GUILESS_MAIN(CliModelTest)
#include "tst_cli_model.moc"
