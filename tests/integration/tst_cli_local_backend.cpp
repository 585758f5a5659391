// The parts of `collab build-dataset` and `collab score` played by a local checkpoint
// (--simulator/--judge/--policy local --local-model DIR), run as subprocesses on
// tests/data/models/tiny-llama with a chat template (random weights): the policy's turns
// are written with the checkpoint as their author, a local user simulator that gets no JSON
// fails the command naming itself and the checkpoint, and a local part without
// --local-model is a usage error.

#include "CollabCli.h"
#include "TestHelpers.h"
#include "TinyChatModel.h"
#include "store/Project.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

namespace fs = std::filesystem;
using collab::test::qs;

namespace {

using Result = collab::test::CliResult;
using collab::test::runCollab;

// The authors of a project's assistant turns (candidates and futures' turns alike).
std::vector<std::string> assistantAuthors(const QString& file) {
  collab::store::Project project = collab::store::Project::open(file.toStdString());
  std::vector<std::string> authors;
  project.trees().forEach([&](const collab::store::TreeRecord& tree) {
    for (const auto& node : project.nodes().ofTree(tree.id))
      if (node.role == collab::conversation::Role::Assistant) authors.push_back(node.author);
    return true;
  });
  return authors;
}

} // namespace

class CliLocalBackendTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString checkpoint_, described_;

  QString path(const char* name) const { return qs(collab::test::pathIn(dir_, name).string()); }

private Q_SLOTS:
  void initTestCase() {
    // A long context: the conversations the policy continues grow past tiny-llama's 256
    // positions, since the random model rambles for up to 512 tokens a turn.
    const fs::path model = collab::test::copyTinyLlama(collab::test::pathIn(dir_, "tiny-chat"));
    collab::test::setContextLength(model, 8192);
    checkpoint_ = qs(model.string());
    described_ = "local:" + qs(fs::absolute(model).lexically_normal().string());
  }

  void aLocalPartNeedsLocalModel() {
    const QString project = path("usage.collab");
    QCOMPARE(runCollab({"simulate", project, "--family", "math", "--tasks", "1", "--split", "test"}).exitCode, 0);
    for (const char* part : {"--policy", "--simulator", "--judge"}) {
      const Result r = runCollab({"score", project, part, "local"});
      QCOMPARE(r.exitCode, 2);
      QVERIFY2(r.err.contains("--local-model DIR is needed when the simulator, judge or policy is local"), qPrintable(r.err));
    }
    const Result r = runCollab({"score", project, "--policy", "local", "--local-model", path("nowhere")});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("nowhere: not a directory"), qPrintable(r.err));
    QVERIFY(runCollab({"score", "--help"}).out.contains("--local-model"));
  }

  // Candidates drawn from the local policy, then their futures played by it too.
  void buildAndScoreWithALocalPolicy() {
    const QString project = path("local.collab");
    const QStringList local = {"--policy", "local", "--local-model", checkpoint_};
    Result r = runCollab(QStringList{"build-dataset", project, "--family", "math", "--tasks", "1", "--split", "test",
                                     "--candidates", "2", "--samples", "1", "--window", "1", "--max-messages", "4"} + local);
    QVERIFY2(r.exitCode == 0 && r.out.startsWith("built 1 conversations"), qPrintable(r.out + r.err));
    const std::vector<std::string> built = assistantAuthors(project);
    QVERIFY(built.size() >= 2);
    for (const std::string& author : built) QCOMPARE(qs(author), "policy:" + described_);

    r = runCollab(QStringList{"score", project, "--samples", "1", "--window", "1", "--force"} + local);
    const QRegularExpressionMatch scored = QRegularExpression("scored (\\d+) candidates in 1 trees").match(r.out);
    QVERIFY2(r.exitCode == 0 && scored.hasMatch() && scored.captured(1).toInt() >= 2, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains("\"simulator\":\"rule\""));
    QVERIFY(assistantAuthors(project).size() > built.size()); // the futures' turns, by the local policy as well
    for (const std::string& author : assistantAuthors(project)) QCOMPARE(qs(author), "policy:" + described_);
  }

  // `collab simulate` takes the same parts: its candidates and their futures by the local policy.
  void simulateWithALocalPolicy() {
    const QString project = path("simulated.collab");
    const Result r = runCollab({"simulate", project, "--family", "documents", "--tasks", "1", "--split", "test", "--candidates",
                                "2", "--samples", "1", "--window", "1", "--policy", "local", "--local-model", checkpoint_});
    QVERIFY2(r.exitCode == 0 && r.out.startsWith("simulated 1 conversations"), qPrintable(r.out + r.err));
    const std::vector<std::string> authors = assistantAuthors(project);
    QVERIFY(authors.size() >= 2);
    for (const std::string& author : authors) QCOMPARE(qs(author), "policy:" + described_);
  }

  // The random model writes no JSON: the simulated user it plays fails after its retries,
  // and the command with it, naming who failed; nothing is invented or stored.
  void aLocalSimulatorWithoutJsonFailsTheCommand() {
    const QString project = path("simulator.collab");
    QCOMPARE(runCollab({"simulate", project, "--family", "math", "--tasks", "1", "--split", "test"}).exitCode, 0);
    const Result r = runCollab({"score", project, "--simulator", "local", "--local-model", checkpoint_, "--samples", "1",
                                "--window", "1", "--force", "--tree", "1"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("user simulator") && r.err.contains("(" + described_ + "): no valid reply in 3 attempts"),
             qPrintable(r.err));
    collab::store::Project opened = collab::store::Project::open(project.toStdString());
    for (const auto& score : opened.scores().forTree(1)) QVERIFY(score.configJson.find("local:") == std::string::npos);
  }
};

QTEST_GUILESS_MAIN(CliLocalBackendTest)
#include "tst_cli_local_backend.moc"
