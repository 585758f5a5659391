#include "demo/DemoSaving.h"

#include "task/TaskRegistry.h"

#include <QCoreApplication>

#include <exception>

namespace collab::ui {

std::optional<qint64> saveDemo(store::Project* project, const simulate::DemoConversation& demo, QString* error) {
  auto fail = [&](const QString& why) -> std::optional<qint64> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (!project) return fail(QCoreApplication::translate("DemoSaving", "No project is open to save the conversation into."));
  try {
    return simulate::saveDemoConversation(*project, demo);
  } catch (const std::exception& e) {
    return fail(QCoreApplication::translate("DemoSaving", "The conversation was not saved: %1").arg(QString::fromUtf8(e.what())));
  }
}

task::TaskInstance demoTask(const QString& taskId) {
  return task::TaskRegistry().byId(taskId.toStdString());
}

} // namespace collab::ui
