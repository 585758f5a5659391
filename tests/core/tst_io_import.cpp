#include "ProjectDump.h"
#include "TestHelpers.h"
#include "common/Error.h"
#include "io/Importer.h"
#include "io/LoadedTree.h"

#include <QtTest>

#include <sstream>

using namespace collab;
using namespace collab::io;
using collab::conversation::NodeKind;
using collab::conversation::Role;
using collab::test::qs;

namespace {

const std::string kCollabllmRows =
    R"({"prompt":[{"role":"user","content":"Write a poem about the sea."}],"completion":"Who is it for?","conv_id":"c1","turn_id":1,"score":0.8,"rewards":{"MR":[0.7,0.8,0.9],"bleu":[0.2,0.4]},"sessions":[[{"role":"user","content":"My kid."},{"role":"assistant","content":"Waves..."}],[{"role":"user","content":"Me."}]],"single_turn_prompt":"Write a poem about the sea.","single_turn_completion":"The sea is wide","single_turn_metadata":{"family":"documents"}})"
    "\n"
    R"({"prompt":[{"role":"user","content":"Write a poem about the sea."}],"completion":"The sea is blue.","conv_id":"c1","turn_id":1,"score":0.3,"rewards":{"MR":[0.3,0.3,0.3]},"sessions":[]})"
    "\n\n" // blank lines are skipped
    R"({"prompt":[{"role":"user","content":"Write a poem about the sea."},{"role":"assistant","content":"Who is it for?"},{"role":"user","content":"My kid."}],"completion":"Waves that dance","conv_id":"c1","turn_id":3,"score":0.9,"sessions":[[{"role":"user","content":"Write a poem about the sea."},{"role":"assistant","content":"Who is it for?"},{"role":"user","content":"My kid."},{"role":"assistant","content":"Waves that dance"},{"role":"user","content":"Love it [[TERMINATE CHAT]]"}]]})"
    "\n"
    R"({"prompt":[{"role":"user","content":"2+2?"}],"completion":"4","conv_id":7})"
    "\n";

ImportReport importText(store::Project& project, const std::string& text, ImportFormat format,
                        bool skipInvalid = false) {
  std::istringstream in(text);
  ImportOptions options;
  options.format = format;
  options.skipInvalid = skipInvalid;
  return importJsonl(project, in, "rows.jsonl", options);
}

LoadedTree firstTree(store::Project& project) {
  LoadedTree loaded;
  project.trees().forEach([&](const store::TreeRecord& record) {
    loaded = LoadedTree::load(project, record);
    return false;
  });
  return loaded;
}

} // namespace

