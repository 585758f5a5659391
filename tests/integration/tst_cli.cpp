#include "CollabCli.h"
#include "LoopbackHttpServer.h"
#include "TestHelpers.h"
#include "annotation/AnnotatorSession.h"
#include "annotation/AnnotationValue.h"
#include "io/Importer.h"
#include "store/Migrations.h"
#include "store/Project.h"

#include <nlohmann/json.hpp>

#include <SQLiteCpp/Database.h>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <atomic>
#include <csignal>

using collab::test::pathIn;
using collab::test::writeFile;

namespace {

using Result = collab::test::CliResult;
using collab::test::runCollab;

QString demoRows() { return QStringLiteral(COLLAB_SOURCE_DIR "/resources/demo/demo-collabllm.jsonl"); }

} // namespace

class TestCli : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  QString path(const char* name) const { return QString::fromStdString(pathIn(dir_, name).string()); }

private slots:
  void versionAndHelp() {
    Result r = runCollab({"--version"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.trimmed(), QString("collab " COLLAB_VERSION));
    r = runCollab({"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("Exit codes"));
    QStringList commands = {"init", "import", "export", "info", "show", "score", "simulate", "tokenize"};
    if (COLLAB_WITH_LIBTORCH) commands << "train" << "eval" << "generate" << "logprobs" << "chat" << "play";
    for (const QString& command : commands) {
      r = runCollab({command, "--help"});
      QCOMPARE(r.exitCode, 0);
      QVERIFY2(r.out.contains("Usage") || r.out.contains("USAGE"), qPrintable(r.out));
    }
  }

  void usageErrorsExitWithTwo() {
    QCOMPARE(runCollab({}).exitCode, 2);
    QCOMPARE(runCollab({"frobnicate"}).exitCode, 2);
    QCOMPARE(runCollab({"import", path("x.collab"), demoRows(), "--format", "yaml"}).exitCode, 2);
  }

  void initImportInfoShowExport() {
    const QString project = path("demo.collab");
    Result r = runCollab({"init", project, "--name", "Demo"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(runCollab({"init", project}).exitCode, 4); // exists already

    r = runCollab({"import", project, demoRows(), "--format", "collabllm"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("imported 18 rows"), qPrintable(r.out));
    QVERIFY(r.err.isEmpty()); // no progress bar when stderr is not a terminal

    r = runCollab({"info", project, "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject info = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(info["name"].toString(), QString("Demo"));
    QCOMPARE(info["trees"].toInt(), 5);
    QCOMPARE(info["schema_version"].toInt(), collab::store::latestSchemaVersion());
    QVERIFY(info["nodes"].toInt() > 50);
    QVERIFY(info["scores"].toInt() > 0);
    r = runCollab({"info", project});
    QVERIFY(r.out.contains("trees           5"));

    r = runCollab({"show", project, "2"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("tree 2 "), qPrintable(r.out));
    QVERIFY(r.out.contains("* ["));        // best path marked
    QVERIFY(r.out.contains("├─ "));        // branches drawn
    QVERIFY(r.out.contains("~ sample 0")); // sampled futures collapsed
    QVERIFY(r.out.contains("MR "));
    QCOMPARE(runCollab({"show", project, "999"}).exitCode, 1);
    r = runCollab({"show", project, "--list", "3"});
    QCOMPARE(r.out.trimmed().split('\n').size(), 3);

    const QString pairs = path("pairs.jsonl");
    r = runCollab({"export", project, "--format", "dpo", "--min-gap", "0.05", "-o", pairs});
    QCOMPARE(r.exitCode, 0);
    QFile file(pairs);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto lines = file.readAll().trimmed().split('\n');
    QVERIFY(lines.size() >= 5);
    const QJsonObject first = QJsonDocument::fromJson(lines.front()).object();
    QVERIFY(first.contains("prompt") && first.contains("chosen") && first.contains("rejected"));
    QVERIFY(first["score_chosen"].toDouble() - first["score_rejected"].toDouble() >= 0.05);
    QVERIFY(!QFile::exists(pairs + ".partial"));

    r = runCollab({"export", project, "--format", "sft"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.trimmed().split('\n').size(), 5);
  }

  // On a terminal a long import draws a progress bar; `script` gives the child a pty.
  void progressBarOnATerminal() {
    if (QStandardPaths::findExecutable("script").isEmpty()) QSKIP("util-linux `script` is not installed");
    const QString project = path("tty.collab");
    const QString command = QString("%1 import %2 %3 -f collabllm --create").arg(COLLAB_CLI_BIN, project, demoRows());
    QProcess process;
    process.start("script", {"-qec", command, "/dev/null"});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    const QString terminal = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(terminal.contains("importing [") && terminal.contains("100%"), qPrintable(terminal));
  }

  void badInputExitsWithThreeAndNamesTheLine() {
    const QString project = path("bad.collab");
    QCOMPARE(runCollab({"init", project}).exitCode, 0);
    const auto rows = writeFile(dir_, "bad.jsonl",
                                "{\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}]}\n"
                                "{\"messages\":[{\"role\":\"user\"}]}\n");
    const QString file = QString::fromStdString(rows.string());
    Result r = runCollab({"import", project, file, "-f", "trl-sft"});
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.err.trimmed(), "collab: " + file + ":2: field `messages[0].content`: expected it to be present, found it missing");
    QVERIFY(runCollab({"info", project}).out.contains("trees           0")); // nothing imported

    r = runCollab({"import", project, file, "-f", "trl-sft", "--skip-invalid"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.contains("rejected " + file + ":2:"));
    QVERIFY(r.out.contains("(1 rows rejected)"));

    QCOMPARE(runCollab({"import", project, path("missing.jsonl"), "-f", "trl-sft"}).exitCode, 3);
  }

  // Conversation trees built on the built-in tasks: candidates, sampled futures and MR
  // scores stored with their config, the persona saved as a version.
  void simulateBuildsScoredTrees() {
    const QString project = path("sim.collab");
    Result r = runCollab({"simulate", project, "--family", "math", "--tasks", "4", "--split", "test", "--persona",
                          COLLAB_SOURCE_DIR "/resources/personas/generic-user.json"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("simulated 4 conversations (math, persona generic-user@v1, w=2, S=3): mean accuracy 1.000"),
             qPrintable(r.out));
    const QJsonObject info = QJsonDocument::fromJson(runCollab({"info", project, "--json"}).out.toUtf8()).object();
    QCOMPARE(info["trees"].toInt(), 4);
    QCOMPARE(info["personas"].toInt(), 1);
    QVERIFY(info["scores"].toInt() > 4 * 3 * 4);
    r = runCollab({"show", project, "1"});
    QVERIFY(r.out.contains("MR ") && r.out.contains("~ sample 2"));
    // Every candidate carries MR and its parts, one value per sampled future.
    r = runCollab({"export", project, "--format", "collabllm"});
    const QJsonObject row = QJsonDocument::fromJson(r.out.split('\n').front().toUtf8()).object();
    for (const char* kind : {"MR", "task", "efficiency", "interactivity"})
      QCOMPARE(row["rewards"].toObject()[kind].toArray().size(), 3);
    QCOMPARE(row["sessions"].toArray().size(), 3);
    // The best path asks before it answers.
    r = runCollab({"export", project, "--format", "sft"});
    const QJsonObject first = QJsonDocument::fromJson(r.out.split('\n').front().toUtf8()).object();
    QVERIFY(first["messages"].toArray()[1].toObject()["content"].toString().contains("?"));
    QCOMPARE(runCollab({"simulate", project, "--family", "poetry"}).exitCode, 2);
  }

  // Annotations made by two people (through the core, as the GUI makes them), then the
  // annotations subcommands and the export of their preferences.
  void annotationsAgreementMergeSchemaAndHumanPairs() {
    const QString project = path("annotated.collab");
    const QString copy = path("annotated-copy.collab");
    const std::string rows =
        "{\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],\"completion\":\"a\",\"conv_id\":\"c\",\"score\":0.9}\n"
        "{\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],\"completion\":\"b\",\"conv_id\":\"c\",\"score\":0.1}\n";
    {
      auto p = collab::store::Project::create(project.toStdString());
      std::istringstream in(rows);
      collab::io::importJsonl(p, in, "rows.jsonl", {});
      // Nodes: 1 q, 2 a, 3 b. alice and bob disagree on a, agree on b; alice prefers b.
      collab::annotation::AnnotatorSession alice(p, "alice"), bob(p, "bob");
      alice.set(collab::annotation::AnnotationItem::turn(1, 2), "helpful", "yes");
      bob.set(collab::annotation::AnnotationItem::turn(1, 2), "helpful", "no");
      alice.set(collab::annotation::AnnotationItem::turn(1, 3), "helpful", "no");
      bob.set(collab::annotation::AnnotationItem::turn(1, 3), "helpful", "no");
      alice.set(collab::annotation::AnnotationItem::turn(1, 1), "compare",
                collab::annotation::withVerdict({}, 3, 2, "a"));
      p.database().exec("VACUUM INTO '" + copy.toStdString() + "'");
      collab::annotation::AnnotatorSession(p, "alice").clear(collab::annotation::AnnotationItem::turn(1, 3), "helpful");
    }
    Result r = runCollab({"annotations", "agreement", project, "--json"});
    QCOMPARE(r.exitCode, 0);
    QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(report["annotators"].toArray().size(), 2);
    QCOMPARE(report["disagreements"].toArray().size(), 1);

    r = runCollab({"annotations", "merge", project, copy});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(copy + ": 1 added, 0 notes added, 4 duplicates, 0 conflicts, 0 mismatched items"), qPrintable(r.out));
    r = runCollab({"annotations", "agreement", project});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("annotators: alice, bob"), qPrintable(r.out));
    QVERIFY2(r.out.contains("1 disagreement(s)"), qPrintable(r.out));

    r = runCollab({"annotations", "schema", project});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("\"format\": \"collab-label-schema/1\""));
    const auto bad = writeFile(dir_, "schema.json", "{\"labels\": [{\"name\": \"x\", \"kind\": \"likert\", \"level\": \"turn\"}]}");
    r = runCollab({"annotations", "schema", project, "--set", QString::fromStdString(bad.string())});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("schema.json: field `labels[0].kind`: expected one of label,"), qPrintable(r.err));

    // The human pair (b over a) next to the MR pair (a over b).
    r = runCollab({"export", project, "--format", "dpo", "--human-preferences"});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject human = QJsonDocument::fromJson(lines[1].toUtf8()).object();
    QCOMPARE(human["chosen"].toArray()[0].toObject()["content"].toString(), QString("b"));
    QCOMPARE(human["annotator"].toString(), QString("alice"));
    QCOMPARE(runCollab({"annotations", "merge", project, path("missing.collab")}).exitCode, 4);
  }

  // MR for the candidates of a tree, with a preset, stored with its config; a second run
  // with the same config has nothing to do.
  void scoreRescoresCandidatesWithAPreset() {
    const QString project = path("score.collab");
    QCOMPARE(runCollab({"simulate", project, "--family", "math", "--tasks", "1", "--split", "test"}).exitCode, 0);
    Result r = runCollab({"score", project, "--tree", "1", "--preset", "library", "--samples", "2"});
    QCOMPARE(r.exitCode, 0);
    const QRegularExpressionMatch scored = QRegularExpression("scored (\\d+) candidates in 1 trees \\(preset library\\)").match(r.out);
    QVERIFY2(scored.hasMatch() && scored.captured(1).toInt() > 0, qPrintable(r.out));
    QVERIFY(r.out.contains("\"token_scope\":\"session\""));
    {
      collab::store::Project opened = collab::store::Project::open(project.toStdString());
      int library = 0;
      for (const auto& score : opened.scores().forTree(1))
        if (score.kind == "MR" && score.configJson.find("\"preset\":\"library\"") != std::string::npos) {
          ++library;
          QCOMPARE(score.samples.size(), std::size_t(2));
          QVERIFY(!score.configHash.empty());
        }
      QCOMPARE(library, scored.captured(1).toInt());
    }
    r = runCollab({"score", project, "--tree", "1", "--preset", "library", "--samples", "2"});
    QVERIFY2(r.out.startsWith("scored 0 candidates") && r.out.contains(scored.captured(1) + " already scored with this config"),
             qPrintable(r.out));
    r = runCollab({"score", project, "--node", "1"}); // the user's opening message
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("node 1 is not an assistant turn"), qPrintable(r.err));
    QCOMPARE(runCollab({"score", project, "--preset", "v3"}).exitCode, 2);
    QCOMPARE(runCollab({"score", project, "--weights", "task=x"}).exitCode, 2);
  }

  // Trees imported from CollabLLM rows are scored over their single-turn task, by the
  // collabllm-tasks family their data shows: a math row (#### answer), a code row (unit
  // tests in its metadata), a document. The futures' scripted assistant writes each row's
  // reference, which its own metric must score 1.
  void scoreImportedCollabllmTrees() {
    const QString project = path("imported.collab");
    std::string rows;
    for (const char* family : {"math", "code", "documents"}) {
      std::ifstream in(std::string(COLLAB_TEST_DATA_DIR "/collabllm-rows/") + family + ".jsonl");
      std::string line;
      std::getline(in, line);
      nlohmann::json row = nlohmann::json::parse(line);
      row["conv_id"] = std::string("imported-") + family;
      row["turn_id"] = 1;
      row["prompt"] = nlohmann::json::array({{{"role", "user"}, {"content", "Can you help me with something?"}}});
      row["completion"] = "Of course. What do you need?";
      rows += row.dump() + "\n";
    }
    rows += R"({"prompt":[{"role":"user","content":"hi"}],"completion":"hello","conv_id":"no-task","turn_id":1})" "\n";
    const auto file = writeFile(dir_, "imported-rows.jsonl", rows);
    QCOMPARE(runCollab({"import", project, QString::fromStdString(file.string()), "--format", "collabllm", "--create"}).exitCode, 0);

    Result r = runCollab({"score", project, "--samples", "2", "--window", "1"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("scored 3 candidates in 4 trees") && r.out.contains("1 trees skipped: no task to simulate"),
             qPrintable(r.out));
    for (const char* family : {"collabllm-math", "collabllm-code", "collabllm-documents"})
      QVERIFY2(r.out.contains(QString("1 imported CollabLLM trees scored as %1 (read from their data").arg(family)),
               qPrintable(r.out));
    {
      collab::store::Project opened = collab::store::Project::open(project.toStdString());
      for (std::int64_t tree = 1; tree <= 3; ++tree) {
        int parts = 0;
        for (const auto& score : opened.scores().forTree(tree)) {
          if (score.configHash.empty() || score.kind != "task") continue;
          ++parts;
          QCOMPARE(score.value, 1.0);
          QCOMPARE(score.samples, (std::vector<double>{1.0, 1.0}));
        }
        QCOMPARE(parts, 1);
      }
    }
    // Asked to score the math row as code: its metadata has no unit tests, and the error says so.
    r = runCollab({"score", project, "--tree", "1", "--imported-family", "collabllm-code", "--force"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("tree 1") && r.err.contains("single_turn_metadata.test"), qPrintable(r.err));
    r = runCollab({"score", project, "--imported-family", "no-such-family"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("no task plugin on the plugin path provides a family `no-such-family`"), qPrintable(r.err));
    r = runCollab({"score", project, "--tree", "4"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("tree 4: it has no task"), qPrintable(r.err));
  }

  // The reference's dataset building under its own name; a second run skips what is built.
  void buildDatasetSkipsWhatIsBuilt() {
    const QString project = path("dataset.collab");
    const QStringList command = {"build-dataset", project, "--family", "math", "--family", "code", "--tasks", "2",
                                 "--split", "test", "--candidates", "2", "--samples", "2"};
    Result r = runCollab(command);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("built 4 conversations (0 already there) with 1 personas, preset paper"), qPrintable(r.out));
    r = runCollab(command);
    QVERIFY2(r.out.startsWith("built 0 conversations (4 already there)"), qPrintable(r.out));
    r = runCollab(command + QStringList{"--persona", COLLAB_SOURCE_DIR "/resources/personas/impatient-expert.json"});
    QVERIFY2(r.out.startsWith("built 4 conversations (0 already there) with 1 personas"), qPrintable(r.out)); // another persona, other trees
    // Families from the collabllm-tasks plugin, found on the plugin path.
    r = runCollab({"build-dataset", project, "--family", "collabllm-math", "--tasks", "5", "--split", "all"});
    QVERIFY2(r.out.startsWith("built 3 conversations"), qPrintable(r.out + r.err));
    QCOMPARE(runCollab({"build-dataset", project, "--family", "poetry"}).exitCode, 2);
    r = runCollab({"build-dataset", project, "--family", "math", "--simulator", "http"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("--endpoint and --model are needed"));
  }

  // Ctrl-C in the middle of a conversation: the finished ones stay, the one in progress is
  // rolled back, and the same command finishes the job. The simulated user is an LLM on a
  // loopback server, reached with an API key that must not end up in the project.
  void anInterruptedBuildResumes() {
    collab::test::LoopbackHttpServer server;
    std::atomic<qint64> pid{0};
    std::atomic<int> interruptAt{8}; // requests 0-5 play the first conversation (3 candidates x 2 samples)
    server.setHandler([&](const collab::test::RecordedRequest&, int index) {
      const bool interrupt = index == interruptAt.load();
      if (interrupt) ::kill(static_cast<pid_t>(pid.load()), SIGINT);
      auto reply = collab::test::ScriptedReply::chat(
          nlohmann::json{{"thought", "done"}, {"response", "Thanks, that's all. [[TERMINATE CHAT]]"}}.dump());
      return std::move(reply).after(std::chrono::milliseconds(interrupt ? 300 : 0));
    });
    const QString project = path("interrupted.collab");
    const QStringList command = {"build-dataset", project, "--family", "math", "--tasks", "3", "--split", "test",
                                 "--samples", "2", "--simulator", "http", "--endpoint",
                                 QString::fromStdString(server.baseUrl()), "--model", "sim", "--api-key-env",
                                 "COLLAB_CLI_TEST_KEY"};
    auto run = [&] {
      QProcess process;
      QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
      environment.insert("COLLAB_CLI_TEST_KEY", "sk-cli-secret-123");
      process.setProcessEnvironment(environment);
      process.start(COLLAB_CLI_BIN, command);
      pid = process.processId();
      if (!process.waitForFinished(120000)) qFatal("collab build-dataset did not finish");
      return Result{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                    QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    };
    Result r = run();
    QCOMPARE(r.exitCode, 130);
    QVERIFY2(r.out.startsWith("interrupted: 1 conversations built in this run"), qPrintable(r.out + r.err));
    QCOMPARE(QJsonDocument::fromJson(runCollab({"info", project, "--json"}).out.toUtf8()).object()["trees"].toInt(), 1);

    interruptAt = -1;
    r = run();
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("built 2 conversations (1 already there)"), qPrintable(r.out + r.err));
    QCOMPARE(QJsonDocument::fromJson(runCollab({"info", project, "--json"}).out.toUtf8()).object()["trees"].toInt(), 3);
    QCOMPARE(QString::fromStdString(server.requests().front().headers.at("authorization")), QString("Bearer sk-cli-secret-123"));
    for (const char* suffix : {"", "-wal"}) {
      QFile file(project + suffix);
      if (file.open(QIODevice::ReadOnly)) QVERIFY(!file.readAll().contains("sk-cli-secret-123"));
    }
    // Who played the user is recorded with every score.
    collab::store::Project opened = collab::store::Project::open(project.toStdString());
    const auto scores = opened.scores().forTree(1);
    QVERIFY(!scores.empty());
    QVERIFY(scores.front().configJson.find("\"simulator\":\"llm:http:sim@" + server.baseUrl()) != std::string::npos);
  }

  // Every part played over HTTP: candidates sampled from the policy, the simulated user and
  // the judge; then the same candidates re-scored by the HTTP judge.
  void everyPartOverHttp() {
    collab::test::LoopbackHttpServer server;
    std::atomic<int> policyCalls{0};
    server.setHandler([&](const collab::test::RecordedRequest& request, int) {
      const auto body = nlohmann::json::parse(request.body);
      const std::string prompt = body["messages"].back()["content"];
      if (prompt.find("<|The Start of the Reference Answer|>") != std::string::npos)
        return collab::test::ScriptedReply::chat("{\"thought\": \"no number given\", \"accuracy\": 0}");
      if (prompt.find("evaluator") != std::string::npos)
        return collab::test::ScriptedReply::chat("{\"thought\": \"asks well\", \"interactivity\": 3}");
      if (prompt.find("You are playing a person") != std::string::npos)
        return collab::test::ScriptedReply::chat("{\"response\": \"Thanks! [[TERMINATE CHAT]]\"}");
      return collab::test::ScriptedReply::chat(policyCalls++ % 2 == 0 ? "What rate do you pay?" : "It is 42.");
    });
    const QString project = path("http.collab");
    const QStringList endpoint = {"--endpoint", QString::fromStdString(server.baseUrl()), "--model", "m"};
    Result r = runCollab(QStringList{"build-dataset", project, "--family", "math", "--tasks", "1", "--split", "test",
                                     "--samples", "2", "--candidates", "2", "--policy", "http", "--simulator", "http",
                                     "--judge", "http"} + endpoint);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("built 1 conversations"), qPrintable(r.out + r.err));
    collab::store::Project opened = collab::store::Project::open(project.toStdString());
    int candidates = 0;
    for (const auto& node : opened.nodes().ofTree(1))
      if (node.role == collab::conversation::Role::Assistant && node.kind == collab::conversation::NodeKind::Turn) {
        ++candidates;
        QCOMPARE(QString::fromStdString(node.author), "policy:http:m@" + QString::fromStdString(server.baseUrl()));
      }
    QCOMPARE(candidates, 2);
    for (const auto& score : opened.scores().forTree(1)) {
      if (score.kind == "interactivity") QCOMPARE(score.value, 1.0); // the judge's 3 of 3
      if (score.kind == "task") QCOMPARE(score.value, 0.0);          // the accuracy judge's 0
    }

    r = runCollab(QStringList{"score", project, "--judge", "http", "--window", "1"} + endpoint);
    QVERIFY2(r.out.startsWith("scored 2 candidates in 1 trees (preset paper)"), qPrintable(r.out + r.err));
    QVERIFY(r.out.contains("\"judge\":\"llm:http:m@"));
  }

  // With one policy playing every future (--policy http), collab score plays the turns of
  // several trees together; every candidate gets the MR that scoring its tree alone gives.
  void scoringTreesTogetherScoresAsTreeByTree() {
    collab::test::LoopbackHttpServer server;
    server.setHandler([](const collab::test::RecordedRequest& request, int) {
      const auto body = nlohmann::json::parse(request.body);
      const std::string last = body["messages"].back()["content"];
      // Depends on the conversation only: the same reply however requests are grouped.
      return collab::test::ScriptedReply::chat(last.size() % 2 == 0 ? "Which values should I use?" : "Here it is: 42.");
    });
    const QString together = path("together.collab"), alone = path("alone.collab");
    for (const QString& project : {together, alone})
      for (const char* family : {"math", "documents"})
        QCOMPARE(runCollab({"build-dataset", project, "--family", family, "--tasks", "2", "--split", "test", "--samples", "1",
                            "--window", "1", "--max-messages", "4"}).exitCode, 0);
    const QStringList score = {"--policy", "http", "--endpoint", QString::fromStdString(server.baseUrl()), "--model", "m",
                               "--samples", "2", "--window", "2", "--force"};
    Result r = runCollab(QStringList{"score", together} + score);
    QVERIFY2(r.exitCode == 0 && r.out.contains("in 4 trees"), qPrintable(r.out + r.err));
    for (const char* tree : {"1", "2", "3", "4"})
      QCOMPARE(runCollab(QStringList{"score", alone, "--tree", tree} + score).exitCode, 0);

    // The latest MR of every candidate (the score command's, after build-dataset's), by node.
    auto latestMr = [](const QString& file) {
      collab::store::Project project = collab::store::Project::open(file.toStdString());
      std::map<std::int64_t, std::pair<std::int64_t, double>> byNode; // node: (score id, value)
      for (std::int64_t tree = 1; tree <= 4; ++tree)
        for (const auto& s : project.scores().forTree(tree))
          if (s.kind == "MR" && s.nodeId && s.id > byNode[*s.nodeId].first)
            byNode[*s.nodeId] = {s.id, s.value};
      std::map<std::int64_t, double> values;
      for (const auto& [node, latest] : byNode) values[node] = latest.second;
      return values;
    };
    const auto scoredTogether = latestMr(together), scoredAlone = latestMr(alone);
    QVERIFY(scoredTogether.size() >= 8); // every tree's candidates
    QCOMPARE(scoredTogether, scoredAlone);
    std::set<double> distinct;
    for (const auto& [node, value] : scoredTogether) distinct.insert(value);
    QVERIFY2(distinct.size() > 1, "the candidates score differently: one tree's MR given to another would show");
  }

  void projectErrorsExitWithFour() {
    Result r = runCollab({"info", path("nowhere.collab")});
    QCOMPARE(r.exitCode, 4);
    QVERIFY(r.err.contains("no such project file"));
    const auto notProject = writeFile(dir_, "notes.collab", "just some text, not a database at all......");
    r = runCollab({"info", QString::fromStdString(notProject.string())});
    QCOMPARE(r.exitCode, 4);
    QVERIFY(r.err.contains("notes.collab"));
    QCOMPARE(runCollab({"import", path("new.collab"), demoRows(), "-f", "collabllm"}).exitCode, 4);
    QCOMPARE(runCollab({"import", path("new.collab"), demoRows(), "-f", "collabllm", "--create"}).exitCode, 0);
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
