#pragma once

#include <QString>

namespace collab::ui {

// The default personas on disk: beside the installed program (share/collab/personas), or
// in the source tree of a build. Empty when neither is there.
QString defaultPersonasFolder();

} // namespace collab::ui
