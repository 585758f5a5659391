#include "AgreementView.h"

#include "AgreementTableModel.h"
#include "annotation/AnnotationMerge.h"
#include "annotation/LabelSchemaStore.h"
#include "store/Project.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace collab::ui {

namespace {

constexpr int kTreeRole = Qt::UserRole + 1;
constexpr int kNodeRole = Qt::UserRole + 2;

QString mergeSummary(const QString& path, const annotation::MergeReport& r) {
  QStringList lines;
  lines << QObject::tr("%1: %2 added, %3 notes added, %4 duplicates, %5 conflicts, %6 left out")
               .arg(path)
               .arg(r.added)
               .arg(r.notesAdded)
               .arg(r.duplicates)
               .arg(r.conflicts.size())
               .arg(r.mismatches.size());
  if (r.schemaAdopted) lines << QObject::tr("  label schema taken from the copy (this project had none)");
  if (r.schemaDiffers) lines << QObject::tr("  the copy's label schema differs; this project's is kept");
  for (const auto& c : r.conflicts)
    lines << QObject::tr("  conflict: %1, %2, %3: here %4, in the copy %5 (kept here)")
                 .arg(QString::fromStdString(c.item.describe()), QString::fromStdString(c.label),
                      QString::fromStdString(c.annotator), QString::fromStdString(c.ours), QString::fromStdString(c.theirs));
  for (const auto& m : r.mismatches) lines << QObject::tr("  left out: %1").arg(QString::fromStdString(m));
  return lines.join(QLatin1Char('\n'));
}

} // namespace

AgreementView::AgreementView(QWidget* parent)
    : QWidget(parent), summary_(new QLabel(this)), model_(new AgreementTableModel(this)), table_(new QTableView(this)),
      disagreements_(new QTreeWidget(this)) {
  setWindowTitle(tr("Agreement between annotators"));
  summary_->setObjectName(QStringLiteral("agreementSummary"));
  summary_->setWordWrap(true);
  table_->setObjectName(QStringLiteral("agreementTable"));
  table_->setModel(model_);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(AgreementTableModel::AnnotatorsColumn, QHeaderView::Stretch);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  disagreements_->setObjectName(QStringLiteral("disagreements"));
  disagreements_->setHeaderLabels({tr("Item"), tr("Label"), tr("Answers")});
  disagreements_->setRootIsDecorated(false);
  disagreements_->setAlternatingRowColors(true);
  disagreements_->header()->setSectionResizeMode(2, QHeaderView::Stretch);

  auto* merge = new QPushButton(tr("Merge annotated copies…"), this);
  merge->setObjectName(QStringLiteral("mergeCopies"));
  auto* refreshButton = new QPushButton(tr("Refresh"), this);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(summary_, 1);
  buttons->addWidget(refreshButton);
  buttons->addWidget(merge);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(table_);
  auto* lower = new QWidget(split);
  auto* lowerLayout = new QVBoxLayout(lower);
  lowerLayout->setContentsMargins(0, 0, 0, 0);
  lowerLayout->addWidget(new QLabel(tr("Items they disagree on (double-click to show):"), lower));
  lowerLayout->addWidget(disagreements_);
  split->addWidget(lower);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(buttons);
  layout->addWidget(split, 1);

  connect(merge, &QPushButton::clicked, this, &AgreementView::chooseCopies);
  connect(refreshButton, &QPushButton::clicked, this, &AgreementView::refresh);
  connect(disagreements_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
    const QVariant node = item->data(0, kNodeRole);
    emit itemActivated(item->data(0, kTreeRole).toLongLong(),
                       node.isValid() ? std::optional<conversation::NodeId>(node.toLongLong()) : std::nullopt);
  });
  resize(960, 600);
  setProject(nullptr);
}

void AgreementView::setProject(store::Project* project) {
  project_ = project;
  refresh();
}

void AgreementView::refresh() {
  report_ = {};
  if (project_) {
    try {
      report_ = annotation::computeAgreement(*project_, annotation::currentLabelSchema(*project_));
    } catch (const std::exception& e) {
      summary_->setText(QString::fromStdString(e.what()));
    }
  }
  model_->setLabels(report_.labels);
  fillDisagreements();
  QStringList names;
  for (const auto& name : report_.annotators) names << QString::fromStdString(name);
  if (!project_) summary_->setText(tr("No project open."));
  else if (names.isEmpty()) summary_->setText(tr("No annotations yet."));
  else
    summary_->setText(tr("%n annotator(s): %1 · %2 disagreement(s)", nullptr, int(names.size()))
                          .arg(names.join(QStringLiteral(", ")))
                          .arg(report_.disagreements.size()));
  table_->resizeColumnsToContents();
}

void AgreementView::fillDisagreements() {
  disagreements_->clear();
  for (const auto& d : report_.disagreements) {
    QStringList answers;
    for (const auto& [annotator, answer] : d.answers)
      answers << QString::fromStdString(annotator) + QStringLiteral(": ") + QString::fromStdString(answer);
    const QString label = QString::fromStdString(d.label) + (d.unit.empty() ? QString() : QStringLiteral(" (%1)").arg(QString::fromStdString(d.unit)));
    auto* item = new QTreeWidgetItem(disagreements_, {QString::fromStdString(d.item.describe()), label, answers.join(QStringLiteral("  |  "))});
    item->setData(0, kTreeRole, QVariant::fromValue<qlonglong>(d.item.tree));
    if (d.item.node) item->setData(0, kNodeRole, QVariant::fromValue<qlonglong>(*d.item.node));
  }
  disagreements_->resizeColumnToContents(0);
  disagreements_->resizeColumnToContents(1);
}

QString AgreementView::mergeCopies(const QStringList& paths) {
  if (!project_) return tr("Open a project first.");
  QStringList report;
  for (const QString& path : paths) {
    try {
      report << mergeSummary(path, annotation::mergeAnnotations(*project_, std::filesystem::path(path.toStdU16String())));
    } catch (const std::exception& e) {
      report << tr("%1: not merged: %2").arg(path, QString::fromStdString(e.what()));
      break;
    }
  }
  refresh();
  emit annotationsMerged();
  return report.join(QLatin1Char('\n'));
}

void AgreementView::chooseCopies() {
  const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Merge annotated copies"), {},
                                                          tr("CollabLLM projects (*.collab);;All files (*)"));
  if (paths.isEmpty()) return;
  QMessageBox box(QMessageBox::Information, tr("Merge annotated copies"), tr("Merged %n file(s).", nullptr, int(paths.size())),
                  QMessageBox::Ok, this);
  box.setDetailedText(mergeCopies(paths));
  box.exec();
}

} // namespace collab::ui
