#include "PersonaEditor.h"

#include "PersonaForm.h"
#include "PersonaHistoryView.h"
#include "PersonaTrialView.h"
#include "common/Error.h"
#include "persona/PersonaJson.h"
#include "persona/PersonaVersions.h"
#include "store/Project.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <set>

namespace collab::ui {

namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

constexpr const char* kDraftMark = " •";

// A new persona starts valid: every required placeholder in a prompt that reads well.
persona::Persona starterPersona(const std::string& name) {
  persona::Persona p;
  p.name = name;
  p.description = "Describe who this user is and what they care about.";
  p.promptTemplate = "You are playing a user who came to an AI assistant for help. Stay in this role.\n\n"
                     "Who you are:\n{persona}\n\nWhat you want (only you know this):\n{goal}\n\n"
                     "The conversation so far:\n{history}\n\nReply as this user, in one message.";
  return p;
}

QPushButton* button(const QString& text, const QString& name, QWidget* parent) {
  auto* b = new QPushButton(text, parent);
  b->setObjectName(name);
  return b;
}

} // namespace

PersonaEditor::PersonaEditor(QWidget* parent)
    : QWidget(parent), list_(new QListWidget(this)), form_(new PersonaForm(this)), history_(new PersonaHistoryView(this)),
      trial_(new PersonaTrialView(this)), tabs_(new QTabWidget(this)), state_(new QLabel(this)),
      saveButton_(button(tr("&Save version"), QStringLiteral("personaSave"), this)),
      revertButton_(button(tr("Re&vert"), QStringLiteral("personaRevert"), this)) {
  setWindowTitle(tr("Personas"));
  list_->setObjectName(QStringLiteral("personaList"));
  state_->setObjectName(QStringLiteral("personaState"));

  auto* newButton = button(tr("&New"), QStringLiteral("personaNew"), this);
  auto* duplicateButton = button(tr("&Duplicate"), QStringLiteral("personaDuplicate"), this);
  auto* importButton = button(tr("&Import…"), QStringLiteral("personaImport"), this);
  auto* exportButton = button(tr("&Export…"), QStringLiteral("personaExport"), this);
  auto* listButtons = new QHBoxLayout;
  for (QPushButton* b : {newButton, duplicateButton}) listButtons->addWidget(b);
  auto* fileButtons = new QHBoxLayout;
  for (QPushButton* b : {importButton, exportButton}) fileButtons->addWidget(b);
  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(new QLabel(tr("Personas in this project"), left));
  leftLayout->addWidget(list_, 1);
  leftLayout->addLayout(listButtons);
  leftLayout->addLayout(fileButtons);

  tabs_->addTab(history_, tr("Version history"));
  tabs_->addTab(trial_, tr("Try it"));
  auto* saveRow = new QHBoxLayout;
  saveRow->addWidget(state_, 1);
  saveRow->addWidget(revertButton_);
  saveRow->addWidget(saveButton_);
  auto* right = new QSplitter(Qt::Vertical, this);
  auto* formBox = new QWidget(right);
  auto* formLayout = new QVBoxLayout(formBox);
  formLayout->setContentsMargins(0, 0, 0, 0);
  formLayout->addWidget(form_, 1);
  formLayout->addLayout(saveRow);
  right->addWidget(formBox);
  right->addWidget(tabs_);
  right->setStretchFactor(0, 3);
  right->setStretchFactor(1, 2);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(left);
  split->addWidget(right);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 5);
  split->setChildrenCollapsible(false);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);

  connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0) showPersona(list_->item(row)->data(Qt::UserRole).toString());
  });
  connect(form_, &PersonaForm::edited, this, &PersonaEditor::formEdited);
  connect(saveButton_, &QPushButton::clicked, this, [this] { report(save()); });
  connect(revertButton_, &QPushButton::clicked, this, &PersonaEditor::revert);
  connect(newButton, &QPushButton::clicked, this, [this] { report(newPersona()); });
  connect(duplicateButton, &QPushButton::clicked, this, [this] { report(duplicate()); });
  connect(importButton, &QPushButton::clicked, this, &PersonaEditor::chooseImport);
  connect(exportButton, &QPushButton::clicked, this, &PersonaEditor::chooseExport);
  connect(trial_, &PersonaTrialView::tryRequested, this, [this] { trial_->run(form_->persona()); });
  new QShortcut(QKeySequence::Save, this, this, [this] { report(save()); }, Qt::WidgetWithChildrenShortcut);
  setProject(nullptr);
}

