#include "demo/PlayPane.h"

#include "demo/DemoAuthors.h"
#include "demo/PlaySession.h"
#include "demo/TranscriptView.h"
#include "simulate/UserSimulator.h"

#include <QCoreApplication>
#include <QDir>
#include <QLabel>
#include <QVBoxLayout>

namespace collab::ui {

namespace {
const QString kUserColour = QStringLiteral("#2e7d32");
const QString kPolicyColour = QStringLiteral("#1f5fbf");

// The simulated user's words without the end marker: the pane says it in words.
QString withoutMarker(QString text, bool terminated) {
  text.remove(QLatin1String(simulate::kTerminateChat));
  text = text.trimmed();
  return terminated ? text + QCoreApplication::translate("PlayPane", "\n(ends the chat)") : text;
}
} // namespace

PlayPane::PlayPane(const QString& collabProgram, QWidget* parent)
    : QWidget(parent), session_(new PlaySession(collabProgram, this)), title_(new QLabel), view_(new TranscriptView),
      summary_(new QLabel) {
  title_->setStyleSheet(QStringLiteral("font-weight: bold"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title_);
  layout->addWidget(view_, 1);
  layout->addWidget(summary_);
  connect(session_, &PlaySession::started, this, [this] { summary_->setText(tr("playing…")); });
  connect(session_, &PlaySession::tokenStreamed, this, &PlayPane::showStreamedWord);
  connect(session_, &PlaySession::turnPlayed, this, &PlayPane::showTurn);
  connect(session_, &PlaySession::finished, this, &PlayPane::showSummary);
  connect(session_, &PlaySession::failed, this, [this](const QString& message) {
    view_->addTurn(tr("error"), message, QStringLiteral("#c03030"));
    summary_->setText(tr("stopped"));
  });
}

void PlayPane::start(const PlaySettings& settings) {
  clear();
  title_->setText(QDir(settings.checkpoint).dirName());
  title_->setToolTip(settings.checkpoint);
  summary_->setText(tr("loading the checkpoint…"));
  session_->start(settings);
}

void PlayPane::clear() {
  view_->clearTurns();
  summary_->clear();
  turns_.clear();
  streamedAct_.clear();
}

QString PlayPane::transcript() const {
  return view_->toPlainText();
}

QString PlayPane::summaryText() const {
  return summary_->text();
}

void PlayPane::showStreamedWord(const QString& word) {
  streamedAct_ += (streamedAct_.isEmpty() ? QString() : QStringLiteral(" ")) + word;
  view_->setStreaming(tr("assistant [%1 …]").arg(streamedAct_), tr("choosing what to do…"));
}

void PlayPane::showTurn(const QJsonObject& turn) {
  const QString content = turn.value(QLatin1String("content")).toString();
  if (turn.value(QLatin1String("role")).toString() == QLatin1String("assistant")) {
    const QString act = turn.value(QLatin1String("act")).toString();
    view_->addTurn(tr("assistant [%1]").arg(act), content, kPolicyColour);
    const PlaySettings& s = session_->settings();
    turns_.push_back({{conversation::Role::Assistant, content.toStdString()}, policyAuthor(s.checkpoint),
                      policyParams(s.checkpoint, s.seed, act)});
    streamedAct_.clear();
    return;
  }
  const bool terminated = turn.value(QLatin1String("terminated")).toBool();
  view_->addTurn(tr("simulated user"), withoutMarker(content, terminated), kUserColour);
  turns_.push_back({{conversation::Role::User, content.toStdString()}, {}, "{}"});
}

void PlayPane::showSummary(const QJsonObject& summary) {
  summary_->setText(QStringLiteral("<b>%1</b>").arg(summaryLine(summary).toHtmlEscaped()));
  summary_->setToolTip(summary.value(QLatin1String("detail")).toString());
}

QString summaryLine(const QJsonObject& summary) {
  const QString ending = summary.value(QLatin1String("terminated")).toBool()
                             ? QCoreApplication::translate("PlayPane", "the user ended the chat")
                             : QCoreApplication::translate("PlayPane", "stopped at the exchange limit");
  const int turns = summary.value(QLatin1String("assistant_turns")).toInt();
  const QString turnsText = turns == 1 ? QCoreApplication::translate("PlayPane", "1 assistant turn")
                                       : QCoreApplication::translate("PlayPane", "%1 assistant turns").arg(turns);
  return QCoreApplication::translate("PlayPane", "%1 %2 · %3 · %4 tokens · %5")
      .arg(summary.value(QLatin1String("metric")).toString())
      .arg(summary.value(QLatin1String("task_score")).toDouble(), 0, 'f', 2)
      .arg(turnsText)
      .arg(summary.value(QLatin1String("tokens")).toInt())
      .arg(ending);
}

} // namespace collab::ui
