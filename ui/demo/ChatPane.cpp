#include "demo/ChatPane.h"

#include "demo/ChatSession.h"

#include <QDir>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace collab::ui {

ChatPane::ChatPane(const QString& collabProgram, QWidget* parent)
    : QWidget(parent), session_(new ChatSession(collabProgram, this)), title_(new QLabel), status_(new QLabel),
      view_(new QTextBrowser) {
  title_->setStyleSheet(QStringLiteral("font-weight: bold"));
  status_->setStyleSheet(QStringLiteral("color: gray"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title_);
  layout->addWidget(view_, 1);
  layout->addWidget(status_);
  connect(session_, &ChatSession::started, this, [this] { status_->setText(tr("ready")); });
  connect(session_, &ChatSession::actChosen, this, [this](const QString& act) { pendingAct_ = act; });
  connect(session_, &ChatSession::replied, this, [this](const QString& text, double seconds) {
    append(tr("assistant [%1]").arg(pendingAct_), text, QStringLiteral("#1f5fbf"));
    status_->setText(tr("answered in %1 ms").arg(seconds * 1000.0, 0, 'f', 0));
    ++replies_;
  });
  connect(session_, &ChatSession::failed, this, [this](const QString& message) {
    append(tr("error"), message, QStringLiteral("#c03030"));
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
  append(tr("user"), message, QStringLiteral("#2e7d32"));
  status_->setText(tr("thinking…"));
  session_->send(message);
}

void ChatPane::clear() {
  view_->clear();
  replies_ = 0;
}

QString ChatPane::transcript() const {
  return view_->toPlainText();
}

void ChatPane::append(const QString& who, const QString& text, const QString& colour) {
  view_->append(QStringLiteral("<p><b style=\"color:%1\">%2</b><br>%3</p>")
                    .arg(colour, who.toHtmlEscaped(), text.toHtmlEscaped().replace('\n', QLatin1String("<br>"))));
}

} // namespace collab::ui