void PersonaEditor::setProject(store::Project* project) {
  project_ = project;
  drafts_.clear();
  current_.clear();
  trial_->setConversation(nullptr, std::nullopt);
  reloadList({});
}

void PersonaEditor::setConversation(std::optional<conversation::TreeId> tree, std::optional<conversation::NodeId> turn) {
  trial_->setConversation(project_, tree, turn);
}

void PersonaEditor::reloadList(const QString& select) {
  std::set<std::string> names;
  if (project_)
    for (const auto& name : project_->personas().names()) names.insert(name);
  for (const auto& [name, draft] : drafts_) names.insert(name);
  {
    const QSignalBlocker block(list_);
    list_->clear();
    for (const auto& name : names) {
      const QString qname = QString::fromStdString(name);
      auto* item = new QListWidgetItem(qname + (drafts_.count(name) ? QString::fromUtf8(kDraftMark) : QString()), list_);
      item->setData(Qt::UserRole, qname);
    }
  }
  const QString target = select.isEmpty() && list_->count() > 0 ? list_->item(0)->data(Qt::UserRole).toString() : select;
  if (target.isEmpty() || !selectPersona(target)) {
    current_.clear();
    showing_ = true;
    form_->setPersona({});
    showing_ = false;
    form_->setEnabled(project_ != nullptr && list_->count() > 0);
    history_->clear();
    refreshState();
  }
}

bool PersonaEditor::selectPersona(const QString& name) {
  for (int row = 0; row < list_->count(); ++row)
    if (list_->item(row)->data(Qt::UserRole).toString() == name) {
      if (list_->currentRow() == row) showPersona(name);
      else list_->setCurrentRow(row); // shows it
      return true;
    }
  return false;
}

std::optional<persona::Persona> PersonaEditor::savedPersona(const std::string& name) const {
  if (!project_) return std::nullopt;
  const auto latest = project_->personas().latest(name);
  if (!latest) return std::nullopt;
  try {
    return persona::fromVersion(*latest);
  } catch (const Error&) { // unreadable traits: the form shows what can be read
    persona::Persona partial;
    partial.name = latest->name;
    partial.description = latest->description;
    partial.promptTemplate = latest->promptTemplate;
    return partial;
  }
}

void PersonaEditor::showPersona(const QString& name) {
  if (!current_.isEmpty() && current_ != name) keepDraft();
  current_ = name;
  const std::string key = name.toStdString();
  const auto draft = drafts_.find(key);
  showing_ = true;
  persona::Persona unsaved;
  unsaved.name = key;
  form_->setPersona(draft != drafts_.end() ? draft->second : savedPersona(key).value_or(unsaved));
  showing_ = false;
  form_->setEnabled(true);
  refreshHistory();
  refreshState();
}

// The form's content, kept as the draft of the persona it shows when it differs from
// what is saved (or when nothing is saved yet).
void PersonaEditor::keepDraft() {
  if (current_.isEmpty()) return;
  const persona::Persona edited = form_->persona();
  const auto saved = savedPersona(current_.toStdString());
  if (saved && *saved == edited && edited.name == current_.toStdString()) drafts_.erase(current_.toStdString());
  else drafts_[current_.toStdString()] = edited;
}

void PersonaEditor::formEdited() {
  if (showing_ || current_.isEmpty()) return;
  const bool wasDraft = isDraft(current_);
  keepDraft();
  if (wasDraft != isDraft(current_))
    for (int row = 0; row < list_->count(); ++row)
      if (list_->item(row)->data(Qt::UserRole).toString() == current_)
        list_->item(row)->setText(current_ + (isDraft(current_) ? QString::fromUtf8(kDraftMark) : QString()));
  refreshHistory();
  refreshState();
}