class TestIoImport : public QObject {
  Q_OBJECT
  collab::test::ScratchProjects scratch_;
  store::Project freshProject() { return scratch_.next(); }

private slots:
  void collabllmRowsBecomeOneTreePerConversation() {
    auto project = freshProject();
    const ImportReport report = importText(project, kCollabllmRows, ImportFormat::Collabllm);
    QCOMPARE(report.rowsImported, std::size_t(4));
    QCOMPARE(report.treesCreated, std::size_t(2));
    QCOMPARE(project.trees().count(), std::int64_t(2));

    const LoadedTree loaded = firstTree(project);
    const auto& tree = loaded.tree;
    QCOMPARE(qs(loaded.record.externalId), QString("c1"));
    QCOMPARE(qs(loaded.record.title), QString("Write a poem about the sea."));
    QVERIFY(loaded.task.has_value());
    QCOMPARE(qs(loaded.task->goal), QString("The sea is wide"));

    // One root; two candidates at turn 1; the first continues the conversation.
    QCOMPARE(tree.roots().size(), std::size_t(1));
    const auto candidates = tree.turnChildren(tree.roots().front());
    QCOMPARE(candidates.size(), std::size_t(2));
    const auto& ask = tree.at(candidates[0]);
    QCOMPARE(qs(ask.content), QString("Who is it for?"));
    QVERIFY(ask.role == Role::Assistant);
    QCOMPARE(qs(ask.author), QString("dataset:rows.jsonl"));

    // Two sampled futures below the first candidate (sample 0 has 2 turns), plus the real next turn.
    int continuations = 0;
    for (auto child : tree.children(ask.id))
      if (tree.at(child).kind == NodeKind::Continuation) {
        ++continuations;
        if (tree.at(child).sampleIndex == 0) QCOMPARE(tree.children(child).size(), std::size_t(1));
      }
    QCOMPARE(continuations, 2);
    QCOMPARE(tree.turnChildren(ask.id).size(), std::size_t(1));

    // Scores: MR with its samples and std, and each other metric's mean.
    QCOMPARE(loaded.scoreOf(ask.id, "MR").value(), 0.8);
    QCOMPARE(loaded.scoreOf(ask.id, "bleu").value(), 0.3);
    for (const auto& score : loaded.scores)
      if (score.nodeId == ask.id && score.kind == "MR") {
        QCOMPARE(score.samples.size(), std::size_t(3));
        QVERIFY(std::abs(*score.std - 0.0816497) < 1e-6);
        QVERIFY(qs(score.configJson).contains("collabllm"));
      }

    // A session that repeats the whole conversation keeps only its future.
    const auto best = loaded.bestPath("MR");
    QCOMPARE(best.size(), std::size_t(4));
    const auto& last = tree.at(best.back());
    QCOMPARE(qs(last.content), QString("Waves that dance"));
    QCOMPARE(tree.children(last.id).size(), std::size_t(1));
    QCOMPARE(qs(tree.at(tree.children(last.id).front()).content), QString("Love it [[TERMINATE CHAT]]"));
  }

  void dpoV1RowsKeepEvaluationsAndPreference() {
    auto project = freshProject();
    const std::string row =
        R"({"idx":3,"prompt":[{"role":"user","content":"Fix my essay"}],"chosen":"What is it about?","rejected":"Done.",)"
        R"("chosen_eval":{"reward":0.6,"reward_std":0.1,"task_metric_avg":0.5,"token_cost_avg":0.2,"rs":{"0":{"average_score":0.5,"forward_chat":[{"role":"user","content":"Climate."}],"interactivity":{"score":1.0,"thought":"asks about the topic"}},"1":{"average_score":0.7,"forward_chat":[{"role":"user","content":"History."}],"interactivity":{"score":0.66,"thought":"ok"}}}},)"
        R"("rejected_eval":{"reward":0.1,"reward_std":0.0,"rs":{}},"metadata":{"task":"medium"}})";
    // The same best answer paired with a second, worse one: one branch, three siblings.
    const std::string second = R"({"idx":3,"prompt":[{"role":"user","content":"Fix my essay"}],"chosen":"What is it about?","rejected":"No.","chosen_eval":{"reward":0.6},"rejected_eval":{"reward":0.0}})";
    importText(project, row + "\n" + second + "\n", ImportFormat::CollabllmDpoV1);
    const LoadedTree loaded = firstTree(project);
    const auto candidates = loaded.tree.turnChildren(loaded.tree.roots().front());
    QCOMPARE(candidates.size(), std::size_t(3));
    QCOMPARE(loaded.scoreOf(candidates[0], "MR").value(), 0.6);
    QCOMPARE(project.scores().forNode(candidates[0]).size(), std::size_t(3)); // MR, task, token_cost once
    QCOMPARE(loaded.scoreOf(candidates[0], "task").value(), 0.5);
    QCOMPARE(loaded.scoreOf(candidates[1], "MR").value(), 0.1);
    const auto& samples = loaded.tree.children(candidates[0]);
    QCOMPARE(samples.size(), std::size_t(2));
    QCOMPARE(loaded.scoreOf(samples[0], "R*").value(), 0.5);
    bool rationale = false;
    for (const auto& score : loaded.scores) rationale |= score.rationale == "asks about the topic";
    QVERIFY(rationale);
    const auto preferences = project.annotations().preferences(loaded.record.id);
    QCOMPARE(preferences.size(), std::size_t(2));
    QCOMPARE(preferences[0].chosen, candidates[0]);
    QCOMPARE(preferences[1].chosen, candidates[0]);
    QCOMPARE(preferences[1].rejected, candidates[2]);
  }

