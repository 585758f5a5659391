#include "common/Error.h"
#include "store/Migrations.h"
#include "store/Project.h"
#include "store/Transaction.h"
#include "TestHelpers.h"

#include <SQLiteCpp/Database.h>
#include <QtTest>

#include <chrono>

using namespace collab;
using namespace collab::store;
using collab::conversation::NodeKind;
using collab::conversation::Role;
using collab::test::pathIn;
using collab::test::qs;

namespace {

NewNode turn(TreeId tree, std::optional<NodeId> parent, Role role, std::string text) {
  NewNode node;
  node.treeId = tree;
  node.parentId = parent;
  node.role = role;
  node.content = std::move(text);
  return node;
}

TreeId addTree(Project& project, const std::string& title) {
  TreeRecord record;
  record.title = title;
  record.source = "test";
  return project.trees().add(record);
}

} // namespace

class TestStore : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

private slots:
  void createSetsUpWalForeignKeysAndSchema() {
    const auto path = pathIn(dir_, "new.collab");
    Project project = Project::create(path, "My project");
    QCOMPARE(project.schemaVersion(), latestSchemaVersion());
    QCOMPARE(qs(project.name()), QString("My project"));
    QCOMPARE(qs(project.database().execAndGet("PRAGMA journal_mode").getString()), QString("wal"));
    QCOMPARE(project.database().execAndGet("PRAGMA foreign_keys").getInt(), 1);
    QVERIFY_THROWS_EXCEPTION(ProjectError, Project::create(path));
  }

  void openRejectsMissingForeignAndDamagedFiles() {
    QVERIFY_THROWS_EXCEPTION(ProjectError, Project::open(pathIn(dir_, "missing.collab")));

    const auto text = collab::test::writeFile(dir_, "text.collab", std::string(5000, 'x'));
    try {
      Project::open(text);
      QFAIL("a text file opened as a project");
    } catch (const ProjectError& e) {
      QVERIFY2(QString(e.what()).contains("text.collab"), e.what());
    }

    const auto foreign = pathIn(dir_, "foreign.collab");
    { SQLite::Database db(foreign.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); db.exec("CREATE TABLE x(a)"); }
    try {
      Project::open(foreign);
      QFAIL("a foreign SQLite file opened as a project");
    } catch (const ProjectError& e) {
      QVERIFY2(QString(e.what()).contains("not a CollabLLM Workbench project"), e.what());
    }
  }

  void openRejectsNewerSchema() {
    const auto path = pathIn(dir_, "future.collab");
    { Project::create(path).database().exec("INSERT INTO schema_version(version, description) VALUES (99, 'future')"); }
    try {
      Project::open(path);
      QFAIL("a newer project opened");
    } catch (const ProjectError& e) {
      QVERIFY2(QString(e.what()).contains("99"), e.what());
    }
  }

  void treesBranchesAndPaths() {
    Project project = Project::create(pathIn(dir_, "trees.collab"));
    const TreeId tree = addTree(project, "poem");
    const NodeId root = project.nodes().add(turn(tree, std::nullopt, Role::User, "Write a poem"));
    const NodeId ask = project.nodes().add(turn(tree, root, Role::Assistant, "For whom?"));
    const NodeId answer = project.nodes().add(turn(tree, root, Role::Assistant, "Roses are red"));
    const NodeId reply = project.nodes().add(turn(tree, ask, Role::User, "My kid"));

    QCOMPARE(project.nodes().children(root).size(), std::size_t(2));
    QCOMPARE(project.nodes().children(root)[1].id, answer);
    QCOMPARE(project.nodes().roots(tree).size(), std::size_t(1));
    const auto path = project.nodes().pathToRoot(reply);
    QCOMPARE(path.size(), std::size_t(3));
    QCOMPARE(path.front().id, root);
    QCOMPARE(path.back().id, reply);

    // A branch can only grow under a node of the same tree.
    const TreeId other = addTree(project, "other");
    QVERIFY_THROWS_EXCEPTION(Error, project.nodes().add(turn(other, ask, Role::User, "wrong tree")));
    QVERIFY_THROWS_EXCEPTION(Error, project.nodes().add(turn(tree, 12345, Role::User, "no parent")));

    const auto summary = project.trees().list({});
    QCOMPARE(summary.size(), std::size_t(2));
    QCOMPARE(summary[0].nodeCount, std::int64_t(4));
    QCOMPARE(summary[0].turns, std::int64_t(3));
    QCOMPARE(summary[0].branches, std::int64_t(2));
  }

  void bestPathByScore() {
    Project project = Project::create(pathIn(dir_, "best.collab"));
    const TreeId tree = addTree(project, "t");
    const NodeId root = project.nodes().add(turn(tree, std::nullopt, Role::User, "q"));
    const NodeId a = project.nodes().add(turn(tree, root, Role::Assistant, "a"));
    const NodeId b = project.nodes().add(turn(tree, root, Role::Assistant, "b"));
    for (auto [node, value] : {std::pair{a, 0.2}, std::pair{b, 0.7}}) {
      reward::Score score;
      score.treeId = tree;
      score.nodeId = node;
      score.kind = "MR";
      score.value = value;
      score.samples = {value, value};
      score.configJson = R"({"w": 2, "S": 3})";
      project.scores().add(score);
    }
    const auto loaded = project.nodes().loadTree(tree);
    const auto mr = latestByNode(project.scores().forTree(tree), "MR");
    auto path = loaded.bestPath([&](NodeId id) -> std::optional<double> {
      auto it = mr.find(id);
      return it == mr.end() ? std::nullopt : std::optional(it->second);
    });
    QCOMPARE(path, (std::vector<NodeId>{root, b}));
    const auto stored = project.scores().forNode(b);
    QCOMPARE(stored.size(), std::size_t(1));
    QCOMPARE(qs(stored[0].configHash), qs(reward::configHash(R"({"S": 3, "w": 2})")));
    QCOMPARE(stored[0].samples.size(), std::size_t(2));
  }

  void textSearchFindsTurnsAndFiltersTrees() {
    Project project = Project::create(pathIn(dir_, "search.collab"));
    const TreeId t1 = addTree(project, "one");
    const TreeId t2 = addTree(project, "two");
    project.nodes().add(turn(t1, std::nullopt, Role::User, "Please compute the monthly loan payment"));
    const NodeId hit = project.nodes().add(turn(t2, std::nullopt, Role::User, "Write a haiku about autumn leaves"));
    const auto hits = project.nodes().search("autumn");
    QCOMPARE(hits.size(), std::size_t(1));
    QCOMPARE(hits[0].nodeId, hit);
    QVERIFY(qs(hits[0].snippet).contains("[autumn]"));
    QCOMPARE(project.nodes().search("leav").size(), std::size_t(1)); // prefix, as typed
    QCOMPARE(project.nodes().search("\"AND NEAR( *").size(), std::size_t(0)); // FTS syntax is plain text

    TreeQuery query;
    query.text = "loan";
    const auto trees = project.trees().list(query);
    QCOMPARE(trees.size(), std::size_t(1));
    QCOMPARE(trees[0].tree.id, t1);

    // Sampled continuations are not indexed: search finds conversations, not futures.
    NewNode future = turn(t2, hit, Role::Assistant, "a sampled future about volcanoes");
    future.kind = NodeKind::Continuation;
    future.sampleIndex = 0;
    project.nodes().add(future);
    QCOMPARE(project.nodes().search("volcanoes").size(), std::size_t(0));

    // The index follows edits.
    project.nodes().setContent(hit, "Write a haiku about winter");
    QCOMPARE(project.nodes().search("autumn").size(), std::size_t(0));
    QCOMPARE(project.nodes().search("winter").size(), std::size_t(1));
  }

  void failedTransactionRollsBack() {
    Project project = Project::create(pathIn(dir_, "rollback.collab"));
    addTree(project, "kept");
    try {
      Transaction transaction(project.database());
      const TreeId tree = addTree(project, "dropped");
      project.nodes().add(turn(tree, std::nullopt, Role::User, "x"));
      throw std::runtime_error("failure in the middle of a write");
    } catch (const std::runtime_error&) {
    }
    QCOMPARE(project.trees().count(), std::int64_t(1));
    QCOMPARE(project.nodes().count(), std::int64_t(0));

    // A nested (savepoint) rollback undoes only its own part.
    Transaction outer(project.database());
    addTree(project, "outer");
    {
      Transaction inner(project.database());
      addTree(project, "inner");
    }
    outer.commit();
    QCOMPARE(project.trees().count(), std::int64_t(2));
  }

  void deletingATreeDeletesItsNodesAndScores() {
    Project project = Project::create(pathIn(dir_, "cascade.collab"));
    const TreeId tree = addTree(project, "t");
    const NodeId root = project.nodes().add(turn(tree, std::nullopt, Role::User, "q"));
    reward::Score score;
    score.treeId = tree;
    score.nodeId = root;
    score.kind = "MR";
    project.scores().add(score);
    project.trees().remove(tree);
    QCOMPARE(project.nodes().count(), std::int64_t(0));
    QCOMPARE(project.scores().count(), std::int64_t(0));
    QCOMPARE(project.nodes().search("q").size(), std::size_t(0));
  }

  void personasKeepVersions() {
    Project project = Project::create(pathIn(dir_, "personas.collab"));
    PersonaVersion v;
    v.name = "impatient expert";
    v.traitsJson = R"({"patience": 0.2})";
    v.promptTemplate = "You are {name}. Goal: {goal}";
    const PersonaVersion first = project.personas().addVersion(v);
    v.traitsJson = R"({"patience": 0.1})";
    const PersonaVersion second = project.personas().addVersion(v);
    QCOMPARE(first.version, 1);
    QCOMPARE(second.version, 2);
    QCOMPARE(project.personas().latest("impatient expert")->id, second.id);
    QCOMPARE(project.personas().history("impatient expert").size(), std::size_t(2));
    QCOMPARE(project.personas().names().size(), std::size_t(1));
    QVERIFY(!project.personas().latest("nobody"));
  }

  void runsMetricsAndCheckpoints() {
    Project project = Project::create(pathIn(dir_, "runs.collab"));
    const auto run = project.runs().create("dpo-1", "dpo-offline", R"({"beta": 0.1})");
    project.runs().addMetric(run, 1, "loss", 0.69, 1000.0);
    project.runs().addMetric(run, 2, "loss", 0.60, 1001.0);
    project.runs().addMetric(run, 2, "loss", 0.58, 1002.0); // a resumed run rewrites step 2
    project.runs().addMetric(run, 1, "rewards/margins", 0.1, 1000.0);
    const auto loss = project.runs().metrics(run, "loss");
    QCOMPARE(loss.size(), std::size_t(2));
    QCOMPARE(loss[1].value, 0.58);
    QCOMPARE(project.runs().metricKeys(run).size(), std::size_t(2));
    project.runs().addCheckpoint({0, run, 2, "/tmp/ckpt-2", "{}"});
    QCOMPARE(project.runs().checkpoints(run).size(), std::size_t(1));
    // A run resumed from its checkpoint at step 1 forgets the steps after it, and replaces
    // the final checkpoint it writes again.
    project.runs().removeMetricsAfter(run, 1);
    QCOMPARE(project.runs().metrics(run, "loss").size(), std::size_t(1));
    QCOMPARE(project.runs().metrics(run, "rewards/margins").size(), std::size_t(1));
    project.runs().removeCheckpoints(run, "/tmp/other");
    QCOMPARE(project.runs().checkpoints(run).size(), std::size_t(1));
    project.runs().removeCheckpoints(run, "/tmp/ckpt-2");
    QVERIFY(project.runs().checkpoints(run).empty());
    project.runs().setStatus(run, "failed", "loss is NaN at step 3");
    const auto record = project.runs().find(run);
    QCOMPARE(qs(record->status), QString("failed"));
    QVERIFY(record->finishedAt.has_value());
    QVERIFY_THROWS_EXCEPTION(std::exception, project.runs().setStatus(run, "exploded"));
  }

  void annotationsAndPreferences() {
    Project project = Project::create(pathIn(dir_, "labels.collab"));
    const TreeId tree = addTree(project, "t");
    const NodeId root = project.nodes().add(turn(tree, std::nullopt, Role::User, "q"));
    const NodeId a = project.nodes().add(turn(tree, root, Role::Assistant, "a"));
    const NodeId b = project.nodes().add(turn(tree, root, Role::Assistant, "b"));
    project.annotations().add({0, tree, a, "ann1", "asks-clarifying-question", "true", ""});
    project.annotations().addPreference({0, tree, a, b, "ann1", "gui", ""});
    QCOMPARE(project.annotations().forTree(tree).size(), std::size_t(1));
    QCOMPARE(project.annotations().preferences(tree).front().chosen, a);
    const auto counts = project.counts();
    QCOMPARE(counts.annotations, std::int64_t(1));
    QCOMPARE(counts.preferences, std::int64_t(1));
  }

  // 100k trees / 1M nodes: the project must open at once and list lazily. Timings are
  // printed for the record; speed is measured in bench/, not asserted here. The sanitizer
  // build sets COLLAB_TEST_LARGE_TREES lower: the same paths, at a size it can afford.
  void largeProjectOpensAndPagesLazily() {
    const auto path = pathIn(dir_, "large.collab");
    const int kTrees = qEnvironmentVariableIntValue("COLLAB_TEST_LARGE_TREES") > 0
                           ? qEnvironmentVariableIntValue("COLLAB_TEST_LARGE_TREES")
                           : 100000;
    constexpr int kNodesPerTree = 10;
    {
      Project project = Project::create(path);
      Transaction transaction(project.database());
      for (int t = 0; t < kTrees; ++t) {
        const TreeId tree = addTree(project, "tree " + std::to_string(t));
        std::optional<NodeId> parent;
        for (int n = 0; n < kNodesPerTree; ++n)
          parent = project.nodes().add(turn(tree, parent, n % 2 ? Role::Assistant : Role::User,
                                            "turn " + std::to_string(n) + " of conversation " + std::to_string(t)));
      }
      transaction.commit();
    }
    const auto start = std::chrono::steady_clock::now();
    Project project = Project::open(path);
    TreeQuery query;
    query.limit = 200;
    auto page = project.trees().list(query);
    const auto firstPage = std::chrono::steady_clock::now();
    QCOMPARE(page.size(), std::size_t(200));
    QCOMPARE(page.front().nodeCount, std::int64_t(kNodesPerTree));
    QCOMPARE(page.front().turns, std::int64_t(kNodesPerTree));

    query.afterId = kTrees - 50;
    page = project.trees().list(query);
    QCOMPARE(page.size(), std::size_t(50));
    QCOMPARE(page.back().tree.id, TreeId(kTrees));
    QCOMPARE(project.counts().nodes, std::int64_t(kTrees) * kNodesPerTree);

    query = {};
    query.text = "conversation " + std::to_string(kTrees - 1);
    QCOMPARE(project.trees().list(query).size(), std::size_t(1));
    qInfo("open + first page of a 1M-node project: %lld ms",
          static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(firstPage - start).count()));
  }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
