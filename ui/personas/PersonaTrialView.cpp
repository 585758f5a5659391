#include "PersonaTrialView.h"

#include "simulate/PersonaTrial.h"
#include "store/Project.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTextBrowser>
#include <QThread>
#include <QVBoxLayout>

#include <memory>

namespace collab::ui {

namespace {

QString html(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

QString resultHtml(const simulate::TrialResult& result) {
  QString out;
  if (result.reply) {
    out += QObject::tr("<h3>Reply</h3><p style=\"white-space:pre-wrap\">%1</p>").arg(html(result.reply->text));
    if (result.reply->terminated) out += QObject::tr("<p><i>The user ends the chat.</i></p>");
    if (!result.reply->thought.empty())
      out += QObject::tr("<h4>Thought</h4><p style=\"color:#555\">%1</p>").arg(html(result.reply->thought));
  } else {
    out += QObject::tr("<h3>No rule-based reply</h3><p>%1</p>").arg(html(result.noReplyReason));
  }
  out += QObject::tr("<h4>Prompt for an LLM-backed simulator</h4><pre style=\"white-space:pre-wrap\">%1</pre>")
             .arg(html(result.prompt));
  return out;
}

} // namespace

PersonaTrialView::PersonaTrialView(QWidget* parent)
    : QWidget(parent), target_(new QLabel(this)), try_(new QPushButton(tr("&Try it"), this)), seed_(new QSpinBox(this)),
      output_(new QTextBrowser(this)) {
  try_->setObjectName(QStringLiteral("personaTry"));
  try_->setToolTip(tr("Run the rule-based simulator as this persona on the selected conversation (nothing is saved)"));
  seed_->setRange(0, 999999);
  seed_->setPrefix(tr("seed "));
  output_->setObjectName(QStringLiteral("personaTrialOutput"));
  target_->setWordWrap(true);
  auto* row = new QHBoxLayout;
  row->addWidget(target_, 1);
  row->addWidget(seed_);
  row->addWidget(try_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(row);
  layout->addWidget(output_, 1);
  connect(try_, &QPushButton::clicked, this, &PersonaTrialView::tryRequested);
  showTarget();
}

PersonaTrialView::~PersonaTrialView() {
  // The worker holds only copies, but must not outlive the object it reports to.
  if (worker_) worker_->wait();
}

void PersonaTrialView::setConversation(store::Project* project, std::optional<conversation::TreeId> tree,
                                       std::optional<conversation::NodeId> turn) {
  project_ = project;
  tree_ = project ? tree : std::nullopt;
  turn_ = tree_ ? turn : std::nullopt;
  showTarget();
}

void PersonaTrialView::showTarget() {
  if (!tree_) target_->setText(tr("Select a conversation in the workbench to try the persona on."));
  else if (turn_) target_->setText(tr("On conversation %1, replying to turn %2").arg(*tree_).arg(*turn_));
  else target_->setText(tr("On conversation %1, replying to its best path").arg(*tree_));
  try_->setEnabled(tree_.has_value() && !worker_);
}

void PersonaTrialView::showError(const QString& message) {
  output_->setHtml(tr("<h3>Cannot try it</h3><p>%1</p>").arg(message.toHtmlEscaped()));
}

void PersonaTrialView::run(const persona::Persona& persona) {
  if (worker_ || !project_ || !tree_) return;
  simulate::TrialInput input;
  try {
    input = simulate::prepareTrial(*project_, *tree_, turn_); // reads the project: here, on the UI thread
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
    return;
  }
  if (!input.problem.empty()) return showError(QString::fromStdString(input.problem));
  auto outcome = std::make_shared<QString>();
  const auto seed = static_cast<std::uint64_t>(seed_->value());
  worker_ = QThread::create([input = std::move(input), persona, seed, outcome] {
    try {
      *outcome = resultHtml(simulate::runTrial(input, persona, seed));
    } catch (const std::exception& e) {
      *outcome = QObject::tr("<h3>Cannot try it</h3><p>%1</p>").arg(html(e.what()));
    }
  });
  connect(worker_, &QThread::finished, this, [this, outcome] {
    output_->setHtml(*outcome);
    worker_->deleteLater();
    worker_ = nullptr;
    showTarget();
    emit finished();
  });
  output_->setHtml(tr("<p><i>Simulating…</i></p>"));
  worker_->start();
  showTarget();
}

} // namespace collab::ui
