#pragma once

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace collab::store {
class Project;
}

namespace collab::ui {

class ChatPane;

// The demo: chat with a trained checkpoint about one task of the suite (its hidden goal
// shown to the presenter, who plays the user), or with two side by side — the same
// messages to both — to show what training changed (the trained model asks the question
// the base model skips). Each checkpoint answers from its own `collab chat` child. The
// conversation can be saved into the project, the presenter's turns authored "human:".
class ChatWindow : public QWidget {
  Q_OBJECT

public:
  ChatWindow(const QString& collabProgram, QWidget* parent = nullptr);

  // Offers the project's checkpoints (newest first).
  void setProject(store::Project* project);
  void setCheckpoints(const QString& left, const QString& right = {});
  void setTask(const QString& taskId);
  void start();
  void send(const QString& message);
  // Who types, as turn authors say it ("human:NAME").
  void setHumanAuthor(const QString& author) { humanAuthor_ = author; }
  // Saves the conversation(s) into the project, one tree with a branch per checkpoint;
  // the tree's id, or empty with `error` set.
  std::optional<qint64> saveToProject(QString* error = nullptr);
  QPushButton* saveButton() const { return save_; }
  ChatPane* left() const { return left_; }
  ChatPane* right() const { return right_; }
  bool sideBySide() const;

signals:
  void treeSaved(qint64 tree);

private:
  void updateSave();

  QComboBox* leftChoice_;
  QComboBox* rightChoice_;
  QCheckBox* sideBySide_;
  QLineEdit* task_;
  QLabel* goal_;
  QLineEdit* input_;
  QPushButton* send_;
  QPushButton* save_;
  QLabel* saved_;
  store::Project* project_ = nullptr;
  QString humanAuthor_ = QStringLiteral("human:presenter");
  ChatPane* left_;
  ChatPane* right_;
};

} // namespace collab::ui
