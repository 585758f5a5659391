#include "NodeRewards.h"

#include <QCoreApplication>

#include <algorithm>
#include <functional>
#include <iterator>

namespace collab::ui {

namespace {
// The parts of R* in the order CollabLLM writes them: task + interactivity + efficiency.
constexpr const char* kKnownParts[] = {"task", "interactivity", "efficiency"};
} // namespace

NodeRewards NodeRewards::of(const TreeSnapshot& snapshot, conversation::NodeId node) {
  NodeRewards rewards;
  rewards.mr = snapshot.latest(node, "MR");
  for (const char* kind : kKnownParts)
    if (const reward::Score* score = snapshot.latest(node, kind)) rewards.parts.push_back(score);
  const int samples = rewards.sampleCount();
  for (const std::string& kind : snapshot.kinds()) {
    if (kind == "MR" || std::find(std::begin(kKnownParts), std::end(kKnownParts), kind) != std::end(kKnownParts))
      continue;
    const reward::Score* score = snapshot.latest(node, kind);
    if (score && (samples == 0 || static_cast<int>(score->samples.size()) == samples)) rewards.parts.push_back(score);
  }
  return rewards;
}

int NodeRewards::sampleCount() const { return mr ? static_cast<int>(mr->samples.size()) : 0; }

const reward::Score* NodeRewards::part(const std::string& kind) const {
  for (const reward::Score* score : parts)
    if (score->kind == kind) return score;
  return nullptr;
}

QColor partColour(const std::string& kind) {
  if (kind == "task") return QColor(0x3b, 0x7d, 0xd8);
  if (kind == "interactivity") return QColor(0x8e, 0x5c, 0xc2);
  if (kind == "efficiency") return QColor(0xe0, 0x8a, 0x2c);
  if (kind == "MR" || kind == "R*") return QColor(0x1d, 0x23, 0x2b);
  // Other metrics: a stable colour from the name.
  const QColor others[] = {QColor(0x2e, 0x9e, 0x6b), QColor(0xc2, 0x4e, 0x6e), QColor(0x5b, 0x8a, 0x9a),
                           QColor(0x9a, 0x7b, 0x4f)};
  return others[std::hash<std::string>{}(kind) % std::size(others)];
}

QString partName(const std::string& kind) {
  if (kind == "efficiency") return QCoreApplication::translate("NodeRewards", "efficiency (token cost)");
  return QString::fromStdString(kind);
}

QString shortPartName(const std::string& kind) {
  if (kind == "interactivity") return QStringLiteral("int");
  if (kind == "efficiency") return QStringLiteral("eff");
  return QString::fromStdString(kind);
}

FiveNumbers fiveNumbers(std::vector<double> samples) {
  FiveNumbers five;
  if (samples.empty()) return five;
  std::sort(samples.begin(), samples.end());
  auto quantile = [&](double q) {
    const double position = q * static_cast<double>(samples.size() - 1);
    const auto below = static_cast<std::size_t>(position);
    const auto above = std::min(below + 1, samples.size() - 1);
    return samples[below] + (samples[above] - samples[below]) * (position - static_cast<double>(below));
  };
  five = {samples.front(), quantile(0.25), quantile(0.5), quantile(0.75), samples.back()};
  return five;
}

} // namespace collab::ui
