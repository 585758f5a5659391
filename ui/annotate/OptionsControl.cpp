#include "OptionsControl.h"

#include "annotation/Shortcut.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QShortcut>

#include <algorithm>

namespace collab::ui {

OptionsControl::OptionsControl(const annotation::LabelDefinition& label, QWidget* parent) : LabelControl(label, parent) {
  auto* row = new QHBoxLayout(body());
  row->setContentsMargins(0, 0, 0, 0);
  for (std::size_t i = 0; i < label.options.size(); ++i) {
    auto* button = new QPushButton(optionCaption(label.options[i]), body());
    button->setObjectName(QStringLiteral("option_") + QString::fromStdString(label.options[i].value));
    button->setCheckable(true);
    // Keys are the annotator's way in; buttons should not take focus from the text fields.
    button->setFocusPolicy(Qt::NoFocus);
    connect(button, &QPushButton::clicked, this, [this, i] { choose(i); });
    row->addWidget(button);
    buttons_.push_back(button);
  }
  row->addStretch(1);
}

void OptionsControl::load(const std::optional<annotation::Json>& value) {
  value_ = value ? *value : annotation::Json();
  for (std::size_t i = 0; i < buttons_.size(); ++i) {
    const annotation::Json option = annotation::optionValue(label(), label().options[i]);
    bool on = false;
    if (label().kind == annotation::LabelKind::MultiLabel)
      on = value_.is_array() && std::find(value_.begin(), value_.end(), option) != value_.end();
    else
      on = value_ == option || (value_.is_number() && option.is_number() && value_.get<double>() == option.get<double>());
    buttons_[i]->setChecked(on);
  }
}

void OptionsControl::choose(std::size_t index) {
  const annotation::LabelOption& option = label().options[index];
  if (label().kind == annotation::LabelKind::MultiLabel) {
    const annotation::Json toggled = annotation::toggledOption(value_, option.value);
    load(toggled);
    if (toggled.empty()) emit cleared();
    else emit answered(toggled);
    return;
  }
  const annotation::Json chosen = annotation::optionValue(label(), option);
  const bool takeBack = value_ == chosen || (value_.is_number() && value_.get<double>() == chosen.get<double>());
  load(takeBack ? std::nullopt : std::optional(chosen));
  if (takeBack) emit cleared();
  else emit answered(chosen);
}

void OptionsControl::addShortcuts(QWidget* scope) {
  for (std::size_t i = 0; i < label().options.size(); ++i) {
    const auto key = annotation::normalizeShortcut(label().options[i].shortcut);
    if (!key) continue;
    auto* shortcut = new QShortcut(QKeySequence(QString::fromStdString(*key), QKeySequence::PortableText), scope);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    // Owned by the scope but tied to this control: deleted with it at once, since two
    // shortcuts on one key (old and new controls) would be ambiguous and neither would fire.
    connect(this, &QObject::destroyed, shortcut, [shortcut] { delete shortcut; });
    connect(shortcut, &QShortcut::activated, this, [this, i] {
      if (acceptsKeys()) choose(i);
    });
  }
}

} // namespace collab::ui
