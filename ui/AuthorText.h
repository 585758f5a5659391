#pragma once

#include <QString>

#include <string>

namespace collab::ui {

// Who wrote a turn, in words: the stored author ("policy:MODEL", "simulator:KIND/PERSONA@vN",
// "dataset:FILE", "human:NAME") read out as "Policy — MODEL", "Simulated user — rule-based,
// persona busy-manager, version 2"... Anything else is shown as it is.
QString describeAuthor(const std::string& author);

} // namespace collab::ui
