// collab: the workbench's command line. Thin: each subcommand is a class in this folder
// and the work is done by libcollab_core.

#include "AnnotationsCommand.h"
#include "BuildDatasetCommand.h"
#include "ExitCodes.h"
#include "ExportCommand.h"
#include "ImportCommand.h"
#include "InfoCommand.h"
#include "InitCommand.h"
#include "ScoreCommand.h"
#include "ShowCommand.h"
#include "SimulateCommand.h"
#include "TokenizeCommand.h"
#include "UsageError.h"
#include "common/Error.h"

#if COLLAB_WITH_LIBTORCH
#include "ChatCommand.h"
#include "EvalCommand.h"
#include "GenerateCommand.h"
#include "LogprobsCommand.h"
#include "PlayCommand.h"
#include "TrainCommand.h"
#endif

#include <SQLiteCpp/Exception.h>

#include <iostream>
#include <memory>
#include <vector>

using namespace collab;

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0  success
  1  unexpected failure (a bug, a full disk...)
  2  wrong command line
  3  an input file is missing or invalid (message: FILE:LINE: what was expected, what was found)
  4  the project file is missing, not a project, damaged, or from a newer version
  130  interrupted (Ctrl-C, SIGTERM): finished work is saved (collab train: a checkpoint), work in progress rolled back)";

} // namespace

int main(int argc, char** argv) {
  CLI::App app("collab: the CollabLLM Workbench command line (projects, import, export, local models)", "collab");
  app.set_version_flag("--version", std::string("collab ") + COLLAB_VERSION);
  app.footer(kFooter);
  app.require_subcommand(1);

  std::vector<std::unique_ptr<cli::CliCommand>> commands;
  commands.push_back(std::make_unique<cli::InitCommand>());
  commands.push_back(std::make_unique<cli::ImportCommand>());
  commands.push_back(std::make_unique<cli::ExportCommand>());
  commands.push_back(std::make_unique<cli::InfoCommand>());
  commands.push_back(std::make_unique<cli::ShowCommand>());
  commands.push_back(std::make_unique<cli::SimulateCommand>());
  commands.push_back(std::make_unique<cli::ScoreCommand>());
  commands.push_back(std::make_unique<cli::BuildDatasetCommand>());
  commands.push_back(std::make_unique<cli::TokenizeCommand>());
  commands.push_back(std::make_unique<cli::AnnotationsCommand>());
#if COLLAB_WITH_LIBTORCH
  commands.push_back(std::make_unique<cli::TrainCommand>());
  commands.push_back(std::make_unique<cli::EvalCommand>());
  commands.push_back(std::make_unique<cli::GenerateCommand>());
  commands.push_back(std::make_unique<cli::ChatCommand>());
  commands.push_back(std::make_unique<cli::PlayCommand>());
  commands.push_back(std::make_unique<cli::LogprobsCommand>());
#endif
  std::vector<CLI::App*> parsers;
  for (auto& command : commands) parsers.push_back(command->addTo(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? cli::exit_code::kOk : cli::exit_code::kUsage;
  }

  try {
    for (std::size_t i = 0; i < commands.size(); ++i)
      if (parsers[i]->parsed()) return commands[i]->run();
  } catch (const cli::UsageError& e) {
    std::cerr << "collab: " << e.what() << '\n';
    return cli::exit_code::kUsage;
  } catch (const InputError& e) {
    std::cerr << "collab: " << e.what() << '\n';
    return cli::exit_code::kBadInput;
  } catch (const ProjectError& e) {
    std::cerr << "collab: " << e.what() << '\n';
    return cli::exit_code::kProject;
  } catch (const std::exception& e) {
    std::cerr << "collab: " << e.what() << '\n';
    return cli::exit_code::kFailure;
  }
  return cli::exit_code::kUsage;
}
