#include "LabelControl.h"

#include "FreeTextControl.h"
#include "OptionsControl.h"
#include "PairwiseControl.h"
#include "RankingControl.h"
#include "annotation/Shortcut.h"

#include <QLabel>
#include <QVBoxLayout>

namespace collab::ui {

LabelControl::LabelControl(annotation::LabelDefinition label, QWidget* parent)
    : QWidget(parent), label_(std::move(label)), title_(new QLabel(this)), unavailable_(new QLabel(this)),
      body_(new QWidget(this)) {
  setObjectName(QStringLiteral("label_") + QString::fromStdString(label_.name));
  QString title = QStringLiteral("<b>%1</b>").arg(QString::fromStdString(label_.name).toHtmlEscaped());
  if (!label_.description.empty())
    title += QStringLiteral(" <span style=\"color:#666\">— %1</span>").arg(QString::fromStdString(label_.description).toHtmlEscaped());
  title_->setText(title);
  title_->setWordWrap(true);
  unavailable_->setStyleSheet(QStringLiteral("color:#777; font-style:italic"));
  unavailable_->setWordWrap(true);
  unavailable_->hide();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 4);
  layout->setSpacing(2);
  layout->addWidget(title_);
  layout->addWidget(unavailable_);
  layout->addWidget(body_);
}

void LabelControl::setUnavailable(const QString& why) {
  available_ = why.isEmpty();
  unavailable_->setText(why);
  unavailable_->setVisible(!why.isEmpty());
  body_->setVisible(why.isEmpty());
}

QString optionCaption(const annotation::LabelOption& option) {
  const QString text = QString::fromStdString(option.text.empty() ? option.value : option.text);
  const auto key = annotation::normalizeShortcut(option.shortcut);
  if (!key) return text;
  return QStringLiteral("%1  (%2)").arg(text, QString::fromStdString(*key));
}

LabelControl* createLabelControl(const annotation::LabelDefinition& label, QWidget* parent) {
  switch (label.kind) {
  case annotation::LabelKind::Label:
  case annotation::LabelKind::MultiLabel:
  case annotation::LabelKind::Rating: return new OptionsControl(label, parent);
  case annotation::LabelKind::Ranking: return new RankingControl(label, parent);
  case annotation::LabelKind::Pairwise: return new PairwiseControl(label, parent);
  case annotation::LabelKind::FreeText: return new FreeTextControl(label, parent);
  }
  return nullptr;
}

} // namespace collab::ui
