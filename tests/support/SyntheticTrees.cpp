#include "SyntheticTrees.h"

#include "reward/Score.h"
#include "store/Transaction.h"

#include <chrono>
#include <deque>
#include <random>

namespace collab::test {

namespace {

using conversation::NodeId;
using conversation::NodeKind;
using conversation::Role;

const char* const kAnswers[] = {
    "Here is a first draft of the announcement for the whole team, written in a friendly tone.",
    "Before I write it: who will read it, and should it be formal or casual?",
    "Could you tell me the date, the audience, the tone and how long it should be?",
    "The total comes to 134 tiles, plus ten percent spare for cuts and breakage.",
};
const char* const kReplies[] = {
    "It is for the backend team, twelve engineers, keep it short.",
    "Formal please, it goes to the board.",
    "Just go ahead, I don't have time for questions.",
    "The room is three by four metres.",
};

class Writer {
public:
  Writer(store::Project& project, conversation::TreeId tree, std::uint64_t seed)
      : project_(project), tree_(tree), random_(seed) {}

  NodeId add(std::optional<NodeId> parent, Role role, const std::string& text, NodeKind kind = NodeKind::Turn,
             std::optional<int> sample = std::nullopt) {
    ++written_;
    return project_.nodes().add(store::NewNode::of(tree_, parent, {role, text}, role == Role::User ? "simulator:rule/generic-user@v1" : "policy:scripted/ask-then-answer",
                                                  kind, sample));
  }

  // MR and its parts for a candidate, with one value per future; R* on each future's head.
  void score(NodeId candidate, const std::vector<NodeId>& futureHeads) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<double> task, interactivity, efficiency, total;
    for (std::size_t s = 0; s < futureHeads.size(); ++s) {
      task.push_back(unit(random_));
      interactivity.push_back(0.33 + 0.67 * unit(random_));
      efficiency.push_back(-0.05 * unit(random_));
      total.push_back(task.back() + interactivity.back() + efficiency.back());
      project_.scores().add(reward::nodeScore(tree_, futureHeads[s], "R*", total.back(), kConfig));
    }
    auto mean = [](const std::vector<double>& v) {
      double sum = 0;
      for (double x : v) sum += x;
      return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
    };
    for (const auto& [kind, values] : {std::pair{"MR", total}, std::pair{"task", task},
                                       std::pair{"interactivity", interactivity}, std::pair{"efficiency", efficiency}}) {
      reward::Score score = reward::nodeScore(tree_, candidate, kind, mean(values), kConfig);
      score.samples = values;
      if (std::string(kind) == "MR") score.std = 0.1;
      project_.scores().add(score);
    }
  }

  // One MR of a turn, no parts: what a large imported dataset mostly carries.
  void scoreMr(NodeId node) {
    project_.scores().add(reward::nodeScore(tree_, node, "MR", std::uniform_real_distribution<double>(0.0, 2.0)(random_), kConfig));
  }

  int written() const { return written_; }
  std::mt19937_64& random() { return random_; }

private:
  static constexpr const char* kConfig = "{\"samples\":3,\"window\":1,\"synthetic\":true}";
  store::Project& project_;
  conversation::TreeId tree_;
  std::mt19937_64 random_;
  int written_ = 0;
};

conversation::TreeId newTree(store::Project& project, const std::string& title) {
  store::TreeRecord record;
  record.title = title;
  record.source = "synthetic";
  return project.trees().add(record);
}

// Three candidates below `user`, each with three futures; returns the candidates.
std::vector<NodeId> expand(Writer& writer, NodeId user, int budget) {
  std::vector<NodeId> candidates;
  for (int c = 0; c < 3 && writer.written() < budget; ++c) {
    const NodeId candidate = writer.add(user, Role::Assistant, kAnswers[(user + c) % 4]);
    std::vector<NodeId> heads;
    for (int s = 0; s < 3 && writer.written() + 1 < budget; ++s) {
      const NodeId head = writer.add(candidate, Role::User, kReplies[(user + s) % 4], NodeKind::Continuation, s);
      writer.add(head, Role::Assistant, kAnswers[(c + s) % 4], NodeKind::Continuation, s);
      heads.push_back(head);
    }
    writer.score(candidate, heads);
    candidates.push_back(candidate);
  }
  return candidates;
}

} // namespace

conversation::TreeId addSyntheticTree(store::Project& project, int nodes, std::uint64_t seed, const std::string& title) {
  const conversation::TreeId tree = newTree(project, title.empty() ? "synthetic tree of " + std::to_string(nodes) + " nodes" : title);
  Writer writer(project, tree, seed);
  std::deque<NodeId> users = {writer.add(std::nullopt, Role::User, "Write an announcement for the team offsite.")};
  while (writer.written() < nodes) {
    if (users.empty()) users.push_back(writer.add(std::nullopt, Role::User, "Another question."));
    const NodeId user = users.front();
    users.pop_front();
    for (NodeId candidate : expand(writer, user, nodes))
      // About half the candidates go on; at least one, so that the tree keeps growing.
      if (writer.written() < nodes && (users.empty() || writer.random()() % 2 == 0))
        users.push_back(writer.add(candidate, Role::User, kReplies[candidate % 4]));
  }
  return tree;
}

double addSyntheticTrees(store::Project& project, int trees, int nodesPerTree, std::uint64_t seed) {
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < trees; ++t) {
    const conversation::TreeId tree =
        newTree(project, "Synthetic conversation " + std::to_string(t + 1) + ": " + kReplies[t % 4]);
    Writer writer(project, tree, seed + static_cast<std::uint64_t>(t));
    NodeId last = writer.add(std::nullopt, Role::User, std::string("Question ") + std::to_string(t + 1) + ": " + kReplies[t % 4]);
    while (writer.written() < nodesPerTree) {
      const NodeId answer = writer.add(last, Role::Assistant, kAnswers[(t + writer.written()) % 4]);
      writer.scoreMr(answer);
      if (writer.written() >= nodesPerTree) break;
      last = writer.add(answer, Role::User, kReplies[(t + writer.written()) % 4]);
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace collab::test
