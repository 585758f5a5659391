#pragma once

#include "simulate/DemoTreeWriter.h"

#include <QString>

#include <string>
#include <vector>

namespace collab::ui {

// Who wrote a demo turn, as the project's node authors say it (see conversation::Node):
// a checkpoint is "policy:RUN/STAGE" (its folder and the one above: the run's output and
// the stage), the full path going into the turn's generation settings.
std::string policyAuthor(const QString& checkpoint);
// A policy turn's generation settings: the checkpoint, the seed, the act it chose.
std::string policyParams(const QString& checkpoint, quint64 seed, const QString& act);

// A pane's turns as a branch to save: the user turns authored `userAuthor` (the presenter,
// or the simulated user with its persona version, known only once it is saved).
simulate::DemoBranch branchOf(std::vector<simulate::AuthoredTurn> turns, const std::string& userAuthor);

} // namespace collab::ui
