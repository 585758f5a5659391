#include "TraitEditor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QSlider>

#include <cmath>

namespace collab::ui {

namespace {

constexpr int kSteps = 100; // sliders move in hundredths

QString text(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString extraText(const std::map<std::string, std::string>& extra) {
  QStringList lines;
  for (const auto& [name, value] : extra) lines << QString::fromStdString(name) + QStringLiteral(": ") + QString::fromStdString(value);
  return lines.join(QLatin1Char('\n'));
}

// "name: value" per line; a line without a colon is a name with an empty value, and a
// line with an empty name is kept so that validation reports it.
std::map<std::string, std::string> parseExtra(const QString& text) {
  std::map<std::string, std::string> extra;
  for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
    const qsizetype colon = line.indexOf(QLatin1Char(':'));
    const QString name = (colon < 0 ? line : line.left(colon)).trimmed();
    const QString value = colon < 0 ? QString() : line.mid(colon + 1).trimmed();
    extra[name.toStdString()] = value.toStdString();
  }
  return extra;
}

} // namespace

TraitEditor::TraitEditor(QWidget* parent)
    : QWidget(parent), extra_(new QPlainTextEdit(this)) {
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  for (const auto& trait : persona::numericTraits()) addNumeric(trait, form);
  tone_ = addCategorical(persona::kToneTrait, persona::toneNames(), form);
  disclosure_ = addCategorical(persona::kDisclosureTrait, persona::disclosureNames(), form);
  fluency_ = addCategorical(persona::kFluencyTrait, persona::fluencyNames(), form);
  extra_->setObjectName(QStringLiteral("trait_extra"));
  extra_->setPlaceholderText(tr("Free traits, one per line: domain: databases"));
  extra_->setFixedHeight(extra_->fontMetrics().lineSpacing() * 3 + 12);
  form->addRow(tr("extra"), extra_);
  connect(extra_, &QPlainTextEdit::textChanged, this, [this] {
    if (!loading_) emit edited();
  });
}

void TraitEditor::addNumeric(const persona::NumericTrait& trait, QFormLayout* form) {
  auto* slider = new QSlider(Qt::Horizontal, this);
  slider->setObjectName(QStringLiteral("trait_") + text(trait.name));
  slider->setRange(0, kSteps);
  slider->setToolTip(tr("%1\n0: %2\n1: %3").arg(text(trait.meaning), text(trait.low), text(trait.high)));
  auto* value = new QLabel(this);
  value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("0.00 ")));
  auto* row = new QHBoxLayout;
  row->addWidget(slider, 1);
  row->addWidget(value);
  form->addRow(text(trait.name), row);
  numeric_.push_back({&trait, slider, value});
  connect(slider, &QSlider::valueChanged, this, [this, value](int position) {
    value->setText(QString::number(position / double(kSteps), 'f', 2));
    if (!loading_) emit edited();
  });
}

QComboBox* TraitEditor::addCategorical(std::string_view name, const std::vector<std::string_view>& values,
                                       QFormLayout* form) {
  auto* combo = new QComboBox(this);
  combo->setObjectName(QStringLiteral("trait_") + text(name));
  for (auto value : values) combo->addItem(text(value));
  form->addRow(text(name), combo);
  connect(combo, &QComboBox::currentIndexChanged, this, [this] {
    if (!loading_) emit edited();
  });
  return combo;
}

void TraitEditor::setTraits(const persona::Traits& traits) {
  loading_ = true;
  loaded_ = traits;
  for (const auto& numeric : numeric_) {
    // Sliders move in hundredths; a value between steps shows its nearest step.
    numeric.slider->setValue(static_cast<int>(std::lround(traits.*(numeric.trait->field) * kSteps)));
    numeric.value->setText(QString::number(numeric.slider->value() / double(kSteps), 'f', 2));
  }
  tone_->setCurrentIndex(static_cast<int>(traits.tone));
  disclosure_->setCurrentIndex(static_cast<int>(traits.disclosure));
  fluency_->setCurrentIndex(static_cast<int>(traits.fluency));
  extra_->setPlainText(extraText(traits.extra));
  loading_ = false;
}

persona::Traits TraitEditor::traits() const {
  persona::Traits traits;
  for (const auto& numeric : numeric_) {
    // A slider left where the loaded value put it keeps that value exactly (0.333 stays
    // 0.333), so looking at a persona never changes it.
    const double loaded = loaded_.*(numeric.trait->field);
    const bool moved = numeric.slider->value() != static_cast<int>(std::lround(loaded * kSteps));
    traits.*(numeric.trait->field) = moved ? numeric.slider->value() / double(kSteps) : loaded;
  }
  traits.tone = static_cast<persona::Tone>(tone_->currentIndex());
  traits.disclosure = static_cast<persona::Disclosure>(disclosure_->currentIndex());
  traits.fluency = static_cast<persona::Fluency>(fluency_->currentIndex());
  traits.extra = parseExtra(extra_->toPlainText());
  return traits;
}

QSlider* TraitEditor::slider(std::string_view trait) const {
  for (const auto& numeric : numeric_)
    if (numeric.trait->name == trait) return numeric.slider;
  return nullptr;
}

QComboBox* TraitEditor::combo(std::string_view trait) const {
  if (trait == persona::kToneTrait) return tone_;
  if (trait == persona::kDisclosureTrait) return disclosure_;
  if (trait == persona::kFluencyTrait) return fluency_;
  return nullptr;
}

} // namespace collab::ui
