#include "policy/ScoredTurns.h"

#include "policy/Episodes.h"
#include "reward/ConversationReward.h"
#include "simulate/RuleBasedUserSimulator.h"

#include <algorithm>
#include <cmath>

namespace collab::policy {

namespace {

using conversation::Messages;
using conversation::Role;

std::vector<DialogueAct> drawActs(ActPolicy& policy, const task::TaskInstance& task, const Messages& conversation,
                                  const TurnSampling& sampling) {
  std::vector<DialogueAct> acts;
  for (auto& act : policy.sampleActs(task, conversation, sampling.candidates))
    if (!sampling.distinct || std::find(acts.begin(), acts.end(), act) == acts.end()) acts.push_back(std::move(act));
  return acts;
}

// The candidates of one turn, their futures all played in one batch of rollouts.
ScoredTurn scoreTurn(const Episode& e, const Messages& conversation, int turn, ActPolicy& policy,
                     const TurnSampling& sampling) {
  ScoredTurn scored;
  scored.turn = turn;
  scored.history = conversation;
  scored.prompt = policy.vocabulary().encode(e.task, conversation).ids;
  reward::RewardConfig config = sampling.rewardForMetric ? sampling.rewardForMetric(e.family->metric()) : sampling.reward;
  config.seed = e.seed + static_cast<std::uint64_t>(turn);
  std::vector<std::string> texts;
  for (DialogueAct& act : drawActs(policy, e.task, conversation, sampling)) {
    ScoredCandidate candidate;
    candidate.tokens = policy.vocabulary().encodeAct(act);
    candidate.text = policy.render(e.task, conversation, act);
    candidate.act = std::move(act);
    texts.push_back(candidate.text);
    scored.candidates.push_back(std::move(candidate));
  }
  const auto simulators = [&](int sample) -> std::unique_ptr<simulate::UserSimulator> {
    return std::make_unique<simulate::RuleBasedUserSimulator>(*e.family, e.persona,
                                                             episodeSeed(config.seed, static_cast<std::size_t>(sample)));
  };
  auto estimates = reward::estimateMultiturnRewards(*e.family, e.task, conversation, texts, policy, simulators, config);
  for (std::size_t c = 0; c < estimates.size(); ++c) scored.candidates[c].mr = std::move(estimates[c]);
  return scored;
}

} // namespace

std::vector<std::size_t> ScoredTurn::ranked() const {
  std::vector<std::pair<double, std::size_t>> scored;
  for (std::size_t c = 0; c < candidates.size(); ++c) scored.emplace_back(candidates[c].mr.mean, c);
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::size_t> order;
  for (const auto& [mean, c] : scored) order.push_back(c);
  return order;
}

std::vector<ScoredTurn> mrScoredTurns(const task::TaskRegistry& tasks, const EpisodeSource& source, ActPolicy& policy,
                                      const TurnSampling& sampling, std::uint64_t seed,
                                      const std::function<void(std::size_t, std::size_t)>& progress) {
  std::vector<ScoredTurn> turns;
  const auto all = episodes(tasks, source, seed);
  for (std::size_t index = 0; index < all.size(); ++index) {
    const Episode& e = all[index];
    Messages conversation = opening(e.task);
    simulate::RuleBasedUserSimulator user(*e.family, e.persona, e.seed);
    for (int turn = 0; turn < source.maxExchanges; ++turn) {
      ScoredTurn scored = scoreTurn(e, conversation, turn, policy, sampling);
      scored.episode = index;
      const std::size_t next = sampling.continueWith == TurnSampling::Continue::Best ? scored.ranked().front() : 0;
      conversation.push_back({Role::Assistant, scored.candidates[next].text});
      turns.push_back(std::move(scored));
      const auto reply = user.reply(e.task, conversation);
      if (reply.terminated || reply.text.empty()) break;
      conversation.push_back({Role::User, reply.text});
    }
    if (progress) progress(index + 1, all.size());
  }
  return turns;
}

std::map<std::string, double> candidateMetrics(const std::vector<ScoredTurn>& turns) {
  double n = 0.0, mean = 0.0, squares = 0.0, task = 0.0, eff = 0.0, interactivity = 0.0;
  double sessions = 0.0, assistantTurns = 0.0, assistantTokens = 0.0;
  for (const auto& turn : turns)
    for (const auto& c : turn.candidates) {
      n += 1.0;
      mean += c.mr.mean, squares += c.mr.mean * c.mr.mean;
      task += c.mr.task, eff += c.mr.efficiency, interactivity += c.mr.interactivity;
      for (const auto& sample : c.mr.samples) {
        // The session this sample scored: history, the candidate, its future.
        Messages session = turn.history;
        session.push_back({Role::Assistant, c.text});
        session.insert(session.end(), sample.future.begin(), sample.future.end());
        sessions += 1.0;
        for (const auto& m : session)
          if (m.role == Role::Assistant) assistantTurns += 1.0, assistantTokens += reward::countTokens(m.content);
      }
    }
  if (n == 0.0) return {{"candidates", 0.0}};
  const double average = mean / n;
  return {{"mr/mean", average},
          {"mr/std", std::sqrt(std::max(0.0, squares / n - average * average))},
          {"mr/task", task / n},
          {"mr/eff", eff / n},
          {"mr/int", interactivity / n},
          {"num_turns/mean", sessions > 0 ? assistantTurns / sessions : 0.0},
          {"tokens/assistant_mean", sessions > 0 ? assistantTokens / sessions : 0.0},
          {"candidates", n}};
}

} // namespace collab::policy
