// The store operations behind the workbench's undoable edits: each one whole or not at
// all, and each removal put back exactly (same ids, texts, scores, labels, search index).

#include "common/Error.h"
#include "store/Project.h"
#include "store/TreeEdits.h"
#include "TestHelpers.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <QtTest>

using namespace collab;
using namespace collab::store;
using collab::conversation::NodeKind;
using collab::conversation::Role;

namespace {

NewNode turn(TreeId tree, std::optional<NodeId> parent, Role role, std::string text,
             NodeKind kind = NodeKind::Turn) {
  NewNode node;
  node.treeId = tree;
  node.parentId = parent;
  node.role = role;
  node.content = std::move(text);
  node.kind = kind;
  return node;
}

// Every row of the tables an edit may touch, ids and timestamps included.
std::string rowsOf(Project& project) {
  std::string text;
  for (const char* table : {"nodes", "scores", "annotations", "preferences"}) {
    SQLite::Statement query(project.database(), std::string("SELECT * FROM ") + table + " ORDER BY id");
    text += std::string("# ") + table + "\n";
    while (query.executeStep()) {
      for (int c = 0; c < query.getColumnCount(); ++c)
        text += (query.getColumn(c).isNull() ? std::string("NULL") : query.getColumn(c).getString()) + "|";
      text += "\n";
    }
  }
  return text;
}

std::int64_t count(Project& project, const std::string& sql) { return project.database().execAndGet(sql).getInt64(); }

// A question (root) with three candidate answers a, b, c; a has a sampled future (two
// messages) and a follow-up user turn; scores, a label and a preference on a and b.
struct Fixture {
  Project project;
  TreeId tree = 0;
  NodeId root = 0, a = 0, b = 0, c = 0, future1 = 0, future2 = 0, followUp = 0;

  explicit Fixture(Project p) : project(std::move(p)) {
    TreeRecord record;
    record.title = "t";
    tree = project.trees().add(record);
    root = project.nodes().add(turn(tree, std::nullopt, Role::User, "how many tiles"));
    a = project.nodes().add(turn(tree, root, Role::Assistant, "which room size"));
    b = project.nodes().add(turn(tree, root, Role::Assistant, "about forty tiles"));
    c = project.nodes().add(turn(tree, root, Role::Assistant, "cannot say"));
    future1 = project.nodes().add(turn(tree, a, Role::User, "three by four", NodeKind::Continuation));
    future2 = project.nodes().add(turn(tree, future1, Role::Assistant, "134 tiles", NodeKind::Continuation));
    followUp = project.nodes().add(turn(tree, a, Role::User, "a bathroom, three by four metres"));
    project.scores().add(reward::nodeScore(tree, a, "MR", 0.8, "{}"));
    project.scores().add(reward::nodeScore(tree, future1, "R*", 0.7, "{}"));
    project.scores().add(reward::nodeScore(tree, b, "MR", 0.3, "{}"));
    project.annotations().add({0, tree, a, "ann", "asks-clarifying-question", "true", ""});
    project.annotations().add({0, tree, b, "ann", "guesses", "true", ""});
    project.annotations().addPreference({0, tree, a, b, "ann", "gui", ""});
  }
};

} // namespace

class TestTreeEdits : public QObject {
  Q_OBJECT
  test::ScratchProjects projects_;

private slots:
  void setContentChangesTextAndSearchIndex() {
    Fixture f(projects_.next());
    edits::setContent(f.project, f.b, "roughly 134 porcelain tiles");
    QCOMPARE(f.project.nodes().find(f.b)->content, std::string("roughly 134 porcelain tiles"));
    QCOMPARE(f.project.nodes().search("porcelain").size(), std::size_t(1));
    QVERIFY(f.project.nodes().search("forty").empty());
    QVERIFY_THROWS_EXCEPTION(Error, edits::setContent(f.project, 9999, "x"));
  }

