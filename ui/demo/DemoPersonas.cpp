#include "demo/DemoPersonas.h"

#include "common/Error.h"
#include "persona/DefaultPersonas.h"
#include "persona/PersonaVersions.h"
#include "runs/PersonasFolder.h"
#include "store/Project.h"

namespace collab::ui {

namespace {

QList<DemoPersona> fromProject(store::Project& project) {
  QList<DemoPersona> personas;
  for (const auto& name : project.personas().names()) {
    const auto latest = project.personas().latest(name);
    if (!latest) continue;
    try {
      personas.append({QString::fromStdString(name + "@v" + std::to_string(latest->version)), persona::fromVersion(*latest)});
    } catch (const Error&) {
    }
  }
  return personas;
}

QList<DemoPersona> fromFolder() {
  QList<DemoPersona> personas;
  const QString folder = defaultPersonasFolder();
  if (folder.isEmpty()) return personas;
  try {
    for (const auto& p : persona::loadDefaultPersonas(folder.toStdString())) personas.append({QString::fromStdString(p.name), p});
  } catch (const Error&) {
  }
  return personas;
}

} // namespace

QList<DemoPersona> demoPersonas(store::Project* project) {
  QList<DemoPersona> personas = project ? fromProject(*project) : QList<DemoPersona>{};
  if (personas.isEmpty()) personas = fromFolder();
  std::sort(personas.begin(), personas.end(), [](const auto& a, const auto& b) { return a.label < b.label; });
  return personas;
}

} // namespace collab::ui
