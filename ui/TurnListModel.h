#pragma once

#include "conversation/Node.h"

#include <QAbstractListModel>
#include <QString>

#include <optional>
#include <vector>

namespace collab::store {
class Project;
}

namespace collab::ui {

// The turns of one conversation as it went best: its path from the root, choosing at
// every branching the alternative with the highest "MR" score. Each row says where the
// tree branches ("2 of 3 alternatives") and how many futures were sampled below a turn,
// because those are what a multiturn-aware reward was computed from.
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
    ContinuationCountRole // sampled futures hanging below this turn
  };
  static constexpr const char* kScoreKind = "MR";

  explicit TurnListModel(QObject* parent = nullptr);

  // Loads `tree` of `project` (a few hundred nodes at most: one tree is small).
  void setTree(store::Project& project, conversation::TreeId tree);
  void clear();
  std::optional<conversation::TreeId> treeId() const { return treeId_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

private:
  struct Turn {
    conversation::NodeId id = 0;
    QString role, author, text;
    std::optional<double> mr, mrStd;
    int alternativeIndex = 1, alternativeCount = 1, continuations = 0;
  };

  std::optional<conversation::TreeId> treeId_;
  std::vector<Turn> turns_;
};

} // namespace collab::ui
