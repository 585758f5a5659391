#include "TurnInspector.h"

#include "AuthorText.h"
#include "reward/ConversationReward.h"

#include <QFormLayout>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace collab::ui {

namespace {

QLabel* factLabel(const char* name, QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setObjectName(QLatin1String(name));
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

// Generation settings as "temperature 1.0 · top_p 0.9"; the JSON as it is when nested.
QString settingsText(const std::string& json) {
  const auto settings = nlohmann::json::parse(json, nullptr, false);
  if (settings.is_discarded()) return QString::fromStdString(json);
  if (!settings.is_object() || settings.empty()) return QObject::tr("none recorded");
  QStringList parts;
  for (const auto& [key, value] : settings.items())
    parts << QStringLiteral("%1 %2").arg(QString::fromStdString(key),
                                         QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump()));
  return parts.join(QStringLiteral(" · "));
}

} // namespace

TurnInspector::TurnInspector(QWidget* parent)
    : QWidget(parent), title_(factLabel("inspectorTitle", this)), author_(factLabel("inspectorAuthor", this)),
      tokens_(factLabel("inspectorTokens", this)), placement_(factLabel("inspectorPlacement", this)),
      settings_(factLabel("inspectorSettings", this)), text_(new QTextBrowser(this)) {
  setObjectName(QStringLiteral("turnInspector"));
  QFont bold = title_->font();
  bold.setBold(true);
  bold.setPointSizeF(bold.pointSizeF() * 1.1);
  title_->setFont(bold);
  text_->setObjectName(QStringLiteral("inspectorText"));
  text_->setOpenExternalLinks(false);

  auto* facts = new QFormLayout;
  facts->setContentsMargins(6, 0, 6, 0);
  facts->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
  facts->addRow(tr("Author"), author_);
  facts->addRow(tr("Tokens"), tokens_);
  facts->addRow(tr("In the tree"), placement_);
  facts->addRow(tr("Generation"), settings_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 0);
  title_->setContentsMargins(6, 0, 6, 0);
  layout->addWidget(title_);
  layout->addLayout(facts);
  layout->addWidget(text_, 1);
  showNothing();
}

void TurnInspector::showNothing() {
  title_->setText(tr("No turn selected"));
  for (QLabel* label : {author_, tokens_, placement_, settings_}) label->clear();
  text_->setMarkdown(tr("Select a turn in the tree or the reader to see it here."));
}

void TurnInspector::showTurn(const std::shared_ptr<const TreeSnapshot>& snapshot,
                             std::optional<conversation::NodeId> node) {
  const conversation::Node* turn = snapshot && node ? snapshot->tree().find(*node) : nullptr;
  if (!turn) return showNothing();
  const QString role = QString::fromUtf8(conversation::toString(turn->role));
  title_->setText(tr("%1 turn %2").arg(role.left(1).toUpper() + role.mid(1)).arg(turn->id));
  author_->setText(describeAuthor(turn->author));
  // Stored counts come from the tokenizer that produced the text; without one the rule
  // reward's own whitespace count is shown, and said to be one.
  tokens_->setText(turn->tokenCount ? QString::number(*turn->tokenCount)
                                    : tr("%1 (whitespace words)")
                                          .arg(reward::countTokens(turn->content)));
  placement_->setText(placementOf(*snapshot, *turn));
  settings_->setText(settingsText(turn->genParamsJson));
  text_->setMarkdown(QString::fromStdString(turn->content));
}

QString TurnInspector::placementOf(const TreeSnapshot& snapshot, const conversation::Node& node) const {
  const auto& tree = snapshot.tree();
  const int depth = static_cast<int>(tree.pathTo(node.id).size());
  QString text = tr("message %1 of the conversation").arg(depth);
  if (node.kind == conversation::NodeKind::Continuation) {
    text = tr("sampled future %1, message %2").arg(node.sampleIndex.value_or(0) + 1).arg(depth);
  } else {
    int alternatives = 0, position = 0;
    for (conversation::NodeId sibling : tree.siblings(node.id))
      if (tree.at(sibling).kind == conversation::NodeKind::Turn) {
        ++alternatives;
        if (sibling == node.id) position = alternatives;
      }
    if (alternatives > 1) text += tr(", candidate %1 of %2").arg(position).arg(alternatives);
  }
  if (snapshot.isChosen(node.id)) text += tr(" · marked chosen");
  if (snapshot.isRejected(node.id)) text += tr(" · marked rejected");
  if (!node.createdAt.empty()) text += tr(" · created %1").arg(QString::fromStdString(node.createdAt));
  return text;
}

} // namespace collab::ui
