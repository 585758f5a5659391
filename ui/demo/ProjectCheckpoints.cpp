#include "demo/ProjectCheckpoints.h"

#include "store/Project.h"

#include <algorithm>

namespace collab::ui {

QStringList projectCheckpoints(store::Project* project) {
  QStringList paths;
  if (!project) return paths;
  auto runs = project->runs().list();
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  for (const auto& run : runs)
    for (const auto& checkpoint : project->runs().checkpoints(run.id))
      if (const QString p = QString::fromStdString(checkpoint.path); !paths.contains(p)) paths << p;
  return paths;
}

} // namespace collab::ui
