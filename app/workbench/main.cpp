// collab-workbench: the CollabLLM Workbench window. Thin: parses the command line, opens
// the project and hands it to ui::MainWindow.

#include "DisplayCheck.h"
#include "ExitCodes.h"
#include "PanelScreenshots.h"
#include "Screenshot.h"

#include "Appearance.h"
#include "DemoProject.h"
#include "MainWindow.h"
#include "ToolPanels.h"
#include "common/Error.h"
#include "store/Project.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>

#include <cstring>
#include <iostream>
#include <memory>

using namespace collab;

namespace {

constexpr const char* kExitCodes = R"(
Exit codes:
  0  success
  1  unexpected failure, a wrong command line, or the screenshot could not be saved
  2  no display to show the window on
  4  the project file is missing, not a project, damaged, or from a newer version)";

struct Options {
  QString project;
  QString screenshot;
  QString panel;
  QString panelScreenshots; // a folder

  bool picturesOnly() const { return !screenshot.isEmpty() || !panelScreenshots.isEmpty(); }
};

void describe(QCommandLineParser& parser) {
  parser.setApplicationDescription(
      QStringLiteral("Research workbench for multi-turn conversation trees (CollabLLM).\n"
                     "Without PROJECT, opens the demo project (created on first use).") +
      QLatin1String(kExitCodes));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("PROJECT"),
                               QStringLiteral("Project file (.collab) to open; created when the path does not exist."),
                               QStringLiteral("[PROJECT]"));
  parser.addOption({QStringLiteral("screenshot"),
                    QStringLiteral("Save a 1280x800 picture of the window to FILE (PNG) and exit."),
                    QStringLiteral("FILE")});
  parser.addOption({QStringLiteral("panel"),
                    QStringLiteral("With --screenshot: a picture of this panel instead of the main window (%1).")
                        .arg(ui::ToolPanels::panelNames().join(QStringLiteral(", "))),
                    QStringLiteral("NAME")});
  parser.addOption({QStringLiteral("screenshot-panels"),
                    QStringLiteral("Save pictures of the window and of each panel (PNG) into DIR and exit."),
                    QStringLiteral("DIR")});
}

Options parse(const QCoreApplication& app) {
  QCommandLineParser parser;
  describe(parser);
  parser.process(app); // prints and exits on --help, --version and errors
  if (parser.positionalArguments().size() > 1) {
    std::cerr << "collab-workbench: give at most one PROJECT\n";
    std::exit(workbench::exit_code::kFailure);
  }
  Options options;
  if (!parser.positionalArguments().isEmpty())
    options.project = QFileInfo(parser.positionalArguments().constFirst()).absoluteFilePath();
  options.screenshot = parser.value(QStringLiteral("screenshot"));
  options.panel = parser.value(QStringLiteral("panel"));
  if (!options.panel.isEmpty() && (options.screenshot.isEmpty() || !ui::ToolPanels::panelNames().contains(options.panel))) {
    std::cerr << "collab-workbench: --panel takes one of " << ui::ToolPanels::panelNames().join(", ").toStdString()
              << ", with --screenshot\n";
    std::exit(workbench::exit_code::kFailure);
  }
  options.panelScreenshots = parser.value(QStringLiteral("screenshot-panels"));
  return options;
}

// --help and --version must work without a display too, so they are answered by a
// QCoreApplication, which needs none.
bool asksForInfoOnly(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    for (const char* flag : {"-h", "--help", "--help-all", "-?", "-v", "--version"})
      if (std::strcmp(argv[i], flag) == 0) return true;
  return false;
}

std::unique_ptr<store::Project> openProject(const QString& path) {
  if (path.isEmpty()) return std::make_unique<store::Project>(ui::DemoProject::openOrCreate());
  return std::make_unique<store::Project>(store::Project::openOrCreate(std::filesystem::path(path.toStdU16String())));
}

int fail(const Options& options, int code, const QString& message) {
  std::cerr << "collab-workbench: " << message.toStdString() << '\n';
  if (!options.picturesOnly()) QMessageBox::critical(nullptr, QStringLiteral("CollabLLM Workbench"), message);
  return code;
}

} // namespace

int main(int argc, char** argv) {
  QCoreApplication::setOrganizationName(QStringLiteral("CollabLLM"));
  QCoreApplication::setApplicationName(QStringLiteral("collab-workbench"));
  QCoreApplication::setApplicationVersion(QStringLiteral(COLLAB_VERSION));

  if (asksForInfoOnly(argc, argv)) {
    QCoreApplication app(argc, argv);
    parse(app);
    return workbench::exit_code::kOk;
  }
  if (!workbench::hasDisplay(argc, argv)) {
    std::cerr << workbench::noDisplayMessage("collab-workbench");
    return workbench::exit_code::kNoDisplay;
  }

  QApplication app(argc, argv);
  const Options options = parse(app);

  std::unique_ptr<store::Project> project;
  try {
    project = openProject(options.project);
  } catch (const Error& e) {
    return fail(options, workbench::exit_code::kProject, QString::fromStdString(e.what()));
  } catch (const std::exception& e) {
    return fail(options, workbench::exit_code::kFailure, QString::fromStdString(e.what()));
  }

  // Pictures are always taken in the light theme and the default layout, so that they
  // can be compared from one run to the next.
  ui::applyTheme(options.picturesOnly() ? ui::Theme::Light : ui::savedTheme());
  ui::MainWindow window;
  window.setProject(std::move(project));
  if (options.picturesOnly()) {
    QString error;
    if (!options.screenshot.isEmpty()) error = workbench::saveScreenshot(window, options.screenshot, options.panel);
    if (error.isEmpty() && !options.panelScreenshots.isEmpty())
      error = workbench::savePanelScreenshots(window, options.panelScreenshots);
    if (!error.isEmpty()) return fail(options, workbench::exit_code::kFailure, error);
    return workbench::exit_code::kOk;
  }
  window.restoreSession();
  window.show();
  return app.exec();
}
