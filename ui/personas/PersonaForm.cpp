#include "PersonaForm.h"

#include "TemplateEditor.h"
#include "TraitEditor.h"
#include "persona/Placeholders.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace collab::ui {

namespace {

QString placeholderSummary() {
  QStringList parts;
  for (const auto& placeholder : persona::placeholders())
    parts << QStringLiteral("<b>{%1}</b>%2").arg(QString::fromUtf8(placeholder.name.data(), placeholder.name.size()),
                                                  placeholder.required ? QStringLiteral("*") : QString());
  return QObject::tr("Placeholders: %1 (* required). Write {{ and }} for literal braces.").arg(parts.join(QStringLiteral(", ")));
}

} // namespace

PersonaForm::PersonaForm(QWidget* parent)
    : QWidget(parent), name_(new QLineEdit(this)), description_(new QPlainTextEdit(this)),
      traits_(new TraitEditor(this)), template_(new TemplateEditor(this)), problemList_(new QListWidget(this)),
      placeholderHelp_(new QLabel(placeholderSummary(), this)) {
  name_->setObjectName(QStringLiteral("personaName"));
  description_->setObjectName(QStringLiteral("personaDescription"));
  description_->setFixedHeight(description_->fontMetrics().lineSpacing() * 3 + 12);
  template_->setObjectName(QStringLiteral("personaTemplate"));
  problemList_->setObjectName(QStringLiteral("personaProblems"));
  // Messages wrap: each names its line and column, and all of it should be readable.
  problemList_->setWordWrap(true);
  problemList_->setTextElideMode(Qt::ElideNone);
  problemList_->setResizeMode(QListView::Adjust);
  problemList_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  problemList_->setMaximumHeight(problemList_->fontMetrics().lineSpacing() * 6 + 8);
  placeholderHelp_->setWordWrap(true);

  auto* identity = new QFormLayout;
  identity->addRow(tr("Name"), name_);
  identity->addRow(tr("Description"), description_);

  auto* traitBox = new QGroupBox(tr("Traits"), this);
  (new QVBoxLayout(traitBox))->addWidget(traits_);

  auto* templateBox = new QGroupBox(tr("Prompt template"), this);
  auto* templateLayout = new QVBoxLayout(templateBox);
  templateLayout->addWidget(placeholderHelp_);
  templateLayout->addWidget(template_, 1);
  templateLayout->addWidget(problemList_);

  auto* columns = new QSplitter(Qt::Horizontal, this);
  columns->addWidget(traitBox);
  columns->addWidget(templateBox);
  columns->setStretchFactor(0, 2);
  columns->setStretchFactor(1, 3);
  columns->setChildrenCollapsible(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(identity);
  layout->addWidget(columns, 1);

  connect(name_, &QLineEdit::textEdited, this, &PersonaForm::userEdited);
  connect(description_, &QPlainTextEdit::textChanged, this, &PersonaForm::userEdited);
  connect(template_, &QPlainTextEdit::textChanged, this, &PersonaForm::userEdited);
  connect(traits_, &TraitEditor::edited, this, &PersonaForm::userEdited);
  refreshProblems();
}

void PersonaForm::setPersona(const persona::Persona& persona) {
  loading_ = true;
  name_->setText(QString::fromStdString(persona.name));
  description_->setPlainText(QString::fromStdString(persona.description));
  traits_->setTraits(persona.traits);
  template_->setPlainText(QString::fromStdString(persona.promptTemplate));
  loading_ = false;
  refreshProblems();
}

persona::Persona PersonaForm::persona() const {
  persona::Persona persona;
  persona.name = name_->text().toStdString();
  persona.description = description_->toPlainText().toStdString();
  persona.traits = traits_->traits();
  persona.promptTemplate = template_->toPlainText().toStdString();
  return persona;
}

QStringList PersonaForm::problems() const {
  QStringList list;
  for (const auto& problem : persona::validate(persona())) list << QString::fromStdString(problem.message());
  return list;
}

void PersonaForm::userEdited() {
  if (loading_) return;
  refreshProblems();
  emit edited();
}

void PersonaForm::refreshProblems() {
  const QStringList list = problems();
  problemList_->clear();
  if (list.isEmpty()) {
    problemList_->addItem(tr("No problems: this persona can be saved and used."));
    problemList_->item(0)->setForeground(QColor(0x2e, 0x7d, 0x32));
    return;
  }
  for (const QString& problem : list) {
    auto* item = new QListWidgetItem(problem, problemList_);
    item->setToolTip(problem);
    item->setForeground(QColor(0xb0, 0x00, 0x20));
  }
}

} // namespace collab::ui
