#include "InfoCommand.h"

#include "store/Project.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace collab::cli {

CLI::App* InfoCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand("info", "Show what a project holds (counts)");
  command->add_option("project", project_, "Project file (.collab)")->required();
  command->add_flag("--json", json_, "Print one JSON object instead of text");
  return command;
}

int InfoCommand::run() {
  store::Project project = store::Project::open(project_);
  const store::ProjectCounts c = project.counts();
  const std::vector<std::pair<std::string, std::int64_t>> rows = {
      {"trees", c.trees},       {"nodes", c.nodes}, {"scores", c.scores},           {"tasks", c.tasks},
      {"personas", c.personas}, {"runs", c.runs},   {"annotations", c.annotations}, {"preferences", c.preferences},
  };
  if (json_) {
    nlohmann::json out = {{"path", project.path().string()},
                          {"name", project.name()},
                          {"schema_version", project.schemaVersion()}};
    for (const auto& [key, value] : rows) out[key] = value;
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  std::cout << "project         " << project.name() << '\n'
            << "path            " << project.path().string() << '\n'
            << "schema version  " << project.schemaVersion() << '\n';
  for (const auto& [key, value] : rows) std::cout << key << std::string(16 - key.size(), ' ') << value << '\n';
  return 0;
}

} // namespace collab::cli