void PersonaEditor::refreshHistory() {
  if (!project_ || current_.isEmpty()) return history_->clear();
  const auto draft = drafts_.find(current_.toStdString());
  history_->showHistory(project_->personas().history(current_.toStdString()),
                        draft != drafts_.end() ? std::optional(draft->second) : std::nullopt);
}

void PersonaEditor::refreshState() {
  const bool draft = !current_.isEmpty() && isDraft(current_);
  const QStringList problems = current_.isEmpty() ? QStringList() : form_->problems();
  saveButton_->setEnabled(project_ && draft && problems.isEmpty());
  revertButton_->setEnabled(draft);
  if (current_.isEmpty()) state_->setText(project_ ? tr("No persona selected.") : tr("No project open."));
  else if (!problems.isEmpty()) state_->setText(tr("%n problem(s) to fix before saving.", nullptr, int(problems.size())));
  else if (draft) state_->setText(tr("Unsaved changes."));
  else state_->setText(tr("Saved as the latest version."));
}

QString PersonaEditor::save() {
  if (!project_ || current_.isEmpty()) return tr("Nothing to save.");
  const persona::Persona edited = form_->persona();
  try {
    const auto saved = persona::saveVersion(project_->personas(), edited);
    drafts_.erase(current_.toStdString());
    drafts_.erase(edited.name);
    current_.clear(); // the form holds what was saved: nothing to keep as a draft
    reloadList(QString::fromStdString(saved.version.name));
    return {};
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}

void PersonaEditor::revert() {
  if (current_.isEmpty()) return;
  const QString name = current_;
  drafts_.erase(name.toStdString());
  current_.clear();
  reloadList(savedPersona(name.toStdString()) ? name : QString());
}

QString PersonaEditor::uniqueName(const QString& base) const {
  auto taken = [&](const QString& name) {
    if (drafts_.count(name.toStdString())) return true;
    return project_ && project_->personas().latest(name.toStdString()).has_value();
  };
  if (!taken(base)) return base;
  for (int i = 2;; ++i)
    if (!taken(base + QStringLiteral("-%1").arg(i))) return base + QStringLiteral("-%1").arg(i);
}

QString PersonaEditor::addDraft(const persona::Persona& persona) {
  if (!project_) return tr("Open a project first.");
  keepDraft();
  drafts_[persona.name] = persona;
  current_.clear();
  reloadList(QString::fromStdString(persona.name));
  return {};
}

QString PersonaEditor::newPersona() {
  return addDraft(starterPersona(uniqueName(QStringLiteral("new-persona")).toStdString()));
}

QString PersonaEditor::duplicate() {
  if (current_.isEmpty()) return tr("Select a persona to duplicate.");
  persona::Persona copy = form_->persona();
  copy.name = uniqueName(current_ + QStringLiteral("-copy")).toStdString();
  return addDraft(copy);
}

// An imported persona becomes a draft under its own name: saving it makes it the next
// version of a persona of that name, or the first.
QString PersonaEditor::importFile(const QString& path) {
  try {
    return addDraft(persona::readPersonaFile(toPath(path)));
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}

QString PersonaEditor::exportFile(const QString& path) {
  if (current_.isEmpty()) return tr("Select a persona to export.");
  const persona::Persona edited = form_->persona();
  if (const QStringList problems = form_->problems(); !problems.isEmpty())
    return tr("The persona cannot be exported until its problems are fixed:\n%1").arg(problems.join(QLatin1Char('\n')));
  try {
    persona::writePersonaFile(toPath(path), edited);
    return {};
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}

void PersonaEditor::chooseImport() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Import persona"), {}, tr("Persona files (*.json);;All files (*)"));
  if (!path.isEmpty()) report(importFile(path));
}

void PersonaEditor::chooseExport() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export persona"), current_ + QStringLiteral(".json"),
                                                    tr("Persona files (*.json)"));
  if (!path.isEmpty()) report(exportFile(path));
}

void PersonaEditor::report(const QString& error) {
  if (!error.isEmpty()) QMessageBox::warning(this, tr("Personas"), error);
}

} // namespace collab::ui
