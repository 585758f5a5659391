#include "InitCommand.h"

#include "store/Migrations.h"
#include "store/Project.h"

#include <iostream>

namespace collab::cli {

CLI::App* InitCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand("init", "Create an empty project file (fails if the file exists)");
  command->add_option("project", project_, "Path of the new .collab file")->required();
  command->add_option("--name", name_, "Display name (default: the file name)");
  return command;
}

int InitCommand::run() {
  store::Project project = store::Project::create(project_, name_);
  std::cout << "created " << project.path().string() << " (schema version " << project.schemaVersion() << ")\n";
  return 0;
}

} // namespace collab::cli
