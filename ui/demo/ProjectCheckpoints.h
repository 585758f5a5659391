#pragma once

#include <QList>
#include <QStringList>

class QComboBox;

namespace collab::store {
class Project;
}

namespace collab::ui {

// The checkpoint folders of the project's runs, newest run first, each once.
QStringList projectCheckpoints(store::Project* project);

// An editable checkpoint choice: a folder typed in, or one of the project's.
QComboBox* newCheckpointChoice();
// Refills the choices with `paths`, keeping what each showed.
void refillCheckpointChoices(const QList<QComboBox*>& choices, const QStringList& paths);

} // namespace collab::ui
