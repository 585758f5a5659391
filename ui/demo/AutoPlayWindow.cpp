#include "demo/AutoPlayWindow.h"

#include "demo/DemoAuthors.h"
#include "demo/DemoSaving.h"
#include "demo/PlayPane.h"
#include "demo/PlaySession.h"
#include "demo/ProjectCheckpoints.h"
#include "demo/TaskChooser.h"
#include "persona/PersonaJson.h"
#include "persona/PersonaVersions.h"
#include "store/Project.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <exception>

namespace collab::ui {

AutoPlayWindow::AutoPlayWindow(const QString& collabProgram, QWidget* parent)
    : QWidget(parent), leftChoice_(newCheckpointChoice()), rightChoice_(newCheckpointChoice()), task_(new TaskChooser),
      persona_(new QComboBox), seed_(new QSpinBox), exchanges_(new QSpinBox), goal_(new QLabel),
      playButton_(new QPushButton(tr("Play"))), saveButton_(new QPushButton(tr("Save to project"))), saved_(new QLabel),
      left_(new PlayPane(collabProgram)), right_(new PlayPane(collabProgram)) {
  setObjectName(QStringLiteral("autoPlayWindow"));
  setWindowTitle(tr("Demo: auto-play against two checkpoints"));
  persona_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  seed_->setRange(0, 1'000'000);
  seed_->setToolTip(tr("Seed of the simulated user and of both policies' sampling: the same for both sides"));
  exchanges_->setRange(1, 20);
  exchanges_->setValue(6);
  exchanges_->setToolTip(tr("Assistant turns at most, if the user has not ended the chat before"));
  goal_->setWordWrap(true);
  goal_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  saved_->setStyleSheet(QStringLiteral("color: gray"));
  auto* browseLeft = new QPushButton(tr("Browse…"));
  auto* browseRight = new QPushButton(tr("Browse…"));

  auto* choices = new QGridLayout;
  choices->addWidget(new QLabel(tr("Checkpoint A")), 0, 0);
  choices->addWidget(leftChoice_, 0, 1, 1, 3);
  choices->addWidget(browseLeft, 0, 4);
  choices->addWidget(new QLabel(tr("Checkpoint B")), 1, 0);
  choices->addWidget(rightChoice_, 1, 1, 1, 3);
  choices->addWidget(browseRight, 1, 4);
  choices->addWidget(new QLabel(tr("Task")), 2, 0);
  choices->addWidget(task_, 2, 1, 1, 4);
  choices->addWidget(new QLabel(tr("Simulated user")), 3, 0);
  auto* user = new QHBoxLayout;
  user->addWidget(persona_);
  user->addSpacing(12);
  user->addWidget(new QLabel(tr("Seed")));
  user->addWidget(seed_);
  user->addSpacing(12);
  user->addWidget(new QLabel(tr("Max exchanges")));
  user->addWidget(exchanges_);
  user->addStretch(1);
  choices->addLayout(user, 3, 1, 1, 3);
  choices->addWidget(playButton_, 3, 4);
  choices->setColumnStretch(1, 1);

  auto* panes = new QSplitter;
  panes->addWidget(left_);
  panes->addWidget(right_);
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(saved_, 1);
  bottom->addWidget(saveButton_);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(choices);
  layout->addWidget(goal_);
  layout->addWidget(panes, 1);
  layout->addLayout(bottom);
  resize(1200, 760);

  connect(browseLeft, &QPushButton::clicked, this, [this] {
    if (const QString dir = QFileDialog::getExistingDirectory(this, tr("Checkpoint A")); !dir.isEmpty()) leftChoice_->setCurrentText(dir);
  });
  connect(browseRight, &QPushButton::clicked, this, [this] {
    if (const QString dir = QFileDialog::getExistingDirectory(this, tr("Checkpoint B")); !dir.isEmpty()) rightChoice_->setCurrentText(dir);
  });
  connect(task_, &TaskChooser::taskChanged, this, &AutoPlayWindow::showGoal);
  connect(persona_, &QComboBox::currentIndexChanged, this, &AutoPlayWindow::showGoal);
  connect(playButton_, &QPushButton::clicked, this, &AutoPlayWindow::play);
  connect(saveButton_, &QPushButton::clicked, this, [this] {
    QString error;
    const auto tree = saveToProject(&error);
    saved_->setText(tree ? tr("Saved as conversation %1 in the project.").arg(*tree) : error);
  });
  for (PlayPane* pane : {left_, right_}) {
    connect(pane->session(), &PlaySession::finished, this, &AutoPlayWindow::updateButtons);
    connect(pane->session(), &PlaySession::failed, this, &AutoPlayWindow::updateButtons);
  }
  setProject(nullptr);
  showGoal();
}

void AutoPlayWindow::setProject(store::Project* project) {
  project_ = project;
  const QStringList paths = projectCheckpoints(project);
  refillCheckpointChoices({leftChoice_, rightChoice_}, paths);
  // The oldest checkpoint against the newest: usually the base against the trained one.
  if (paths.size() > 1 && rightChoice_->currentText() == leftChoice_->currentText()) leftChoice_->setCurrentIndex(paths.size() - 1);
  const QString persona = persona_->currentText();
  personas_ = demoPersonas(project);
  persona_->clear();
  for (const auto& p : personas_) persona_->addItem(p.label);
  if (!persona.isEmpty()) persona_->setCurrentText(persona);
  updateButtons();
}

void AutoPlayWindow::setCheckpoints(const QString& left, const QString& right) {
  leftChoice_->setCurrentText(left);
  rightChoice_->setCurrentText(right);
}

void AutoPlayWindow::showGoal() {
  const auto& task = task_->task();
  QString text = tr("<b>%1</b> (%2) — the user first says: “%3”<br>The user's hidden goal: <b>%4</b>")
                     .arg(task_->taskId().toHtmlEscaped(), QString::fromStdString(task.metric),
                          QString::fromStdString(task.firstUserMessage).toHtmlEscaped(), goalText(task).toHtmlEscaped());
  const int persona = persona_->currentIndex();
  if (persona >= 0 && persona < personas_.size())
    text += tr("<br>Simulated user: <i>%1</i>").arg(QString::fromStdString(personas_[persona].persona.description).toHtmlEscaped());
  goal_->setText(text);
}

QString AutoPlayWindow::personaFile(const DemoPersona& persona) {
  const QString path = personaFiles_.filePath(QStringLiteral("persona.json"));
  persona::writePersonaFile(path.toStdString(), persona.persona);
  return path;
}

void AutoPlayWindow::play() {
  if (leftChoice_->currentText().trimmed().isEmpty() || rightChoice_->currentText().trimmed().isEmpty()) {
    saved_->setText(tr("Choose two checkpoints (folders written by a training run) to play against each other."));
    return;
  }
  const int persona = persona_->currentIndex();
  played_.reset();
  PlaySettings settings;
  settings.taskId = task_->taskId();
  settings.seed = static_cast<quint64>(seed_->value());
  settings.maxExchanges = exchanges_->value();
  if (persona >= 0 && persona < personas_.size()) {
    played_ = personas_[persona];
    settings.personaFile = personaFile(*played_); // written once, read by both children
  }
  saved_->clear();
  settings.checkpoint = leftChoice_->currentText();
  left_->start(settings);
  settings.checkpoint = rightChoice_->currentText();
  right_->start(settings);
  updateButtons();
}

bool AutoPlayWindow::finished() const {
  return left_->session()->done() && right_->session()->done();
}

void AutoPlayWindow::updateButtons() {
  saveButton_->setEnabled(project_ && finished());
  saveButton_->setToolTip(project_ ? tr("Saves both conversations into the project as one tree, a branch per checkpoint")
                                   : tr("Open a project to save demo conversations into"));
}

std::optional<qint64> AutoPlayWindow::saveToProject(QString* error) {
  if (!finished()) {
    if (error) *error = tr("Both sides must finish playing before the pair is saved.");
    return std::nullopt;
  }
  simulate::DemoConversation demo;
  const PlaySettings& s = left_->session()->settings();
  demo.source = "demo:play";
  demo.task = demoTask(s.taskId);
  demo.title = tr("Auto-play: %1 vs %2 — %3")
                   .arg(QDir(s.checkpoint).dirName(), QDir(right_->session()->settings().checkpoint).dirName(), s.taskId)
                   .toStdString();
  std::string simulator = "simulator:rule";
  if (project_ && played_) {
    try {
      demo.persona = persona::saveVersion(project_->personas(), played_->persona).version; // no new version when unchanged
    } catch (const std::exception& e) {
      if (error) *error = tr("The persona %1 could not be saved: %2").arg(played_->label, QString::fromUtf8(e.what()));
      return std::nullopt;
    }
    simulator += "/" + demo.persona->name + "@v" + std::to_string(demo.persona->version);
  }
  QJsonArray summaries;
  for (PlayPane* pane : {left_, right_}) {
    simulate::DemoBranch branch = branchOf(pane->turns(), simulator);
    branch.taskScore = pane->session()->summary().value(QLatin1String("task_score")).toDouble();
    demo.branches.push_back(std::move(branch));
    QJsonObject summary = pane->session()->summary();
    summary.remove(QStringLiteral("event"));
    summary.insert(QStringLiteral("checkpoint"), pane->session()->settings().checkpoint);
    summaries.append(summary);
  }
  const QJsonObject metadata{{QStringLiteral("demo"), QStringLiteral("play")},
                             {QStringLiteral("seed"), QString::number(s.seed)},
                             {QStringLiteral("max_exchanges"), s.maxExchanges},
                             {QStringLiteral("summaries"), summaries}};
  demo.metadataJson = QJsonDocument(metadata).toJson(QJsonDocument::Compact).toStdString();
  const auto tree = saveDemo(project_, demo, error);
  if (tree) emit treeSaved(*tree);
  return tree;
}

} // namespace collab::ui
