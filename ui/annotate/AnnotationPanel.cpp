#include "AnnotationPanel.h"

#include "AnnotatorIdentity.h"
#include "LabelControl.h"
#include "LabelSchemaDialog.h"
#include "annotation/AnnotationQueue.h"
#include "annotation/AnnotatorSession.h"
#include "annotation/LabelSchemaStore.h"
#include "io/LoadedTree.h"
#include "store/Project.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QTabBar>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace collab::ui {

namespace {

using annotation::AnnotationItem;
using annotation::LabelLevel;

// A note is saved this long after the last key, and whenever the item changes.
constexpr int kNoteDelayMs = 700;

QString paragraph(const QString& who, const std::string& text, const char* colour) {
  return QStringLiteral("<p><b style=\"color:%1\">%2</b><br>%3</p>")
      .arg(QLatin1String(colour), who, QString::fromStdString(text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

QString roleName(conversation::Role role) {
  return role == conversation::Role::User ? QObject::tr("User") : role == conversation::Role::Assistant ? QObject::tr("Assistant") : QObject::tr("System");
}

} // namespace

AnnotationPanel::AnnotationPanel(QWidget* parent)
    : QWidget(parent), who_(new QLabel(this)), levelBar_(new QTabBar(this)), queue_(new QCheckBox(tr("&Queue mode"), this)),
      next_(new QPushButton(tr("Next unannotated"), this)), progress_(new QLabel(this)), error_(new QLabel(this)),
      itemView_(new QTextBrowser(this)), controlsBox_(new QWidget), controlsLayout_(new QVBoxLayout(controlsBox_)),
      note_(new QPlainTextEdit(this)), noteDelay_(new QTimer(this)) {
  setObjectName(QStringLiteral("annotationPanel"));
  setFocusPolicy(Qt::StrongFocus); // so the option shortcuts work as soon as the panel is clicked
  who_->setObjectName(QStringLiteral("annotatorName"));
  progress_->setObjectName(QStringLiteral("annotationProgress"));
  error_->setObjectName(QStringLiteral("annotationError"));
  error_->setStyleSheet(QStringLiteral("color:#b00020"));
  error_->setWordWrap(true);
  itemView_->setObjectName(QStringLiteral("annotationItem"));
  itemView_->setMinimumHeight(90);
  note_->setObjectName(QStringLiteral("annotationNote"));
  note_->setPlaceholderText(tr("Note (for you and whoever reads the annotations)"));
  note_->setFixedHeight(note_->fontMetrics().lineSpacing() * 3 + 12);
  levelBar_->addTab(tr("Turn"));
  levelBar_->addTab(tr("Conversation"));
  next_->setToolTip(tr("Next item you have not annotated (Ctrl+Return)"));
  queue_->setToolTip(tr("Move on by itself once every single-choice label of the item is answered"));

  auto* change = new QPushButton(tr("Change…"), this);
  auto* whoRow = new QHBoxLayout;
  whoRow->addWidget(who_, 1);
  whoRow->addWidget(change);
  auto* queueRow = new QHBoxLayout;
  queueRow->addWidget(levelBar_);
  queueRow->addStretch(1);
  queueRow->addWidget(queue_);
  queueRow->addWidget(next_);

  controlsLayout_->setContentsMargins(4, 0, 4, 0);
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setWidget(controlsBox_);
  scroll->setFrameShape(QFrame::NoFrame);

  auto* schemaButton = new QPushButton(tr("Label schema…"), this);
  schemaButton->setObjectName(QStringLiteral("editSchema"));
  auto* agreementButton = new QPushButton(tr("Agreement…"), this);
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(schemaButton);
  bottom->addWidget(agreementButton);
  bottom->addStretch(1);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(whoRow);
  layout->addLayout(queueRow);
  layout->addWidget(progress_);
  // The labels get most of the height: they are what the annotator works with.
  layout->addWidget(itemView_, 2);
  layout->addWidget(error_);
  layout->addWidget(scroll, 5);
  layout->addWidget(note_);
  layout->addLayout(bottom);

  noteDelay_->setSingleShot(true);
  noteDelay_->setInterval(kNoteDelayMs);
  connect(noteDelay_, &QTimer::timeout, this, &AnnotationPanel::saveNote);
  connect(note_, &QPlainTextEdit::textChanged, this, [this] {
    noteDirty_ = true;
    noteDelay_->start();
  });
  connect(levelBar_, &QTabBar::currentChanged, this,
          [this](int index) { setLevel(index == 0 ? LabelLevel::Turn : LabelLevel::Conversation); });
  connect(change, &QPushButton::clicked, this, &AnnotationPanel::changeAnnotator);
  connect(next_, &QPushButton::clicked, this, [this] { goToNextUnannotated(); });
  connect(schemaButton, &QPushButton::clicked, this, &AnnotationPanel::editSchema);
  connect(agreementButton, &QPushButton::clicked, this, &AnnotationPanel::agreementRequested);
  auto* nextKey = new QShortcut(QKeySequence(QStringLiteral("Ctrl+Return")), this, this, [this] { goToNextUnannotated(); });
  nextKey->setContext(Qt::WidgetWithChildrenShortcut);

  annotator_ = AnnotatorIdentity::current();
  setProject(nullptr);
}

AnnotationPanel::~AnnotationPanel() = default;

void AnnotationPanel::setProject(store::Project* project) {
  flush();
  project_ = project;
  tree_.reset();
  turn_.reset();
  resetSession();
}

void AnnotationPanel::flush() {
  if (noteDirty_) saveNote();
}

void AnnotationPanel::resetSession() {
  session_.reset();
  error_->clear();
  if (project_) {
    try {
      session_ = std::make_unique<annotation::AnnotatorSession>(*project_, annotator_.toStdString());
    } catch (const std::exception& e) { // an unreadable stored schema, or no annotator name
      error_->setText(QString::fromStdString(e.what()));
    }
  }
  who_->setText(tr("Annotating as <b>%1</b>").arg(annotator_.toHtmlEscaped()));
  buildControls();
  loadItem();
}

void AnnotationPanel::setAnnotator(const QString& name) {
  if (name.trimmed().isEmpty()) return;
  flush();
  annotator_ = name.trimmed();
  AnnotatorIdentity::set(annotator_);
  resetSession();
}

void AnnotationPanel::changeAnnotator() {
  bool ok = false;
  const QString name = QInputDialog::getText(this, tr("Annotator"), tr("Your name, as it goes with every annotation:"),
                                             QLineEdit::Normal, annotator_, &ok);
  if (ok) setAnnotator(name);
}

void AnnotationPanel::reloadSchema() { resetSession(); }

void AnnotationPanel::editSchema() {
  if (!project_) return;
  LabelSchemaDialog dialog(annotation::currentLabelSchema(*project_), this);
  if (dialog.exec() != QDialog::Accepted) return;
  try {
    annotation::saveLabelSchema(*project_, dialog.schema());
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Label schema"), QString::fromStdString(e.what()));
    return;
  }
  reloadSchema();
}

void AnnotationPanel::buildControls() {
  for (LabelControl* control : controls_) delete control;
  controls_.clear();
  while (QLayoutItem* item = controlsLayout_->takeAt(0)) delete item;
  if (session_)
    for (const annotation::LabelDefinition* label : session_->schema().atLevel(level_)) {
      LabelControl* control = createLabelControl(*label, controlsBox_);
      control->addShortcuts(this);
      connect(control, &LabelControl::answered, this, [this, control](const annotation::Json& value) { answer(control, value); });
      connect(control, &LabelControl::cleared, this, [this, control] { answer(control, std::nullopt); });
      controlsLayout_->addWidget(control);
      controls_.push_back(control);
    }
  controlsLayout_->addStretch(1);
}

void AnnotationPanel::setLevel(LabelLevel level) {
  if (level == level_) return;
  flush();
  level_ = level;
  {
    const QSignalBlocker block(levelBar_);
    levelBar_->setCurrentIndex(level == LabelLevel::Turn ? 0 : 1);
  }
  buildControls();
  loadItem();
}

std::optional<conversation::NodeId> AnnotationPanel::firstAssistantTurn(conversation::TreeId tree) const {
  for (const auto& node : project_->nodes().ofTree(tree))
    if (node.kind == conversation::NodeKind::Turn && node.role == conversation::Role::Assistant) return node.id;
  return std::nullopt;
}

void AnnotationPanel::showItem(conversation::TreeId tree, std::optional<conversation::NodeId> turn) {
  flush();
  tree_ = tree;
  turn_ = turn;
  loadItem();
}

std::optional<AnnotationItem> AnnotationPanel::currentItem() const {
  if (!tree_) return std::nullopt;
  if (level_ == LabelLevel::Conversation) return AnnotationItem::conversation(*tree_);
  if (!turn_) return std::nullopt;
  return AnnotationItem::turn(*tree_, *turn_);
}

// Ranking and pairwise labels belong to the turn the candidates answer (AnnotationItem.h).
AnnotationItem AnnotationPanel::itemFor(const LabelControl* control) const {
  const AnnotationItem item = *currentItem();
  if (!annotation::judgesCandidates(control->label().kind) || !item.node) return item;
  const auto node = project_->nodes().find(*item.node);
  if (!node || !node->parentId) return item; // no candidates to judge: the session refuses it
  return AnnotationItem::turn(item.tree, *node->parentId);
}

void AnnotationPanel::loadItem() {
  if (project_ && tree_ && level_ == LabelLevel::Turn && !turn_) turn_ = firstAssistantTurn(*tree_);
  showItemText();
  const auto item = currentItem();
  std::vector<Candidate> candidates;
  std::optional<conversation::NodeId> parent;
  if (item && item->node)
    if (const auto node = project_->nodes().find(*item->node); node && node->parentId) {
      parent = node->parentId;
      for (const auto& sibling : project_->nodes().children(*parent))
        if (sibling.kind == conversation::NodeKind::Turn) candidates.push_back({sibling.id, QString::fromStdString(sibling.content)});
    }
  for (LabelControl* control : controls_) {
    control->setEnabled(item && session_);
    const bool group = annotation::judgesCandidates(control->label().kind);
    if (group) control->setCandidates(parent ? candidates : std::vector<Candidate>{});
    if (!item || !session_ || (group && !parent)) {
      control->load(std::nullopt);
      continue;
    }
    control->load(session_->value(itemFor(control), control->label().name));
  }
  {
    const QSignalBlocker block(note_);
    note_->setPlainText(item && session_ ? QString::fromStdString(session_->note(*item)) : QString());
    note_->setEnabled(item && session_);
  }
  noteDirty_ = false;
  noteItemTree_ = item ? std::optional(item->tree) : std::nullopt;
  noteItemNode_ = item ? item->node : std::nullopt;
  refreshProgress();
}

void AnnotationPanel::showItemText() {
  if (!project_) return itemView_->setHtml(tr("<i>No project open.</i>"));
  if (!tree_) return itemView_->setHtml(tr("<i>Select a conversation, or press Next unannotated.</i>"));
  const auto record = project_->trees().find(*tree_);
  if (!record) return itemView_->setHtml(tr("<i>Conversation %1 is not in the project.</i>").arg(*tree_));
  QString html = QStringLiteral("<p style=\"color:#666\">%1</p>")
                     .arg(tr("Conversation %1 · %2").arg(*tree_).arg(QString::fromStdString(record->title).toHtmlEscaped()));
  if (level_ == LabelLevel::Conversation) {
    // The conversation as the turn panel shows it: its best path by MR.
    const io::LoadedTree loaded = io::LoadedTree::load(*project_, *record);
    for (conversation::NodeId id : loaded.bestPath("MR"))
      html += paragraph(roleName(loaded.tree.at(id).role), loaded.tree.at(id).content, "#333");
    return itemView_->setHtml(html);
  }
  if (!turn_) return itemView_->setHtml(html + tr("<i>This conversation has no assistant turn.</i>"));
  const auto node = project_->nodes().find(*turn_);
  if (!node) return itemView_->setHtml(html);
  if (node->parentId)
    if (const auto parent = project_->nodes().find(*node->parentId))
      html += paragraph(roleName(parent->role), parent->content, "#777");
  html += paragraph(roleName(node->role) + tr(" · turn %1").arg(node->id), node->content, "#1a5fb4");
  itemView_->setHtml(html);
}

void AnnotationPanel::answer(LabelControl* control, const std::optional<annotation::Json>& value) {
  if (!session_ || !currentItem()) return;
  error_->clear();
  try {
    if (value) session_->set(itemFor(control), control->label().name, *value);
    else session_->clear(itemFor(control), control->label().name);
  } catch (const std::exception& e) {
    error_->setText(QString::fromStdString(e.what()));
    control->load(session_->value(itemFor(control), control->label().name));
    return;
  }
  refreshProgress();
  emit annotationsChanged();
  // Moving on is deferred: the control that answered is destroyed by a level change.
  if (value && queueMode() && itemComplete()) QTimer::singleShot(0, this, [this] { goToNextUnannotated(); });
}

// Done for the queue: every label or rating of the level answered (ranking, pairwise and
// free text are optional extras); with none in the schema, any answer will do.
bool AnnotationPanel::itemComplete() const {
  for (const LabelControl* control : controls_) {
    const auto kind = control->label().kind;
    if (kind != annotation::LabelKind::Label && kind != annotation::LabelKind::Rating) continue;
    if (!session_->value(itemFor(control), control->label().name)) return false;
  }
  return true;
}

bool AnnotationPanel::goToNextUnannotated() {
  if (!project_ || !session_) return false;
  flush();
  const auto next = annotation::nextUnannotated(*project_, session_->schema(), level_, annotator_.toStdString(), currentItem());
  if (!next) {
    progress_->setText(progressText() + tr(" — all done"));
    return false;
  }
  tree_ = next->tree;
  turn_ = next->node;
  loadItem();
  emit itemShown(next->tree, next->node);
  return true;
}

void AnnotationPanel::setQueueMode(bool on) { queue_->setChecked(on); }
bool AnnotationPanel::queueMode() const { return queue_->isChecked(); }

QString AnnotationPanel::progressText() const { return progress_->text(); }
QString AnnotationPanel::errorText() const { return error_->text(); }

void AnnotationPanel::refreshProgress() {
  if (!project_ || !session_) return progress_->clear();
  const auto progress = annotation::queueProgress(*project_, session_->schema(), level_, annotator_.toStdString());
  progress_->setText(level_ == LabelLevel::Turn ? tr("%1 of %2 assistant turns annotated").arg(progress.annotated).arg(progress.total)
                                                : tr("%1 of %2 conversations annotated").arg(progress.annotated).arg(progress.total));
}

void AnnotationPanel::saveNote() {
  noteDelay_->stop();
  if (!noteDirty_ || !session_ || !noteItemTree_) return;
  noteDirty_ = false;
  try {
    session_->setNote({*noteItemTree_, noteItemNode_}, note_->toPlainText().trimmed().toStdString());
  } catch (const std::exception& e) {
    error_->setText(QString::fromStdString(e.what()));
  }
}

LabelControl* AnnotationPanel::control(const QString& label) const {
  for (LabelControl* control : controls_)
    if (QString::fromStdString(control->label().name) == label) return control;
  return nullptr;
}

} // namespace collab::ui
