#include "DemoProject.h"

#include "common/Error.h"
#include "io/Importer.h"
#include "persona/DefaultPersonas.h"
#include "persona/PersonaJson.h"
#include "simulate/ConversationSampler.h"
#include "task/TaskRegistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <sstream>

// Resources compiled into a static library are registered only when something calls
// their initialiser, and Q_INIT_RESOURCE must be used outside any namespace.
static void initWorkbenchResources() {
  static const bool registered = [] {
    Q_INIT_RESOURCE(resources);
    return true;
  }();
  (void)registered;
}

namespace collab::ui {

namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

// Conversations our own engine builds on the built-in tasks, played by two of the default
// personas: a cooperative user and an impatient expert, so that the demo shows how the
// same candidates score differently depending on who the user is.
void addSimulatedConversations(store::Project& project) {
  const task::TaskRegistry registry;
  for (const char* personaName : {"generic-user", "impatient-expert"}) {
    QFile file(QStringLiteral(":/personas/%1.json").arg(QLatin1String(personaName)));
    if (!file.open(QIODevice::ReadOnly)) throw Error(std::string(personaName) + ": the demo persona is missing from this build");
    const persona::Persona persona = persona::parsePersona(file.readAll().toStdString(), file.fileName().toStdString());
    persona::seedPersonas(project.personas(), {persona});
    simulate::SamplerSettings settings;
    settings.traits = persona.traits;
    settings.personaLabel = persona.name + "@v" + std::to_string(project.personas().latest(persona.name)->version);
    settings.reward.personaVersion = settings.personaLabel;
    for (const char* family : {"documents", "math"})
      for (const auto& task : registry.tasks(family, 7, 4, "test"))
        simulate::sampleConversation(project, registry.family(family), task, settings);
  }
}

void removeProjectFiles(const QString& path) {
  for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
    QFile::remove(path + suffix);
}

} // namespace

QString DemoProject::path() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
      .filePath(QStringLiteral("demo.collab"));
}

store::Project DemoProject::openOrCreate() {
  const QString file = path();
  if (QFileInfo::exists(file)) return store::Project::open(toPath(file));
  return create(file);
}

store::Project DemoProject::create(const QString& path) {
  initWorkbenchResources();
  QFile resource(QString::fromLatin1(kResource));
  if (!resource.open(QIODevice::ReadOnly)) throw Error(std::string(kResource) + ": the demo data is missing from this build");
  std::istringstream rows(resource.readAll().toStdString());

  // Checked here, not left to Project::create, because a failure below removes the file.
  if (QFileInfo::exists(path)) throw ProjectError(path.toStdString() + ": a file is already there");
  const QString folder = QFileInfo(path).absolutePath();
  if (!QDir().mkpath(folder)) throw ProjectError(folder.toStdString() + ": cannot create the folder for the demo project");
  try {
    {
      // Imported then closed, so that a failed import cannot leave a half-made file open.
      store::Project project = store::Project::create(toPath(path), "Demo");
      io::importJsonl(project, rows, "demo-collabllm.jsonl", io::ImportOptions{});
      addSimulatedConversations(project);
    }
    return store::Project::open(toPath(path));
  } catch (...) {
    removeProjectFiles(path);
    throw;
  }
}

} // namespace collab::ui
