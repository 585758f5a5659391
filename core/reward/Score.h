#pragma once

#include "conversation/Node.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collab::reward {

// One score of a turn (or of a whole conversation when nodeId is empty), with what
// produced it: a researcher must always be able to answer "where did this number come
// from?". Kinds are free-form names: "MR", "bleu", "token_amount", "interactivity"...
struct Score {
  std::int64_t id = 0;
  conversation::TreeId treeId = 0;
  std::optional<conversation::NodeId> nodeId;
  std::string kind;
  double value = 0.0;
  std::optional<double> std;
  std::vector<double> samples; // one value per sampled continuation, when there are any
  std::string rationale;       // a judge's explanation, when it gave one
  std::string configHash;      // filled from configJson when left empty
  std::string configJson = "{}";
  std::string createdAt;
};

// A score of one node with what every producer fills; the optional parts (std, samples,
// rationale) are set on the result.
Score nodeScore(conversation::TreeId tree, conversation::NodeId node, std::string kind, double value,
                std::string configJson);

// Stable short hash of a configuration: the same JSON (any key order) gives the same hash.
std::string configHash(const std::string& configJson);

} // namespace collab::reward
