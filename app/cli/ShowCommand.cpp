#include "ShowCommand.h"

#include "TreeText.h"
#include "common/Error.h"
#include "common/Text.h"
#include "store/Project.h"

#include <iomanip>
#include <iostream>

namespace collab::cli {

CLI::App* ShowCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand("show", "Print a conversation tree (or, with --list, the first trees)");
  command->add_option("project", project_, "Project file (.collab)")->required();
  command->add_option("tree", treeId_, "Tree id (default: the first tree)");
  command->add_option("--score", scoreKind_, "Score kind shown and used for the best path (*)")->capture_default_str();
  command->add_flag("--full", full_, "Print whole turn texts instead of one line each");
  command->add_flag("--continuations", continuations_, "Print every turn of the sampled continuations (~)");
  command->add_option("--list", list_, "List the first N trees instead")->check(CLI::PositiveNumber);
  return command;
}

int ShowCommand::run() {
  store::Project project = store::Project::open(project_);
  if (list_ > 0) {
    store::TreeQuery query;
    query.limit = list_;
    for (const store::TreeSummary& s : project.trees().list(query)) {
      std::cout << std::setw(7) << s.tree.id << "  " << std::setw(3) << s.turns << " turns  " << std::setw(3)
                << s.branches << " branches  ";
      if (s.bestMr)
        std::cout << "MR " << std::fixed << std::setprecision(3) << *s.bestMr << "  ";
      std::cout << oneLine(s.tree.title, 70) << '\n';
    }
    return 0;
  }
  std::optional<store::TreeRecord> tree;
  if (treeId_ > 0) {
    tree = project.trees().find(treeId_);
    if (!tree) throw Error(project_ + ": no tree with id " + std::to_string(treeId_));
  } else {
    project.trees().forEach([&](const store::TreeRecord& first) {
      tree = first;
      return false;
    });
    if (!tree) throw Error(project_ + ": the project has no conversations yet (import some with `collab import`)");
  }
  TreeTextOptions options{scoreKind_, full_, continuations_};
  std::cout << renderTreeText(io::LoadedTree::load(project, *tree), options);
  return 0;
}

} // namespace collab::cli
