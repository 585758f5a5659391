#pragma once

#include "conversation/Node.h"
#include "persona/Persona.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QSpinBox;
class QTextBrowser;
class QThread;

namespace collab::store {
class Project;
}

namespace collab::ui {

// "Try it": runs the rule-based simulator, driven by the persona being edited, on the
// conversation selected in the workbench, and shows its reply, its thought and the
// persona's prompt rendered for that conversation. The conversation is read on the UI
// thread, the simulation runs on a worker thread, and nothing is written to the project.
class PersonaTrialView : public QWidget {
  Q_OBJECT

public:
  explicit PersonaTrialView(QWidget* parent = nullptr);
  ~PersonaTrialView() override;

  // The conversation to try on (null project: none), up to `turn` or along its best path.
  void setConversation(store::Project* project, std::optional<conversation::TreeId> tree,
                       std::optional<conversation::NodeId> turn = std::nullopt);
  // Starts a trial of `persona`; the result replaces the output when it is ready.
  void run(const persona::Persona& persona);
  bool isRunning() const { return worker_ != nullptr; }

  QPushButton* tryButton() const { return try_; }
  QTextBrowser* output() const { return output_; }
  QSpinBox* seedBox() const { return seed_; }

signals:
  void tryRequested();
  void finished();

private:
  void showTarget();
  void showError(const QString& message);

  store::Project* project_ = nullptr;
  std::optional<conversation::TreeId> tree_;
  std::optional<conversation::NodeId> turn_;
  QLabel* target_;
  QPushButton* try_;
  QSpinBox* seed_;
  QTextBrowser* output_;
  QThread* worker_ = nullptr;
};

} // namespace collab::ui
