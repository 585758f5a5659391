#pragma once

#include <QMenu>
#include <QStringList>

namespace collab::ui {

// The projects opened last, most recent first, kept in the user's settings.
class RecentProjects {
public:
  static constexpr int kMax = 8;

  static QStringList list();
  static void add(const QString& path);
  static void remove(const QString& path);
};

// File › Open recent: filled from RecentProjects each time it opens.
class RecentProjectsMenu : public QMenu {
  Q_OBJECT

public:
  explicit RecentProjectsMenu(QWidget* parent = nullptr);

signals:
  void projectChosen(const QString& path);

private:
  void refill();
};

} // namespace collab::ui
