#include "reward/Score.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace collab::reward {

Score nodeScore(conversation::TreeId tree, conversation::NodeId node, std::string kind, double value,
                std::string configJson) {
  Score score;
  score.treeId = tree;
  score.nodeId = node;
  score.kind = std::move(kind);
  score.value = value;
  score.configJson = std::move(configJson);
  return score;
}

std::string configHash(const std::string& configJson) {
  // nlohmann's object keeps keys sorted, so dump() is a canonical form.
  const std::string canonical = nlohmann::json::parse(configJson).dump();
  std::uint64_t hash = 1469598103934665603ULL; // FNV-1a, 64 bits
  for (unsigned char c : canonical) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

} // namespace collab::reward
