#include "TestHelpers.h"
#include "annotation/AnnotatorSession.h"
#include "annotation/AnnotationValue.h"
#include "io/Importer.h"
#include "store/Migrations.h"

#include <SQLiteCpp/Database.h>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <sstream>

using collab::test::pathIn;
using collab::test::writeFile;

namespace {

struct Result {
  int exitCode = -1;
  QString out, err;
};

Result runCollab(const QStringList& arguments) {
  QProcess process;
  process.start(COLLAB_CLI_BIN, arguments);
  if (!process.waitForFinished(120000)) qFatal("collab did not finish: %s", qPrintable(arguments.join(' ')));
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

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
    for (const char* command : {"init", "import", "export", "info", "show", "generate", "logprobs"}) {
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
