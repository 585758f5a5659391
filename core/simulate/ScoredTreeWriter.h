#pragma once

#include "reward/MultiturnReward.h"
#include "store/Project.h"

#include <optional>
#include <string>

namespace collab::simulate {

// Writes what a multiturn-aware reward estimate produced into one conversation tree: the
// turns, each candidate's MR and its parts (one value per sampled future, with the config
// that produced them), and each sampled future as a continuation chain below its candidate
// carrying its own R*. The caller holds the transaction.
class ScoredTreeWriter {
public:
  ScoredTreeWriter(store::Project& project, conversation::TreeId tree, std::string simulatorAuthor,
                   std::string configJson);

  conversation::NodeId add(std::optional<conversation::NodeId> parent, const conversation::Message& message,
                           const std::string& author, conversation::NodeKind kind = conversation::NodeKind::Turn,
                           std::optional<int> sample = std::nullopt);
  void addScores(conversation::NodeId node, const reward::MultiturnRewardEstimate& mr);
  void addFutures(conversation::NodeId candidate, const reward::MultiturnRewardEstimate& mr,
                  const std::string& policyAuthor);
  const std::string& simulatorAuthor() const { return simulatorAuthor_; }

private:
  void score(conversation::NodeId node, const std::string& kind, double value, std::optional<double> std,
             std::vector<double> samples, const std::string& rationale);

  store::Project& project_;
  conversation::TreeId tree_;
  std::string simulatorAuthor_;
  std::string configJson_; // the reward config, recorded with every score
};

} // namespace collab::simulate
