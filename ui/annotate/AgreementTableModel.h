#pragma once

#include "annotation/LabelAgreement.h"

#include <QAbstractTableModel>

namespace collab::ui {

// Agreement per label, one row each: kind, annotators, items, shared items, Cohen's kappa
// (two annotators), Fleiss' kappa, Krippendorff's alpha. An undefined statistic shows
// "—" with the reason as its tooltip.
class AgreementTableModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column { LabelColumn, KindColumn, AnnotatorsColumn, ItemsColumn, SharedColumn, CohenColumn, FleissColumn,
                AlphaColumn, ColumnCount };
  static constexpr int kValueRole = Qt::UserRole + 1; // the statistic as a double, invalid when undefined

  explicit AgreementTableModel(QObject* parent = nullptr);

  void setLabels(std::vector<annotation::LabelAgreement> labels);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
  QVariant statistic(const annotation::LabelAgreement& label, int column, int role) const;

  std::vector<annotation::LabelAgreement> labels_;
};

} // namespace collab::ui
