#include "demo/ChatWindow.h"

#include "demo/ChatPane.h"
#include "demo/ChatSession.h"
#include "demo/DemoAuthors.h"
#include "demo/DemoSaving.h"
#include "demo/ProjectCheckpoints.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <exception>

namespace collab::ui {

ChatWindow::ChatWindow(const QString& collabProgram, QWidget* parent)
    : QWidget(parent), leftChoice_(newCheckpointChoice()), rightChoice_(newCheckpointChoice()),
      sideBySide_(new QCheckBox(tr("Side by side with"))), task_(new QLineEdit(QStringLiteral("documents/1/0"))),
      goal_(new QLabel), input_(new QLineEdit), send_(new QPushButton(tr("Send"))),
      save_(new QPushButton(tr("Save to project"))), saved_(new QLabel), left_(new ChatPane(collabProgram)),
      right_(new ChatPane(collabProgram)) {
  setObjectName(QStringLiteral("chatWindow"));
  setWindowTitle(tr("Demo: chat with a checkpoint"));
  task_->setToolTip(tr("The task the conversation is about: FAMILY/SEED/INDEX of the built-in suite"));
  goal_->setWordWrap(true);
  goal_->setText(tr("Choose a checkpoint (and a second one, side by side) and a task, then Start: the task's hidden goal shows here."));
  goal_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  input_->setObjectName(QStringLiteral("chatInput"));
  input_->setPlaceholderText(tr("Type as the user and press Enter"));
  auto* startButton = new QPushButton(tr("Start"));
  auto* browse = new QPushButton(tr("Browse…"));

  auto* choices = new QGridLayout;
  choices->addWidget(new QLabel(tr("Checkpoint")), 0, 0);
  choices->addWidget(leftChoice_, 0, 1);
  choices->addWidget(browse, 0, 2);
  choices->addWidget(sideBySide_, 1, 0);
  choices->addWidget(rightChoice_, 1, 1);
  choices->addWidget(new QLabel(tr("Task")), 2, 0);
  choices->addWidget(task_, 2, 1);
  choices->addWidget(startButton, 2, 2);
  choices->setColumnStretch(1, 1);

  auto* panes = new QSplitter;
  panes->addWidget(left_);
  panes->addWidget(right_);
  right_->setVisible(false);
  auto* inputRow = new QHBoxLayout;
  inputRow->addWidget(input_, 1);
  inputRow->addWidget(send_);
  auto* saveRow = new QHBoxLayout;
  saved_->setStyleSheet(QStringLiteral("color: gray"));
  saveRow->addWidget(saved_, 1);
  saveRow->addWidget(save_);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(choices);
  layout->addWidget(goal_);
  layout->addWidget(panes, 1);
  layout->addLayout(inputRow);
  layout->addLayout(saveRow);
  resize(1100, 720);

  connect(startButton, &QPushButton::clicked, this, &ChatWindow::start);
  connect(sideBySide_, &QCheckBox::toggled, right_, &QWidget::setVisible);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Checkpoint folder"));
    if (!dir.isEmpty()) leftChoice_->setCurrentText(dir);
  });
  connect(input_, &QLineEdit::returnPressed, send_, &QPushButton::click);
  connect(send_, &QPushButton::clicked, this, [this] {
    if (input_->text().trimmed().isEmpty()) return;
    send(input_->text().trimmed());
    input_->clear();
  });
  connect(save_, &QPushButton::clicked, this, [this] {
    QString error;
    const auto tree = saveToProject(&error);
    saved_->setText(tree ? tr("Saved as conversation %1 in the project.").arg(*tree) : error);
  });
  connect(left_->session(), &ChatSession::replied, this, &ChatWindow::updateSave);
  connect(left_->session(), &ChatSession::started, this, [this](const QJsonObject& task) {
    QStringList goal;
    const QJsonObject values = task.value(QLatin1String("goal")).toObject();
    for (auto it = values.begin(); it != values.end(); ++it) goal << it.key() + QStringLiteral(": ") + it.value().toString();
    goal_->setText(tr("<b>%1</b> (%2) — the user's hidden goal: %3")
                       .arg(task.value(QLatin1String("id")).toString(), task.value(QLatin1String("metric")).toString(),
                            goal.join(QStringLiteral(", ")).toHtmlEscaped()));
    if (input_->text().isEmpty()) input_->setText(task.value(QLatin1String("first_user_message")).toString());
  });
}

void ChatWindow::setProject(store::Project* project) {
  project_ = project;
  const QStringList paths = projectCheckpoints(project);
  refillCheckpointChoices({leftChoice_, rightChoice_}, paths);
  if (paths.size() > 1 && rightChoice_->currentText() == leftChoice_->currentText()) rightChoice_->setCurrentIndex(1);
  updateSave();
}

void ChatWindow::updateSave() {
  save_->setEnabled(project_ && left_->replies() > 0);
  save_->setToolTip(project_ ? tr("Saves the conversation into the project (side by side: one tree, a branch per checkpoint)")
                             : tr("Open a project to save demo conversations into"));
}

std::optional<qint64> ChatWindow::saveToProject(QString* error) {
  simulate::DemoConversation demo;
  demo.source = "demo:chat";
  const QString taskId = left_->session()->task().value(QLatin1String("id")).toString();
  try {
    demo.task = demoTask(taskId);
  } catch (const std::exception& e) {
    if (error) *error = tr("The task %1 is not one of the suite: %2").arg(taskId, QString::fromUtf8(e.what()));
    return std::nullopt;
  }
  QStringList names;
  QJsonArray checkpoints;
  for (ChatPane* pane : {left_, right_}) {
    if (pane == right_ && !sideBySide()) break;
    demo.branches.push_back(branchOf(pane->turns(), humanAuthor_.toStdString()));
    names << QDir(pane->session()->checkpoint()).dirName();
    checkpoints.append(pane->session()->checkpoint());
  }
  demo.title = tr("Chat: %1 — %2").arg(names.join(tr(" vs ")), taskId).toStdString();
  const QJsonObject metadata{{QStringLiteral("demo"), QStringLiteral("chat")}, {QStringLiteral("checkpoints"), checkpoints}};
  demo.metadataJson = QJsonDocument(metadata).toJson(QJsonDocument::Compact).toStdString();
  const auto tree = saveDemo(project_, demo, error);
  if (tree) emit treeSaved(*tree);
  return tree;
}

void ChatWindow::setCheckpoints(const QString& left, const QString& right) {
  leftChoice_->setCurrentText(left);
  rightChoice_->setCurrentText(right);
  sideBySide_->setChecked(!right.isEmpty());
}

void ChatWindow::setTask(const QString& taskId) {
  task_->setText(taskId);
}

bool ChatWindow::sideBySide() const {
  return sideBySide_->isChecked();
}

void ChatWindow::start() {
  input_->clear();
  saved_->clear();
  updateSave();
  goal_->clear();
  left_->start(leftChoice_->currentText(), task_->text().trimmed());
  if (sideBySide()) right_->start(rightChoice_->currentText(), task_->text().trimmed());
}

void ChatWindow::send(const QString& message) {
  left_->send(message);
  if (sideBySide()) right_->send(message);
}

} // namespace collab::ui
