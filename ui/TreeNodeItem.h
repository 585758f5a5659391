#pragma once

#include "conversation/Node.h"

#include <QColor>
#include <QGraphicsItem>
#include <QString>

#include <optional>
#include <utility>

namespace collab::ui {

// What a node card shows, worked out once by the scene (painting must stay cheap: a
// large tree repaints thousands of cards while it is panned).
struct NodeLook {
  conversation::NodeId id = 0;
  QString title;    // "Assistant", "User · future 2"
  QString excerpt;  // the turn's text on one line
  QString score;    // "MR 0.734", empty without a score
  QColor fill;      // by the chosen score
  QColor accent;    // by role
  bool continuation = false;
  bool chosen = false, rejected = false;
  int hiddenBelow = 0; // nodes hidden under a collapsed node
};

// One turn of the tree view: a card with its role, the start of its text and its score.
// Far out (a small level of detail) it is a plain coloured rectangle, so that panning a
// tree of thousands of nodes stays fluid.
class TreeNodeItem : public QGraphicsItem {
public:
  static constexpr double kWidth = 184;
  static constexpr double kHeight = 62;
  // Below this scale cards lose their text; below kBlockDetail their border too.
  static constexpr double kTextDetail = 0.45;
  static constexpr double kBlockDetail = 0.2;

  explicit TreeNodeItem(NodeLook look);

  // Off, every card is drawn in full at any zoom: the benchmark's peer, to measure what
  // the level of detail saves.
  static void setLevelOfDetail(bool on);

  conversation::NodeId nodeId() const { return look_.id; }
  const NodeLook& look() const { return look_; }

  QRectF boundingRect() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
  void paintCard(QPainter* painter) const;
  void paintBadges(QPainter* painter) const;

  NodeLook look_;
  mutable std::optional<std::pair<QString, QString>> lines_;
};

} // namespace collab::ui
