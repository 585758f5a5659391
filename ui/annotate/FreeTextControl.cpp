#include "FreeTextControl.h"

#include <QLineEdit>
#include <QVBoxLayout>

namespace collab::ui {

FreeTextControl::FreeTextControl(const annotation::LabelDefinition& label, QWidget* parent)
    : LabelControl(label, parent), edit_(new QLineEdit(body())) {
  edit_->setObjectName(QStringLiteral("freeText"));
  edit_->setClearButtonEnabled(true);
  auto* layout = new QVBoxLayout(body());
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit_);
  connect(edit_, &QLineEdit::editingFinished, this, &FreeTextControl::commit);
}

void FreeTextControl::load(const std::optional<annotation::Json>& value) {
  stored_ = value && value->is_string() ? QString::fromStdString(value->get<std::string>()) : QString();
  edit_->setText(stored_);
}

void FreeTextControl::commit() {
  const QString text = edit_->text().trimmed();
  if (text == stored_) return;
  stored_ = text;
  if (text.isEmpty()) emit cleared();
  else emit answered(annotation::Json(text.toStdString()));
}

} // namespace collab::ui
