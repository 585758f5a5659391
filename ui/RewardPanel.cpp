#include "RewardPanel.h"

#include "AlternativesBoxPlot.h"
#include "FuturesRewardPlot.h"
#include "NodeRewards.h"
#include "PathMrPlot.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace collab::ui {

namespace {

constexpr int kDetailsWidth = 270;

QString number(double value) { return QString::number(value, 'f', 3); }

QString prettyConfig(const reward::Score& score) {
  const auto json = nlohmann::json::parse(score.configJson, nullptr, false);
  const QString body = json.is_discarded() ? QString::fromStdString(score.configJson) : QString::fromStdString(json.dump(2));
  return QObject::tr("config %1 (%2)\n%3")
      .arg(QString::fromStdString(score.configHash), QString::fromStdString(score.createdAt), body);
}

QLabel* wrappingLabel(const char* name) {
  auto* label = new QLabel;
  label->setObjectName(QLatin1String(name));
  label->setWordWrap(true);
  label->setTextFormat(Qt::RichText);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  return label;
}

} // namespace

RewardPanel::RewardPanel(QWidget* parent)
    : QWidget(parent), summary_(wrappingLabel("rewardSummary")), rationale_(wrappingLabel("rewardRationale")),
      config_(new QPlainTextEdit), rescore_(new QPushButton(tr("Re-score…"))), rescored_(wrappingLabel("rescoreResult")),
      futures_(new FuturesRewardPlot), alternatives_(new AlternativesBoxPlot), path_(new PathMrPlot) {
  setObjectName(QStringLiteral("rewardPanel"));
  auto* plots = new QSplitter(Qt::Horizontal);
  plots->addWidget(futures_);
  plots->addWidget(alternatives_);
  plots->addWidget(path_);
  plots->setChildrenCollapsible(false);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(makeDetails());
  layout->addWidget(plots, 1);
  connect(rescore_, &QPushButton::clicked, this, [this] {
    if (node_) emit rescoreRequested(*node_);
  });
  showTurn(nullptr, std::nullopt);
}

QWidget* RewardPanel::makeDetails() {
  auto* details = new QWidget;
  details->setFixedWidth(kDetailsWidth);
  config_->setObjectName(QStringLiteral("rewardConfig"));
  config_->setReadOnly(true);
  config_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  config_->setLineWrapMode(QPlainTextEdit::NoWrap);
  rescore_->setObjectName(QStringLiteral("rescoreButton"));
  rescore_->setToolTip(tr("Run MR again for this turn with other settings (S, w, weights, seed), in the background"));
  auto* layout = new QVBoxLayout(details);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(summary_);
  layout->addWidget(rationale_);
  layout->addWidget(config_, 1);
  auto* row = new QHBoxLayout;
  row->addWidget(rescore_);
  row->addWidget(rescored_, 1);
  layout->addLayout(row);
  return details;
}

void RewardPanel::showTurn(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<conversation::NodeId> node) {
  const conversation::Node* turn = snapshot && node ? snapshot->tree().find(*node) : nullptr;
  node_ = turn ? node : std::nullopt;
  if (node_ != rescoredNode_) rescored_->clear();
  showSummary(snapshot.get(), turn);
  futures_->showRewards(turn ? NodeRewards::of(*snapshot, turn->id) : NodeRewards{});
  alternatives_->showAlternatives(snapshot.get(), node_);
  path_->showPath(snapshot.get(), node_);
  updateRescoreButton(snapshot.get(), turn);
}

void RewardPanel::showSummary(const TreeSnapshot* snapshot, const conversation::Node* turn) {
  config_->clear();
  rationale_->clear();
  if (!turn) {
    summary_->setText(tr("No turn selected."));
    return;
  }
  const NodeRewards rewards = NodeRewards::of(*snapshot, turn->id);
  if (const reward::Score* future = snapshot->latest(turn->id, "R*"); future && !rewards.mr) {
    summary_->setText(tr("<b>R* %1</b> of sampled future %2<br>one of the futures the MR above it averages")
                          .arg(number(future->value))
                          .arg(turn->sampleIndex.value_or(0) + 1));
    if (!future->rationale.empty())
      rationale_->setText(tr("<i>Task metric:</i> %1").arg(QString::fromStdString(future->rationale).toHtmlEscaped()));
    config_->setPlainText(prettyConfig(*future));
    return;
  }
  if (!rewards.mr) {
    summary_->setText(turn->role == conversation::Role::Assistant
                          ? tr("This turn has no MR yet.")
                          : tr("%1 turns have no reward: select an assistant turn.")
                                .arg(QString::fromUtf8(conversation::toString(turn->role))));
    return;
  }
  QString text = tr("<span style=\"font-size:large\"><b>MR %1</b></span>").arg(number(rewards.mr->value));
  if (rewards.mr->std) text += tr(" ± %1").arg(number(*rewards.mr->std));
  if (rewards.sampleCount() > 0) text += tr(" over %1 sampled futures").arg(rewards.sampleCount());
  QStringList parts;
  for (const reward::Score* part : rewards.parts)
    parts << QStringLiteral("<span style=\"color:%1\">%2 %3</span>")
                 .arg(partColour(part->kind).name(), partName(part->kind).toHtmlEscaped(), number(part->value));
  if (!parts.isEmpty()) text += QStringLiteral("<br>") + parts.join(QStringLiteral(" · "));
  summary_->setText(text);
  QStringList reasons;
  for (const reward::Score* part : rewards.parts)
    if (!part->rationale.empty())
      reasons << tr("<i>%1:</i> %2").arg(partName(part->kind).toHtmlEscaped(),
                                         QString::fromStdString(part->rationale).toHtmlEscaped());
  if (!rewards.mr->rationale.empty()) reasons << QString::fromStdString(rewards.mr->rationale).toHtmlEscaped();
  rationale_->setText(reasons.isEmpty() ? tr("<i>No judge rationale recorded.</i>")
                                        : tr("<b>Judge</b> ") + reasons.join(QStringLiteral("<br>")));
  config_->setPlainText(prettyConfig(*rewards.mr));
}

void RewardPanel::updateRescoreButton(const TreeSnapshot* snapshot, const conversation::Node* turn) {
  QString why;
  if (!turn || turn->role != conversation::Role::Assistant || turn->kind != conversation::NodeKind::Turn)
    why = tr("Select an assistant turn (not a sampled future) to re-score it.");
  else if (!snapshot->record().taskId)
    why = tr("This conversation has no built-in task with a hidden goal (imported data), so its futures cannot be played again.");
  else if (running_)
    why = tr("A re-score is running.");
  rescore_->setEnabled(why.isEmpty());
  rescore_->setToolTip(why.isEmpty() ? tr("Run MR again for this turn with other settings, in the background") : why);
}

void RewardPanel::showRescored(conversation::NodeId node, const QString& comparison) {
  rescoredNode_ = node;
  rescored_->setText(comparison);
}

void RewardPanel::setRescoreRunning(bool running) {
  running_ = running;
  rescore_->setEnabled(!running && node_.has_value());
  if (running) rescored_->setText(tr("<i>Re-scoring…</i>"));
}

} // namespace collab::ui
