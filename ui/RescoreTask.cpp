#include "RescoreTask.h"

#include "simulate/TurnRescorer.h"
#include "store/Project.h"

namespace collab::ui {

namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

QString settingsOf(const reward::Score& score) {
  const reward::RewardConfig config = reward::RewardConfig::fromJson(score.configJson);
  return QObject::tr("config %1…, S=%2, w=%3, λ=%4")
      .arg(QString::fromStdString(score.configHash.substr(0, 8)))
      .arg(config.samples)
      .arg(config.window)
      .arg(config.tokenLambda);
}

} // namespace

BackgroundTask* makeRescoreTask(const QString& projectPath, conversation::NodeId node,
                                const reward::RewardConfig& config, QObject* parent) {
  return new BackgroundTask(
      QObject::tr("Re-scoring turn %1").arg(node),
      [project = toPath(projectPath), node, config](TaskControl& control) -> std::any {
        store::Project target = store::Project::open(project);
        control.setProgress(0, 1);
        simulate::Rescored rescored = simulate::rescoreTurn(target, node, config, [&control] { return control.cancelled(); });
        control.setProgress(1, 1);
        return rescored;
      },
      parent);
}

QString describeRescore(const std::any& value) {
  const auto* rescored = std::any_cast<simulate::Rescored>(&value);
  if (!rescored) return {};
  const QString now = QObject::tr("<b>%1</b> (%2)").arg(rescored->current.value, 0, 'f', 3).arg(settingsOf(rescored->current));
  if (!rescored->previous) return QObject::tr("New MR %1").arg(now);
  return QObject::tr("MR %1 (%2) → %3")
      .arg(rescored->previous->value, 0, 'f', 3)
      .arg(settingsOf(*rescored->previous))
      .arg(now);
}

} // namespace collab::ui
