#include "RecentProjects.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace collab::ui {

namespace {
constexpr const char* kKey = "recentProjects";
}

QStringList RecentProjects::list() { return QSettings().value(QLatin1String(kKey)).toStringList(); }

void RecentProjects::add(const QString& path) {
  QStringList paths = list();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  paths.removeAll(absolute);
  paths.prepend(absolute);
  while (paths.size() > kMax) paths.removeLast();
  QSettings().setValue(QLatin1String(kKey), paths);
}

void RecentProjects::remove(const QString& path) {
  QStringList paths = list();
  paths.removeAll(QFileInfo(path).absoluteFilePath());
  QSettings().setValue(QLatin1String(kKey), paths);
}

RecentProjectsMenu::RecentProjectsMenu(QWidget* parent) : QMenu(tr("Open &recent"), parent) {
  setObjectName(QStringLiteral("recentProjectsMenu"));
  connect(this, &QMenu::aboutToShow, this, &RecentProjectsMenu::refill);
  refill();
}

void RecentProjectsMenu::refill() {
  clear();
  const QStringList paths = RecentProjects::list();
  if (paths.isEmpty()) {
    addAction(tr("No recent projects"))->setEnabled(false);
    return;
  }
  for (int i = 0; i < paths.size(); ++i) {
    const QString path = paths[i];
    // "&1 demo.collab — /home/ana/projects": the name first, the folder to tell twins apart.
    QAction* action = addAction(tr("&%1 %2 — %3")
                                    .arg(i + 1)
                                    .arg(QFileInfo(path).fileName(), QDir::toNativeSeparators(QFileInfo(path).absolutePath())));
    action->setEnabled(QFileInfo::exists(path));
    connect(action, &QAction::triggered, this, [this, path] { emit projectChosen(path); });
  }
  addSeparator();
  addAction(tr("Clear the list"), this, [] {
    for (const QString& path : RecentProjects::list()) RecentProjects::remove(path);
  });
}

} // namespace collab::ui
