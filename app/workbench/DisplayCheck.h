#pragma once

#include <string>

namespace collab::workbench {

// Whether Qt can find somewhere to show a window. Checked before QApplication exists,
// because without a display QApplication aborts with a message that does not say what
// to do; this one does.
bool hasDisplay(int argc, char** argv);
std::string noDisplayMessage(const char* program);

} // namespace collab::workbench
