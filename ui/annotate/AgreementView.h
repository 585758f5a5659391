#pragma once

#include "annotation/LabelAgreement.h"

#include <QWidget>

class QLabel;
class QTableView;
class QTreeWidget;

namespace collab::store {
class Project;
}

namespace collab::ui {

class AgreementTableModel;

// How far the project's annotators agree: the statistics per label, and below them the
// items they disagree on with each annotator's answer (double-click shows the item).
// Annotated copies of the project are merged in from here.
class AgreementView : public QWidget {
  Q_OBJECT

public:
  explicit AgreementView(QWidget* parent = nullptr);

  void setProject(store::Project* project);
  // Recomputes from the project (after annotating or merging).
  void refresh();
  // Merges each copy in turn; returns the report to show (conflicts and mismatches
  // listed). A copy that cannot be merged stops there with its error.
  QString mergeCopies(const QStringList& paths);

  AgreementTableModel* model() const { return model_; }
  QTreeWidget* disagreements() const { return disagreements_; }
  const annotation::AgreementReport& report() const { return report_; }

signals:
  void itemActivated(collab::conversation::TreeId tree, std::optional<collab::conversation::NodeId> node);
  void annotationsMerged();

private:
  void chooseCopies();
  void fillDisagreements();

  store::Project* project_ = nullptr;
  annotation::AgreementReport report_;
  QLabel* summary_;
  AgreementTableModel* model_;
  QTableView* table_;
  QTreeWidget* disagreements_;
};

} // namespace collab::ui
