#include "ExportCommand.h"

#include "ProgressBar.h"
#include "common/Error.h"
#include "io/Exporter.h"
#include "store/Project.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace collab::cli {

CLI::App* ExportCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand("export", "Write a project as JSONL for training or exchange");
  command->add_option("project", project_, "Project file (.collab)")->required();
  command->add_option("-f,--format", format_,
                      "dpo: TRL preference pairs; sft: TRL messages of the best path; messages: OpenAI messages;"
                      " collabllm: CollabLLM multiturn rows")
      ->required()
      ->check(CLI::IsMember(io::exportFormatNames()));
  command->add_option("-o,--output", output_, "Output file (default: stdout); written whole or not at all");
  command->add_option("--score", scoreKind_, "Score kind that ranks candidates")->capture_default_str();
  command->add_option("--min-gap", minGap_, "dpo: smallest chosen-rejected score difference kept")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--preferences", preferences_, "dpo: export recorded preferences instead of score pairs");
  command->add_flag("--human-preferences", humanPreferences_,
                   "dpo: also the annotators' preferences (A/B verdicts, rankings: first against last)");
  command->add_flag("--all-paths", allPaths_, "messages: every root-to-leaf path, not only the best");
  return command;
}

int ExportCommand::run() {
  store::Project project = store::Project::open(project_);
  io::ExportOptions options;
  options.format = *io::parseExportFormat(format_);
  options.scoreKind = scoreKind_;
  options.minGap = minGap_;
  options.fromPreferences = preferences_;
  options.humanPreferences = humanPreferences_;
  options.allPaths = allPaths_;
  ProgressBar bar("exporting", static_cast<std::uint64_t>(project.trees().count()), "trees");
  options.progress = [&](std::int64_t done, std::int64_t) { bar.update(static_cast<std::uint64_t>(done)); };

  if (output_.empty()) {
    const io::ExportReport report = io::exportJsonl(project, std::cout, options);
    bar.finish();
    std::cerr << "exported " << report.rowsWritten << " rows from " << report.treesVisited << " trees\n";
    return 0;
  }
  // Written to a temporary file renamed at the end, so a failed export leaves no half file.
  const std::filesystem::path target = output_;
  const std::filesystem::path partial = target.string() + ".partial";
  io::ExportReport report;
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(partial.string() + ": cannot open for writing");
    report = io::exportJsonl(project, out, options);
    if (!out) {
      std::filesystem::remove(partial);
      throw Error(target.string() + ": write failed (disk full?); nothing was written");
    }
  }
  std::filesystem::rename(partial, target);
  bar.finish();
  std::cout << "exported " << report.rowsWritten << " rows from " << report.treesVisited << " trees to "
            << target.string() << '\n';
  return 0;
}

} // namespace collab::cli
