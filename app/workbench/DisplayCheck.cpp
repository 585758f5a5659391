#include "DisplayCheck.h"

#include <cstdlib>
#include <cstring>

namespace collab::workbench {

namespace {

bool isSet(const char* name) {
  const char* value = std::getenv(name);
  return value && *value;
}

} // namespace

bool hasDisplay(int argc, char** argv) {
  // An explicit platform (offscreen, vnc, eglfs...) needs no X11 or Wayland display.
  if (isSet("QT_QPA_PLATFORM")) return true;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "-platform") == 0 || std::strncmp(argv[i], "-platform=", 10) == 0) return true;
  return isSet("DISPLAY") || isSet("WAYLAND_DISPLAY");
}

std::string noDisplayMessage(const char* program) {
  const std::string name = program ? program : "collab-workbench";
  return name + ": no display found (neither DISPLAY nor WAYLAND_DISPLAY is set, and QT_QPA_PLATFORM is unset).\n"
                "To save a picture of the window without a display:\n"
                "  QT_QPA_PLATFORM=offscreen " + name + " --screenshot out.png\n"
                "To use the window on a virtual X server:\n"
                "  xvfb-run -a " + name + "\n";
}

} // namespace collab::workbench
