#include "ConversationPanel.h"

#include "ConversationListModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace collab::ui {

namespace {
// Typing a word fires one full-text query, not one per key.
constexpr int kSearchDelayMs = 200;
// Text columns that may be long, and the most width each gets until the user widens it.
constexpr std::pair<int, int> kCappedColumns[] = {{ConversationListModel::SourceColumn, 240},
                                                  {ConversationListModel::TaskColumn, 96},
                                                  {ConversationListModel::PersonaColumn, 96}};
} // namespace

ConversationPanel::ConversationPanel(ConversationListModel* model, QWidget* parent)
    : QWidget(parent), model_(model), search_(new QLineEdit(this)), status_(new QLabel(this)), view_(new QTableView(this)),
      searchDelay_(new QTimer(this)) {
  search_->setObjectName(QStringLiteral("conversationSearch"));
  search_->setPlaceholderText(tr("Search turn texts…"));
  search_->setClearButtonEnabled(true);

  view_->setObjectName(QStringLiteral("conversationTable"));
  view_->setModel(model_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setAlternatingRowColors(true);
  view_->setWordWrap(false);
  view_->setTextElideMode(Qt::ElideRight);
  view_->verticalHeader()->hide();
  // Fixed row heights keep scrolling through thousands of fetched rows cheap.
  view_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 8);
  // A header click sorts in the store (the model pages in that order), never in memory.
  view_->horizontalHeader()->setSortIndicator(ConversationListModel::IdColumn, Qt::AscendingOrder);
  view_->setSortingEnabled(true);
  sizeColumns();
  // A narrow dock shows what tells conversations apart; the header's menu shows the rest.
  for (int column : {ConversationListModel::IdColumn, ConversationListModel::TaskColumn, ConversationListModel::TurnsColumn,
                     ConversationListModel::BranchesColumn, ConversationListModel::NodesColumn,
                     ConversationListModel::SourceColumn})
    view_->setColumnHidden(column, true);
  view_->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view_->horizontalHeader(), &QWidget::customContextMenuRequested, this, &ConversationPanel::chooseColumns);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(search_);
  status_->setObjectName(QStringLiteral("conversationStatus"));
  status_->setWordWrap(true);
  status_->setContentsMargins(4, 0, 4, 0);
  status_->hide();
  layout->addWidget(status_);
  layout->addWidget(view_);

  searchDelay_->setSingleShot(true);
  searchDelay_->setInterval(kSearchDelayMs);
  connect(search_, &QLineEdit::textChanged, searchDelay_, qOverload<>(&QTimer::start));
  connect(searchDelay_, &QTimer::timeout, this, &ConversationPanel::applyFilter);
  connect(model_, &QAbstractItemModel::modelReset, this, &ConversationPanel::selectFirstRow);
  connect(model_, &ConversationListModel::pageLoaded, this, [this](bool first) {
    status_->hide();
    if (first) selectFirstRow();
  });
  connect(model_, &ConversationListModel::queryFailed, this, [this](const QString& message) {
    // Said where it happened: under the search box that started it.
    status_->setText(tr("<span style=\"color:#b00\">The list could not be read: %1</span>").arg(message.toHtmlEscaped()));
    status_->show();
  });
  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this] {
            if (!quiet_) emit currentTreeChanged(currentTree());
          });
}

std::optional<conversation::TreeId> ConversationPanel::currentTree() const {
  const QModelIndex current = view_->selectionModel()->currentIndex();
  if (!current.isValid()) return std::nullopt;
  return current.data(ConversationListModel::TreeIdRole).toLongLong();
}

void ConversationPanel::selectTree(conversation::TreeId tree) {
  for (int row = 0; row < model_->rowCount(); ++row) {
    if (model_->summaryAt(row).tree.id != tree) continue;
    quiet_ = true;
    view_->selectionModel()->setCurrentIndex(model_->index(row, 0),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view_->scrollTo(model_->index(row, 0));
    quiet_ = false;
    return;
  }
}

void ConversationPanel::chooseColumns(const QPoint& at) {
  QMenu menu(this);
  for (int column = 0; column < model_->columnCount(); ++column) {
    QAction* action = menu.addAction(model_->headerData(column, Qt::Horizontal).toString());
    action->setCheckable(true);
    action->setChecked(!view_->isColumnHidden(column));
    connect(action, &QAction::toggled, view_, [this, column](bool shown) { view_->setColumnHidden(column, !shown); });
  }
  menu.exec(view_->horizontalHeader()->mapToGlobal(at));
}

void ConversationPanel::applyFilter() { model_->setTextFilter(search_->text()); }

void ConversationPanel::selectFirstRow() {
  fitSourceColumn();
  if (model_->isLoading()) { // the conversation on screen stays until the results are in
    status_->setText(tr("Searching…"));
    status_->show();
    return;
  }
  if (model_->rowCount() == 0) {
    emit currentTreeChanged(std::nullopt);
    return;
  }
  // A reset leaves no current index, so setting row 0 always emits currentRowChanged.
  view_->selectionModel()->setCurrentIndex(model_->index(0, 0),
                                           QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  view_->scrollToTop();
}

void ConversationPanel::sizeColumns() {
  // Numbers get what their header needs; the title takes the rest of the width.
  QHeaderView* header = view_->horizontalHeader();
  header->setSectionResizeMode(QHeaderView::ResizeToContents);
  header->setSectionResizeMode(ConversationListModel::TitleColumn, QHeaderView::Stretch);
  for (const auto& [column, width] : kCappedColumns) header->setSectionResizeMode(column, QHeaderView::Interactive);
  header->setStretchLastSection(false);
  fitSourceColumn();
}

void ConversationPanel::fitSourceColumn() {
  // File names, task ids and persona names: shown whole when they are short, never
  // crowding out titles. QTableView hides sizeHintForColumn; the base class's public one
  // is the same virtual.
  const QAbstractItemView* view = view_;
  for (const auto& [column, width] : kCappedColumns) {
    const int wanted = std::max(view->sizeHintForColumn(column), view_->horizontalHeader()->sectionSizeHint(column));
    view_->horizontalHeader()->resizeSection(column, std::min(wanted, width));
  }
}

} // namespace collab::ui
