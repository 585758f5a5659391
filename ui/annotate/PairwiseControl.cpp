#include "PairwiseControl.h"

#include "annotation/Shortcut.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace collab::ui {

namespace {
constexpr int kExcerpt = 400;

QLabel* candidateText(QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setWordWrap(true);
  label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  label->setTextFormat(Qt::PlainText);
  label->setFrameShape(QFrame::StyledPanel);
  label->setMargin(4);
  return label;
}
} // namespace

PairwiseControl::PairwiseControl(const annotation::LabelDefinition& label, QWidget* parent)
    : LabelControl(label, parent), a_(new QComboBox(body())), b_(new QComboBox(body())), aText_(candidateText(body())),
      bText_(candidateText(body())) {
  a_->setObjectName(QStringLiteral("pairA"));
  b_->setObjectName(QStringLiteral("pairB"));
  auto* grid = new QGridLayout;
  grid->addWidget(new QLabel(tr("A"), body()), 0, 0);
  grid->addWidget(a_, 0, 1);
  grid->addWidget(new QLabel(tr("B"), body()), 0, 2);
  grid->addWidget(b_, 0, 3);
  grid->addWidget(aText_, 1, 0, 1, 2);
  grid->addWidget(bText_, 1, 2, 1, 2);
  grid->setColumnStretch(1, 1);
  grid->setColumnStretch(3, 1);
  auto* verdicts = new QHBoxLayout;
  for (std::size_t i = 0; i < label.options.size(); ++i) {
    auto* button = new QPushButton(optionCaption(label.options[i]), body());
    button->setObjectName(QStringLiteral("verdict_") + QString::fromStdString(label.options[i].value));
    button->setCheckable(true);
    button->setFocusPolicy(Qt::NoFocus);
    connect(button, &QPushButton::clicked, this, [this, i] { giveVerdict(i); });
    verdicts->addWidget(button);
    buttons_.push_back(button);
  }
  verdicts->addStretch(1);
  auto* layout = new QVBoxLayout(body());
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(grid);
  layout->addLayout(verdicts);
  connect(a_, &QComboBox::currentIndexChanged, this, &PairwiseControl::showPair);
  connect(b_, &QComboBox::currentIndexChanged, this, &PairwiseControl::showPair);
  setUnavailable(tr("Needs a turn with two or more candidates."));
}

void PairwiseControl::setCandidates(const std::vector<Candidate>& candidates) {
  candidates_ = candidates;
  for (QComboBox* box : {a_, b_}) {
    const QSignalBlocker block(box);
    box->clear();
    for (const auto& candidate : candidates_) box->addItem(QStringLiteral("#%1").arg(candidate.id), QVariant::fromValue<qlonglong>(candidate.id));
  }
  {
    const QSignalBlocker block(b_);
    b_->setCurrentIndex(candidates_.size() >= 2 ? 1 : 0);
  }
  setUnavailable(isAnswerable() ? QString() : tr("Needs a turn with two or more candidates."));
  showPair();
}

void PairwiseControl::load(const std::optional<annotation::Json>& value) {
  value_ = value && value->is_array() ? *value : annotation::Json::array();
  showPair();
}

conversation::NodeId PairwiseControl::chosen(const QComboBox* box) const { return box->currentData().toLongLong(); }

void PairwiseControl::showPair() {
  auto textOf = [&](conversation::NodeId id) {
    for (const auto& candidate : candidates_)
      if (candidate.id == id) return candidate.text.left(kExcerpt);
    return QString();
  };
  aText_->setText(textOf(chosen(a_)));
  bText_->setText(textOf(chosen(b_)));
  const bool samePair = chosen(a_) == chosen(b_);
  const auto verdict = samePair ? std::nullopt : annotation::verdictOn(value_, chosen(a_), chosen(b_));
  for (std::size_t i = 0; i < buttons_.size(); ++i) {
    buttons_[i]->setEnabled(!samePair);
    buttons_[i]->setChecked(verdict && *verdict == label().options[i].value);
  }
}

void PairwiseControl::giveVerdict(std::size_t option) {
  if (!isAnswerable() || chosen(a_) == chosen(b_)) return showPair();
  value_ = annotation::withVerdict(value_, chosen(a_), chosen(b_), label().options[option].value);
  showPair();
  emit answered(value_);
}

void PairwiseControl::addShortcuts(QWidget* scope) {
  for (std::size_t i = 0; i < label().options.size(); ++i) {
    const auto key = annotation::normalizeShortcut(label().options[i].shortcut);
    if (!key) continue;
    auto* shortcut = new QShortcut(QKeySequence(QString::fromStdString(*key), QKeySequence::PortableText), scope);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(this, &QObject::destroyed, shortcut, [shortcut] { delete shortcut; });
    connect(shortcut, &QShortcut::activated, this, [this, i] {
      if (acceptsKeys()) giveVerdict(i);
    });
  }
}

} // namespace collab::ui