  void trlPreferenceAllThreeShapes() {
    auto project = freshProject();
    const std::string rows =
        R"({"prompt":"The sky is","chosen":" blue.","rejected":" green.","score_chosen":1.0,"score_rejected":0.0})" "\n"
        R"({"prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"assistant","content":"Hello!"}],"rejected":[{"role":"assistant","content":"Go away."}]})" "\n"
        R"({"chosen":[{"role":"user","content":"Q"},{"role":"assistant","content":"A1"}],"rejected":[{"role":"user","content":"Q"},{"role":"assistant","content":"A2"}]})" "\n";
    QCOMPARE(importText(project, rows, ImportFormat::TrlPreference).treesCreated, std::size_t(3));
    QCOMPARE(project.counts().preferences, std::int64_t(3));
    std::vector<std::size_t> sizes, roots;
    project.trees().forEach([&](const store::TreeRecord& record) {
      const auto loaded = LoadedTree::load(project, record);
      sizes.push_back(loaded.tree.size());
      roots.push_back(loaded.tree.roots().size());
      return true;
    });
    QCOMPARE(sizes, (std::vector<std::size_t>{3, 3, 3}));
    QCOMPARE(roots, (std::vector<std::size_t>{1, 1, 1})); // an implicit prompt is shared, not duplicated
    QCOMPARE(project.counts().scores, std::int64_t(2));
  }

  void messagesRowsWithContentParts() {
    auto project = freshProject();
    const std::string rows =
        R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hello "},{"type":"text","text":"there"}]},{"role":"assistant","content":"Hi."}]})" "\n";
    importText(project, rows, ImportFormat::OpenAiMessages);
    const LoadedTree loaded = firstTree(project);
    QCOMPARE(loaded.tree.size(), std::size_t(3));
    QCOMPARE(qs(loaded.tree.at(loaded.tree.turnLeaves().front()).content), QString("Hi."));
    QCOMPARE(qs(loaded.record.title), QString("Hello there"));
  }

  void badInputNamesFileLineAndExpectation_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("rows"); // bytes: invalid UTF-8 must reach the importer as is
    QTest::addColumn<QString>("expected");
    const QByteArray good = QByteArray::fromStdString(kCollabllmRows.substr(0, kCollabllmRows.find('\n') + 1));
    QTest::newRow("malformed json") << "collabllm" << good + "{\"prompt\": [\n" << "rows.jsonl:2: invalid JSON at column";
    QTest::newRow("not an object") << "collabllm" << good + "[1,2]\n" << "rows.jsonl:2: expected a JSON object, found an array";
    QTest::newRow("missing field") << "collabllm" << good + "{\"prompt\":[],\"conv_id\":\"x\"}\n"
                                   << "rows.jsonl:2: field `completion`: expected it to be present, found it missing";
    QTest::newRow("wrong type") << "collabllm" << good + R"({"prompt":[],"completion":5,"conv_id":"x"})" "\n"
                                << "rows.jsonl:2: field `completion`: expected a string, found a number (5)";
    QTest::newRow("bad role") << "collabllm" << good + R"({"prompt":[{"role":"robot","content":"x"}],"completion":"a","conv_id":"x"})" "\n"
                              << "rows.jsonl:2: field `prompt[0].role`: expected one of system, user, assistant, tool, found a string (\"robot\")";
    QTest::newRow("bad reward") << "collabllm" << good + R"({"prompt":[],"completion":"a","conv_id":"x","rewards":{"MR":[0.1,"high"]}})" "\n"
                                << "rows.jsonl:2: field `rewards.MR[1]`: expected a number, found a string (\"high\")";
    QTest::newRow("invalid utf-8") << "collabllm" << good + "{\"prompt\":[],\"completion\":\"caf\xC3\",\"conv_id\":\"x\"}\n"
                                   << "rows.jsonl:2: invalid JSON at column";
    QTest::newRow("id type") << "collabllm" << good + R"({"prompt":[],"completion":"a","conv_id":[1]})" "\n"
                             << "rows.jsonl:2: field `conv_id`: expected a string or an integer id, found an array";
    QTest::newRow("dpo chosen") << "collabllm-dpo-v1" << QByteArray(R"({"prompt":"q","chosen":1,"rejected":"r"})" "\n")
                                << "rows.jsonl:1: field `chosen`: expected a string, found a number (1)";
    QTest::newRow("empty messages") << "trl-sft" << QByteArray(R"({"messages":[]})" "\n")
                                    << "rows.jsonl:1: field `messages`: expected at least one message, found none";
    QTest::newRow("image part") << "openai" << QByteArray(R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]})" "\n")
                                << "rows.jsonl:1: field `messages[0].content[0].type`: expected \"text\"";
  }

  void badInputNamesFileLineAndExpectation() {
    QFETCH(QString, format);
    QFETCH(QByteArray, rows);
    QFETCH(QString, expected);
    auto project = freshProject();
    importText(project, "{\"messages\":[{\"role\":\"user\",\"content\":\"kept\"}]}\n", ImportFormat::TrlSft);
    const std::string before = collab::test::projectDump(project);
    try {
      importText(project, rows.toStdString(), *parseImportFormat(format.toStdString()));
      QFAIL("bad input was accepted");
    } catch (const InputError& e) {
      QVERIFY2(QString::fromUtf8(e.what()).startsWith(expected), e.what());
    }
    // Nothing of the failed import remains, not even its valid first row.
    QCOMPARE(qs(collab::test::projectDump(project)), qs(before));
    QCOMPARE(project.trees().count(), std::int64_t(1));
  }

  void missingFileIsAnInputError() {
    auto project = freshProject();
    try {
      importJsonlFile(project, "/nonexistent/rows.jsonl", {});
      QFAIL("missing file accepted");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).startsWith("/nonexistent/rows.jsonl: cannot open"), e.what());
    }
  }

  void skipInvalidImportsTheRestAndListsRejects() {
    auto project = freshProject();
    const std::string rows = R"({"prompt":[{"role":"user","content":"a"}],"completion":"x","conv_id":"c1"})" "\n"
                             "{oops\n"
                             R"({"prompt":[{"role":"user","content":"b"}],"completion":7,"conv_id":"c2"})" "\n"
                             R"({"prompt":[{"role":"user","content":"b"}],"completion":"y","conv_id":"c2"})" "\n";
    const ImportReport report = importText(project, rows, ImportFormat::Collabllm, true);
    QCOMPARE(report.rowsImported, std::size_t(2));
    QCOMPARE(report.rejected.size(), std::size_t(2));
    QVERIFY(qs(report.rejected[0]).startsWith("rows.jsonl:2: invalid JSON"));
    QVERIFY(qs(report.rejected[1]).startsWith("rows.jsonl:3: field `completion`"));
    QCOMPARE(project.trees().count(), std::int64_t(2));
    QCOMPARE(project.nodes().count(), std::int64_t(4));
  }

  void progressReportsBytes() {
    auto project = freshProject();
    std::string rows;
    for (int i = 0; i < 2000; ++i)
      rows += "{\"messages\":[{\"role\":\"user\",\"content\":\"row " + std::to_string(i) + "\"}]}\n";
    std::istringstream in(rows);
    ImportOptions options;
    options.format = ImportFormat::TrlSft;
    std::vector<std::uint64_t> seen;
    options.progress = [&](std::uint64_t bytes) { seen.push_back(bytes); };
    importJsonl(project, in, "rows.jsonl", options);
    QVERIFY(seen.size() >= 3);
    QCOMPARE(seen.back(), std::uint64_t(rows.size()));
    QVERIFY(std::is_sorted(seen.begin(), seen.end()));
  }
};

QTEST_GUILESS_MAIN(TestIoImport)
#include "tst_io_import.moc"
