#include "PersonaHistoryView.h"

#include "common/Error.h"
#include "common/LineDiff.h"
#include "persona/PersonaJson.h"
#include "persona/PersonaVersions.h"

#include <QListWidget>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace collab::ui {

namespace {

// A version as its persona file reads, so the diff shows fields by the names in files.
std::string fileText(const store::PersonaVersion& version) {
  try {
    return persona::toText(persona::fromVersion(version));
  } catch (const Error& e) { // a stored version this build cannot read: show why, not nothing
    return std::string("(unreadable: ") + e.what() + ")";
  }
}

QString versionLabel(const store::PersonaVersion& version) {
  return QObject::tr("v%1 · %2").arg(version.version).arg(QString::fromStdString(version.createdAt).left(16).replace(QLatin1Char('T'), QLatin1Char(' ')));
}

} // namespace

QString diffHtml(const std::string& before, const std::string& after) {
  QString html = QStringLiteral("<pre style=\"margin:0\">");
  int changes = 0;
  for (const DiffLine& line : diffLines(before, after)) {
    const QString text = QString::fromStdString(line.text).toHtmlEscaped();
    switch (line.kind) {
    case DiffLine::Kind::Same: html += QStringLiteral("  ") + text + QLatin1Char('\n'); break;
    case DiffLine::Kind::Removed:
      html += QStringLiteral("<span style=\"background:#fde2e2;color:#8a1010\">- %1</span>\n").arg(text);
      ++changes;
      break;
    case DiffLine::Kind::Added:
      html += QStringLiteral("<span style=\"background:#dcf5dc;color:#0d5c12\">+ %1</span>\n").arg(text);
      ++changes;
      break;
    }
  }
  if (changes == 0) html += QObject::tr("(no changes)");
  return html + QStringLiteral("</pre>");
}

PersonaHistoryView::PersonaHistoryView(QWidget* parent)
    : QWidget(parent), list_(new QListWidget(this)), diff_(new QTextBrowser(this)) {
  list_->setObjectName(QStringLiteral("personaVersions"));
  diff_->setObjectName(QStringLiteral("personaDiff"));
  diff_->setLineWrapMode(QTextEdit::NoWrap);
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(list_);
  split->addWidget(diff_);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 4);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);
  connect(list_, &QListWidget::currentRowChanged, this, &PersonaHistoryView::showDiff);
}

void PersonaHistoryView::clear() { showHistory({}, std::nullopt); }

void PersonaHistoryView::showHistory(std::vector<store::PersonaVersion> versions, std::optional<persona::Persona> draft) {
  versions_ = std::move(versions);
  draft_ = std::move(draft);
  const QSignalBlocker block(list_);
  list_->clear();
  if (draft_) list_->addItem(tr("unsaved changes"));
  for (auto it = versions_.rbegin(); it != versions_.rend(); ++it) list_->addItem(versionLabel(*it));
  list_->setCurrentRow(list_->count() > 0 ? 0 : -1);
  showDiff(list_->currentRow());
}

void PersonaHistoryView::showDiff(int row) {
  if (row < 0) {
    diff_->setHtml(tr("<i>Not saved yet: no versions.</i>"));
    return;
  }
  if (draft_ && row == 0) {
    diff_->setHtml(diffHtml(versions_.empty() ? std::string() : fileText(versions_.back()), persona::toText(*draft_)));
    return;
  }
  // Rows below the draft are versions newest first.
  const std::size_t index = versions_.size() - 1 - static_cast<std::size_t>(row - (draft_ ? 1 : 0));
  const std::string before = index == 0 ? std::string() : fileText(versions_[index - 1]);
  diff_->setHtml(diffHtml(before, fileText(versions_[index])));
}

} // namespace collab::ui
