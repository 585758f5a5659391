#include "ImportCommand.h"

#include "ProgressBar.h"
#include "common/Error.h"
#include "io/Importer.h"
#include "store/Project.h"

#include <filesystem>
#include <iostream>

namespace collab::cli {

CLI::App* ImportCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "import", "Import a JSONL file into a project, in one transaction: a bad row leaves the project unchanged");
  command->add_option("project", project_, "Project file (.collab)")->required();
  command->add_option("file", file_, "JSON Lines file to read")->required();
  command->add_option("-f,--format", format_, "Input layout")
      ->required()
      ->check(CLI::IsMember(io::importFormatNames()));
  command->add_flag("--skip-invalid", skipInvalid_, "Import the valid rows; list the rejected ones on stderr");
  command->add_flag("--create", create_, "Create the project if it does not exist");
  return command;
}

int ImportCommand::run() {
  store::Project project = create_ ? store::Project::openOrCreate(project_) : store::Project::open(project_);
  std::error_code sizeError;
  const auto size = std::filesystem::file_size(file_, sizeError);
  ProgressBar bar("importing", sizeError ? 0 : size, "bytes");

  io::ImportOptions options;
  options.format = *io::parseImportFormat(format_);
  options.skipInvalid = skipInvalid_;
  options.progress = [&](std::uint64_t bytes) { bar.update(bytes); };
  const io::ImportReport report = io::importJsonlFile(project, file_, options);
  bar.finish();

  for (const std::string& rejected : report.rejected) std::cerr << "rejected " << rejected << '\n';
  std::cout << "imported " << report.rowsImported << " rows from " << file_ << ": " << report.treesCreated
            << " trees, " << report.nodesCreated << " turns";
  if (!report.rejected.empty()) std::cout << " (" << report.rejected.size() << " rows rejected)";
  std::cout << '\n';
  return 0;
}

} // namespace collab::cli
