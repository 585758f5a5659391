#pragma once

#include "TreeSnapshot.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QTextBrowser;

namespace collab::ui {

// Everything about the current turn: its full text (Markdown rendered), who wrote it
// (policy, simulated user with persona version, dataset, human), its tokens, where it
// sits in the tree, and the generation settings that produced it.
class TurnInspector : public QWidget {
  Q_OBJECT

public:
  explicit TurnInspector(QWidget* parent = nullptr);

  void showTurn(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<conversation::NodeId> node);

  QLabel* title() const { return title_; }
  QLabel* author() const { return author_; }
  QLabel* tokens() const { return tokens_; }
  QLabel* placement() const { return placement_; }
  QLabel* settings() const { return settings_; }
  QTextBrowser* text() const { return text_; }

private:
  void showNothing();
  QString placementOf(const TreeSnapshot& snapshot, const conversation::Node& node) const;

  QLabel* title_;
  QLabel* author_;
  QLabel* tokens_;
  QLabel* placement_;
  QLabel* settings_;
  QTextBrowser* text_;
};

} // namespace collab::ui
