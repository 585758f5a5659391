#include "demo/ProjectCheckpoints.h"

#include "store/Project.h"

#include <QComboBox>

#include <algorithm>

namespace collab::ui {

QStringList projectCheckpoints(store::Project* project) {
  QStringList paths;
  if (!project) return paths;
  auto runs = project->runs().list();
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  for (const auto& run : runs)
    for (const auto& checkpoint : project->runs().checkpoints(run.id))
      if (const QString p = QString::fromStdString(checkpoint.path); !paths.contains(p)) paths << p;
  return paths;
}

QComboBox* newCheckpointChoice() {
  auto* box = new QComboBox;
  box->setEditable(true);
  box->setInsertPolicy(QComboBox::NoInsert);
  box->setMinimumContentsLength(40);
  return box;
}

void refillCheckpointChoices(const QList<QComboBox*>& choices, const QStringList& paths) {
  for (QComboBox* box : choices) {
    const QString current = box->currentText();
    box->clear();
    box->addItems(paths);
    if (!current.isEmpty()) box->setCurrentText(current);
  }
}

} // namespace collab::ui
