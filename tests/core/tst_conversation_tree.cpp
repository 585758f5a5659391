#include "conversation/ConversationTree.h"

#include <QtTest>

using namespace collab::conversation;

namespace {

Node node(NodeId id, std::optional<NodeId> parent, Role role, NodeKind kind = NodeKind::Turn) {
  Node n;
  n.id = id;
  n.treeId = 1;
  n.parentId = parent;
  n.role = role;
  n.content = "n" + std::to_string(id);
  n.kind = kind;
  return n;
}

// 1 user
// ├─ 2 assistant ── 4 user ── 6 assistant
// │  └─ 5 ~sample (continuation) ── 7 ~sample
// └─ 3 assistant
ConversationTree sample() {
  return ConversationTree({node(7, 5, Role::Assistant, NodeKind::Continuation), node(1, std::nullopt, Role::User),
                           node(3, 1, Role::Assistant), node(2, 1, Role::Assistant), node(4, 2, Role::User),
                           node(5, 2, Role::User, NodeKind::Continuation), node(6, 4, Role::Assistant)});
}

} // namespace

class TestConversationTree : public QObject {
  Q_OBJECT
private slots:
  void childrenKeepIdOrder() {
    const auto tree = sample();
    QCOMPARE(tree.roots(), std::vector<NodeId>{1});
    QCOMPARE(tree.children(1), (std::vector<NodeId>{2, 3}));
    QCOMPARE(tree.children(2), (std::vector<NodeId>{4, 5}));
    QCOMPARE(tree.turnChildren(2), std::vector<NodeId>{4});
    QCOMPARE(tree.siblings(3), (std::vector<NodeId>{2, 3}));
    QVERIFY(tree.children(6).empty());
  }

  void pathToRootAndMessages() {
    const auto tree = sample();
    QCOMPARE(tree.pathTo(6), (std::vector<NodeId>{1, 2, 4, 6}));
    const Messages messages = tree.messagesTo(4);
    QCOMPARE(messages.size(), std::size_t(3));
    QVERIFY(messages[1].role == Role::Assistant);
    QCOMPARE(QString::fromStdString(messages[2].content), QString("n4"));
  }

  void leavesAndDepthIgnoreContinuations() {
    const auto tree = sample();
    QCOMPARE(tree.turnLeaves(), (std::vector<NodeId>{6, 3}));
    QCOMPARE(tree.depth(), std::size_t(4));
  }

  void bestPathFollowsHighestScore() {
    const auto tree = sample();
    auto scores = [](NodeId id) -> std::optional<double> {
      if (id == 2) return 0.2;
      if (id == 3) return 0.9;
      return std::nullopt;
    };
    QCOMPARE(tree.bestPath(scores), (std::vector<NodeId>{1, 3}));
    auto flipped = [](NodeId id) -> std::optional<double> { return id == 2 ? std::optional(0.5) : std::nullopt; };
    QCOMPARE(tree.bestPath(flipped), (std::vector<NodeId>{1, 2, 4, 6}));
    // Unscored: the earlier child wins ties.
    QCOMPARE(tree.bestPath([](NodeId) { return std::optional<double>(); }), (std::vector<NodeId>{1, 2, 4, 6}));
  }

  void unknownNodeIsAnError() {
    const auto tree = sample();
    QVERIFY(tree.find(99) == nullptr);
    QVERIFY_THROWS_EXCEPTION(std::exception, tree.at(99));
  }
};

QTEST_APPLESS_MAIN(TestConversationTree)
#include "tst_conversation_tree.moc"
