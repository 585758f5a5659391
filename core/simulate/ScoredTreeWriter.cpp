#include "simulate/ScoredTreeWriter.h"

namespace collab::simulate {

using conversation::NodeId;
using conversation::Role;

ScoredTreeWriter::ScoredTreeWriter(store::Project& project, conversation::TreeId tree, std::string simulatorAuthor,
                                   std::string configJson)
    : project_(project), tree_(tree), simulatorAuthor_(std::move(simulatorAuthor)), configJson_(std::move(configJson)) {}

NodeId ScoredTreeWriter::add(std::optional<NodeId> parent, const conversation::Message& message,
                             const std::string& author, conversation::NodeKind kind, std::optional<int> sample) {
  return project_.nodes().add(store::NewNode::of(tree_, parent, message, author, kind, sample));
}

void ScoredTreeWriter::addScores(NodeId node, const reward::MultiturnRewardEstimate& mr) {
  auto samplesOf = [&](auto part) {
    std::vector<double> values;
    for (const auto& s : mr.samples) values.push_back(part(s.reward));
    return values;
  };
  score(node, "MR", mr.mean, mr.std, samplesOf([](const auto& r) { return r.total; }), "");
  score(node, "task", mr.task, std::nullopt, samplesOf([](const auto& r) { return r.task; }), "");
  score(node, "efficiency", mr.efficiency, std::nullopt, samplesOf([](const auto& r) { return r.efficiency; }), "");
  score(node, "interactivity", mr.interactivity, std::nullopt, samplesOf([](const auto& r) { return r.interactivity; }),
        mr.samples.empty() ? "" : mr.samples.front().reward.interactivityRationale);
}

void ScoredTreeWriter::addFutures(NodeId candidate, const reward::MultiturnRewardEstimate& mr,
                                  const std::string& policyAuthor) {
  for (std::size_t s = 0; s < mr.samples.size(); ++s) {
    const auto& sample = mr.samples[s];
    std::optional<NodeId> parent = candidate, first;
    for (const auto& message : sample.future) {
      parent = add(parent, message, message.role == Role::User ? simulatorAuthor_ : policyAuthor,
                   conversation::NodeKind::Continuation, static_cast<int>(s));
      if (!first) first = parent;
    }
    if (first) score(*first, "R*", sample.reward.total, std::nullopt, {}, sample.reward.taskDetail);
  }
}

void ScoredTreeWriter::score(NodeId node, const std::string& kind, double value, std::optional<double> std,
                             std::vector<double> samples, const std::string& rationale) {
  reward::Score s = reward::nodeScore(tree_, node, kind, value, configJson_);
  s.std = std;
  s.samples = std::move(samples);
  s.rationale = rationale;
  project_.scores().add(s);
}

} // namespace collab::simulate
