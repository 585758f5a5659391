#pragma once

#include "StoreCommand.h"

#include <string>

namespace collab::ui {

// Replaces the text of a turn.
class EditTurnCommand : public StoreCommand {
public:
  EditTurnCommand(ProjectDocument& document, const conversation::Node& node, std::string text);

protected:
  Focus apply(store::Project& project) override;
  Focus revert(store::Project& project) override;

private:
  conversation::NodeId node_;
  std::string before_, after_;
};

} // namespace collab::ui
