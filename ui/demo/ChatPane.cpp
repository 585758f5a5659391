#include "demo/ChatPane.h"

#include "demo/ChatSession.h"
#include "demo/DemoAuthors.h"
#include "demo/TranscriptView.h"

#include <QDir>
#include <QLabel>
#include <QVBoxLayout>

namespace collab::ui {

ChatPane::ChatPane(const QString& collabProgram, QWidget* parent)
    : QWidget(parent), session_(new ChatSession(collabProgram, this)), title_(new QLabel), status_(new QLabel),
      view_(new TranscriptView) {
  title_->setStyleSheet(QStringLiteral("font-weight: bold"));
  status_->setStyleSheet(QStringLiteral("color: gray"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title_);
  layout->addWidget(view_, 1);
  layout->addWidget(status_);
  connect(session_, &ChatSession::started, this, [this] { status_->setText(tr("ready")); });
  connect(session_, &ChatSession::tokenStreamed, this, &ChatPane::showStreamedWord);
  connect(session_, &ChatSession::actChosen, this, [this](const QString& act) { pendingAct_ = act; });
  connect(session_, &ChatSession::replied, this, &ChatPane::showReply);
  connect(session_, &ChatSession::failed, this, [this](const QString& message) {
    view_->addTurn(tr("error"), message, QStringLiteral("#c03030"));
    status_->setText(tr("stopped"));
  });
}

void ChatPane::start(const QString& checkpoint, const QString& taskId) {
  clear();
  title_->setText(QDir(checkpoint).dirName());
  title_->setToolTip(checkpoint);
  status_->setText(tr("loading the checkpoint…"));
  session_->start(checkpoint, taskId);
}

void ChatPane::send(const QString& message) {
  view_->addTurn(tr("user"), message, QStringLiteral("#2e7d32"));
  turns_.push_back({{conversation::Role::User, message.toStdString()}, {}, "{}"});
  streamedAct_.clear();
  status_->setText(tr("thinking…"));
  session_->send(message);
}

void ChatPane::clear() {
  view_->clearTurns();
  turns_.clear();
  replies_ = 0;
}

QString ChatPane::transcript() const {
  return view_->toPlainText();
}

void ChatPane::showStreamedWord(const QString& word) {
  streamedAct_ += (streamedAct_.isEmpty() ? QString() : QStringLiteral(" ")) + word;
  view_->setStreaming(tr("assistant [%1 …]").arg(streamedAct_), tr("choosing what to do…"));
}

void ChatPane::showReply(const QString& text, double seconds) {
  view_->addTurn(tr("assistant [%1]").arg(pendingAct_), text, QStringLiteral("#1f5fbf"));
  turns_.push_back({{conversation::Role::Assistant, text.toStdString()},
                    policyAuthor(session_->checkpoint()),
                    policyParams(session_->checkpoint(), session_->seed(), pendingAct_)});
  status_->setText(tr("answered in %1 ms").arg(seconds * 1000.0, 0, 'f', 0));
  ++replies_;
}

} // namespace collab::ui
