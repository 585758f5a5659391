#include "AgreementTableModel.h"

namespace collab::ui {

AgreementTableModel::AgreementTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void AgreementTableModel::setLabels(std::vector<annotation::LabelAgreement> labels) {
  beginResetModel();
  labels_ = std::move(labels);
  endResetModel();
}

int AgreementTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(labels_.size());
}

int AgreementTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AgreementTableModel::statistic(const annotation::LabelAgreement& label, int column, int role) const {
  const annotation::AgreementStatistic* value = column == CohenColumn ? (label.cohen ? &*label.cohen : nullptr)
                                                : column == FleissColumn ? &label.fleiss
                                                                         : &label.alpha;
  if (role == kValueRole) return value && value->value ? QVariant(*value->value) : QVariant();
  if (role == Qt::DisplayRole) return value && value->value ? QString::number(*value->value, 'f', 3) : QStringLiteral("—");
  if (role == Qt::ToolTipRole) {
    if (!value) return tr("Cohen's kappa compares exactly two annotators");
    return value->note.empty() ? tr("over %n item(s)", nullptr, int(value->units)) : QString::fromStdString(value->note);
  }
  if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant AgreementTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const annotation::LabelAgreement& label = labels_[static_cast<std::size_t>(index.row())];
  if (index.column() >= CohenColumn) return statistic(label, index.column(), role);
  if (role == Qt::ToolTipRole && !label.note.empty()) return QString::fromStdString(label.note);
  if (role != Qt::DisplayRole) return {};
  QStringList annotators;
  switch (index.column()) {
  case LabelColumn: return QString::fromStdString(label.label);
  case KindColumn: return QString::fromUtf8(annotation::toString(label.kind).data());
  case AnnotatorsColumn:
    for (const auto& name : label.annotators) annotators << QString::fromStdString(name);
    return annotators.join(QStringLiteral(", "));
  case ItemsColumn: return qulonglong(label.units);
  case SharedColumn: return qulonglong(label.sharedUnits);
  default: return {};
  }
}

QVariant AgreementTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case LabelColumn: return tr("Label");
  case KindColumn: return tr("Kind");
  case AnnotatorsColumn: return tr("Annotators");
  case ItemsColumn: return tr("Items");
  case SharedColumn: return tr("Shared");
  case CohenColumn: return tr("Cohen's κ");
  case FleissColumn: return tr("Fleiss' κ");
  case AlphaColumn: return tr("Krippendorff's α");
  default: return {};
  }
}

} // namespace collab::ui