  void addBranchChecksItsParent() {
    Fixture f(projects_.next());
    const NodeId added = edits::addBranch(f.project, turn(f.tree, f.root, Role::Assistant, "a fourth answer"));
    QCOMPARE(f.project.nodes().find(added)->parentId, std::optional<NodeId>(f.root));
    QCOMPARE(f.project.nodes().children(f.root).size(), std::size_t(4));
    try {
      edits::addBranch(f.project, turn(f.tree, 4242, Role::Assistant, "x"));
      QFAIL("a branch under a missing node was added");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("4242") != std::string::npos, e.what());
    }
  }

  void removeSubtreeTakesEverythingBelowAndRestoreIsExact() {
    Fixture f(projects_.next());
    const std::string before = rowsOf(f.project);
    const RemovedRows removed = edits::removeSubtree(f.project, f.a);
    // a, its future (2) and its follow-up; a's MR, the future's R*, a's label, the a>b preference.
    QCOMPARE(count(f.project, "SELECT count(*) FROM nodes"), std::int64_t(3));
    QCOMPARE(count(f.project, "SELECT count(*) FROM scores"), std::int64_t(1));
    QCOMPARE(count(f.project, "SELECT count(*) FROM annotations"), std::int64_t(1));
    QCOMPARE(count(f.project, "SELECT count(*) FROM preferences"), std::int64_t(0));
    QVERIFY(f.project.nodes().search("bathroom").empty());

    edits::restore(f.project, removed);
    QCOMPARE(rowsOf(f.project), before);
    QCOMPARE(f.project.nodes().search("bathroom").size(), std::size_t(1));
    QCOMPARE(f.project.nodes().find(f.followUp)->parentId, std::optional<NodeId>(f.a));
  }

  void removeSubtreeOfALeaf() {
    Fixture f(projects_.next());
    const RemovedRows removed = edits::removeSubtree(f.project, f.c);
    QCOMPARE(removed.tables.front().rows.size(), std::size_t(1));
    QVERIFY(!f.project.nodes().find(f.c));
    QCOMPARE(f.project.nodes().find(f.a)->content, std::string("which room size"));
    QVERIFY_THROWS_EXCEPTION(Error, edits::removeSubtree(f.project, f.c));
  }

  void moveSubtreeUpdatesDepthsAndRefusesCycles() {
    Fixture f(projects_.next());
    edits::moveSubtree(f.project, f.a, f.c); // a (and what is below it) under c
    QCOMPARE(f.project.nodes().find(f.a)->parentId, std::optional<NodeId>(f.c));
    const auto path = f.project.nodes().pathToRoot(f.future2);
    QCOMPARE(path.size(), std::size_t(5));
    QCOMPARE(path[1].id, f.c);
    QCOMPARE(count(f.project, "SELECT depth FROM nodes WHERE id = " + std::to_string(f.future2)), std::int64_t(4));

    const std::string moved = rowsOf(f.project);
    for (NodeId target : {f.a, f.future1, f.followUp}) {
      try {
        edits::moveSubtree(f.project, f.c, target);
        QFAIL("a cycle was made");
      } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find("node " + std::to_string(f.c)) != std::string::npos, e.what());
      }
    }
    QCOMPARE(rowsOf(f.project), moved);

    // Back where it was; then to the top as a root of its own.
    edits::moveSubtree(f.project, f.a, f.root);
    QCOMPARE(count(f.project, "SELECT depth FROM nodes WHERE id = " + std::to_string(f.future2)), std::int64_t(3));
    edits::moveSubtree(f.project, f.a, std::nullopt);
    QVERIFY(!f.project.nodes().find(f.a)->parentId);
    QCOMPARE(count(f.project, "SELECT depth FROM nodes WHERE id = " + std::to_string(f.future2)), std::int64_t(2));
  }

  void moveSubtreeRefusesAnotherTree() {
    Fixture f(projects_.next());
    TreeRecord other;
    other.title = "other";
    const TreeId otherTree = f.project.trees().add(other);
    const NodeId stranger = f.project.nodes().add(turn(otherTree, std::nullopt, Role::User, "hi"));
    try {
      edits::moveSubtree(f.project, f.a, stranger);
      QFAIL("moved across trees");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("another conversation") != std::string::npos, e.what());
    }
    QCOMPARE(f.project.nodes().find(f.a)->parentId, std::optional<NodeId>(f.root));
  }

  void markChosenReplacesTheAnnotatorsEarlierChoice() {
    Fixture f(projects_.next());
    // ann preferred a to b (fixture); now ann chooses c over both others.
    const auto first = edits::markChosen(f.project, f.c, "ann");
    QCOMPARE(first.added.size(), std::size_t(2));
    QCOMPARE(first.replaced.tables.front().rows.size(), std::size_t(1)); // a > b
    auto preferences = f.project.annotations().preferences(f.tree);
    QCOMPARE(preferences.size(), std::size_t(2));
    for (const auto& p : preferences) QCOMPARE(p.chosen, f.c);

    // Another annotator's choice is left alone.
    edits::markChosen(f.project, f.a, "other");
    QCOMPARE(f.project.annotations().preferences(f.tree).size(), std::size_t(4));

    // Undo of the first mark: its rows out, the replaced one back.
    const std::string beforeUndo = rowsOf(f.project);
    const RemovedRows added = edits::removeRows(f.project, "preferences", first.added);
    edits::restore(f.project, first.replaced);
    preferences = f.project.annotations().preferences(f.tree);
    QCOMPARE(preferences.size(), std::size_t(3));
    QCOMPARE(preferences.front().chosen, f.a);
    QCOMPARE(preferences.front().rejected, f.b);
    // Redo: the same rows again.
    edits::removeRows(f.project, "preferences", first.replaced.tables.front().ids());
    edits::restore(f.project, added);
    QCOMPARE(rowsOf(f.project), beforeUndo);
  }

  void markChosenNeedsAlternatives() {
    Fixture f(projects_.next());
    QVERIFY_THROWS_EXCEPTION(Error, edits::markChosen(f.project, f.followUp, "ann"));
    QVERIFY_THROWS_EXCEPTION(Error, edits::markChosen(f.project, 777, "ann"));
  }

  void largeSubtreesGoAndComeBack() {
    // More rows than SQLite binds in one statement.
    Fixture f(projects_.next());
    std::optional<NodeId> parent = f.b;
    for (int i = 0; i < 1200; ++i)
      parent = f.project.nodes().add(turn(f.tree, i % 3 ? parent : std::optional<NodeId>(f.b),
                                          i % 2 ? Role::User : Role::Assistant, "turn " + std::to_string(i)));
    const std::string before = rowsOf(f.project);
    const RemovedRows removed = edits::removeSubtree(f.project, f.b);
    QCOMPARE(removed.tables.front().rows.size(), std::size_t(1201));
    edits::restore(f.project, removed);
    QCOMPARE(rowsOf(f.project), before);
  }
};

QTEST_GUILESS_MAIN(TestTreeEdits)
#include "tst_tree_edits.moc"
