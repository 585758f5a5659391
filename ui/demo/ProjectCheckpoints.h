#pragma once

#include <QStringList>

namespace collab::store {
class Project;
}

namespace collab::ui {

// The checkpoint folders of the project's runs, newest run first, each once.
QStringList projectCheckpoints(store::Project* project);

} // namespace collab::ui
