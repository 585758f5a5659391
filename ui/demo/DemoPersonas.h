#pragma once

#include "persona/Persona.h"

#include <QList>
#include <QString>

namespace collab::store {
class Project;
}

namespace collab::ui {

// A persona the simulated user of an auto-play can take: the persona and how it is shown.
struct DemoPersona {
  QString label; // "impatient-expert@v2" for a project's version, the name for a file's
  persona::Persona persona;
};

// The project's personas (the latest version of each), or without a project the default
// persona files; sorted by name. A persona that cannot be read is left out (the persona
// editor is where it is fixed).
QList<DemoPersona> demoPersonas(store::Project* project);

} // namespace collab::ui
