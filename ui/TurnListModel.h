#pragma once

#include "conversation/Node.h"

#include <QAbstractListModel>
#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace collab::store {
class Project;
}

namespace collab::ui {

class TreeSnapshot;

// The parts of a turn's R* in one line, "task 0.610 · interactivity 0.778 · efficiency
// -0.021" (empty when it has none), for the reader's and the comparison's cards.
QString rewardBreakdown(const TreeSnapshot& snapshot, conversation::NodeId node);

// The turns of one path through a conversation tree, read top to bottom: by default the
// conversation as it went best (from the root, at every branching the alternative with
// the highest "MR" score), or the active path through the turn selected in the tree.
// Each row says where the tree branches ("2 of 3 alternatives") and how many futures were
// sampled below a turn, because those are what a multiturn-aware reward was computed from.
class TurnListModel : public QAbstractListModel {
  Q_OBJECT

public:
  enum Roles {
    NodeIdRole = Qt::UserRole + 1,
    RoleNameRole,         // "user", "assistant"...
    AuthorRole,           // "dataset:FILE", "policy:MODEL"...
    TextRole,             // the whole turn text (also Qt::DisplayRole)
    MrRole,               // double, invalid when the turn has no MR score
    MrStdRole,            // double, invalid when there is none
    AlternativeIndexRole, // 1-based position among the alternatives for this turn
    AlternativeCountRole, // how many alternatives the turn has (1: no branching)
    BranchLabelRole,      // "2 of 3 alternatives", empty without branching
    ContinuationCountRole, // sampled futures hanging below this turn
    BreakdownRole          // "task 0.61 · interactivity 0.78 · efficiency -0.02", empty without
  };
  static constexpr const char* kScoreKind = "MR";

  explicit TurnListModel(QObject* parent = nullptr);

  // Loads `tree` of `project` and shows its best path.
  void setTree(store::Project& project, conversation::TreeId tree);
  // Shows `path` (root first) of an already loaded tree.
  void setPath(const TreeSnapshot& snapshot, const std::vector<conversation::NodeId>& path);
  void clear();
  std::optional<conversation::TreeId> treeId() const { return treeId_; }
  // The row of a node on the path, or -1.
  int rowOf(conversation::NodeId node) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

private:
  struct Turn {
    conversation::NodeId id = 0;
    QString role, author, text;
    std::optional<double> mr, mrStd;
    QString breakdown;
    int alternativeIndex = 1, alternativeCount = 1, continuations = 0;
    bool future = false; // a message of a sampled continuation
  };

  std::optional<conversation::TreeId> treeId_;
  std::vector<Turn> turns_;
};

} // namespace collab::ui
