#pragma once

#include "annotation/AnnotationItem.h"
#include "annotation/AnnotationValue.h"
#include "annotation/LabelKind.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabBar;
class QTextBrowser;
class QTimer;
class QVBoxLayout;

namespace collab::annotation {
class AnnotatorSession;
}
namespace collab::store {
class Project;
}

namespace collab::ui {

class LabelControl;

// Annotating the selected turn or conversation against the project's label schema: one
// control per label of the level (option buttons with their shortcuts, a ranking of the
// turn's candidates, an A/B comparison, free text), a note, who is annotating, how far
// they are (n of N), and a queue mode that moves on to the next item not yet annotated
// once every single-choice label of the item is answered.
//
// Every answer is written at once (one small transaction): nothing is lost if the
// workbench closes, and a copy of the project can be sent back as it is.
class AnnotationPanel : public QWidget {
  Q_OBJECT

public:
  explicit AnnotationPanel(QWidget* parent = nullptr);
  ~AnnotationPanel() override;

  // Saves the pending note, then shows `project` (null: none).
  void setProject(store::Project* project);
  // Writes what is pending (the note being typed); call before the project closes.
  void flush();

  void setAnnotator(const QString& name); // also kept in the settings
  QString annotator() const { return annotator_; }

  // The workbench selection: a conversation, and the turn selected in it if any. At turn
  // level without a turn, the conversation's first assistant turn is shown.
  void showItem(conversation::TreeId tree, std::optional<conversation::NodeId> turn);
  void setLevel(annotation::LabelLevel level);
  annotation::LabelLevel level() const { return level_; }
  std::optional<annotation::AnnotationItem> currentItem() const;

  // Moves to the next item this annotator has not annotated; false when none is left.
  bool goToNextUnannotated();
  void setQueueMode(bool on);
  bool queueMode() const;
  // Rereads the label schema (after it was edited) and rebuilds the controls.
  void reloadSchema();
  // Opens the schema editor; saving it reloads the panel.
  void editSchema();

  QString progressText() const;
  QString errorText() const;
  LabelControl* control(const QString& label) const;
  QPlainTextEdit* noteEdit() const { return note_; }
  QTextBrowser* itemView() const { return itemView_; }
  QTabBar* levelBar() const { return levelBar_; }

signals:
  // The panel moved to another item by itself (queue mode, Next).
  void itemShown(collab::conversation::TreeId tree, std::optional<collab::conversation::NodeId> turn);
  void annotationsChanged();
  void agreementRequested();

private:
  void buildControls();
  void loadItem();
  void showItemText();
  void answer(LabelControl* control, const std::optional<annotation::Json>& value);
  annotation::AnnotationItem itemFor(const LabelControl* control) const;
  bool itemComplete() const;
  void refreshProgress();
  void saveNote();
  void changeAnnotator();
  void resetSession();
  std::optional<conversation::NodeId> firstAssistantTurn(conversation::TreeId tree) const;

  store::Project* project_ = nullptr;
  std::unique_ptr<annotation::AnnotatorSession> session_;
  QString annotator_;
  annotation::LabelLevel level_ = annotation::LabelLevel::Turn;
  std::optional<conversation::TreeId> tree_;
  std::optional<conversation::NodeId> turn_;
  std::optional<conversation::NodeId> noteItemNode_;
  std::optional<conversation::TreeId> noteItemTree_;
  bool noteDirty_ = false;

  QLabel* who_;
  QTabBar* levelBar_;
  QCheckBox* queue_;
  QPushButton* next_;
  QLabel* progress_;
  QLabel* error_;
  QTextBrowser* itemView_;
  QWidget* controlsBox_;
  QVBoxLayout* controlsLayout_;
  std::vector<LabelControl*> controls_;
  QPlainTextEdit* note_;
  QTimer* noteDelay_;
};

} // namespace collab::ui
