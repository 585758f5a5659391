#include "persona/TemplateProblem.h"

namespace collab::persona {

std::string TemplateProblem::message() const {
  if (line == 0) return detail;
  return std::to_string(line) + ":" + std::to_string(column) + " (byte " + std::to_string(offset) + "): " + detail;
}

} // namespace collab::persona
