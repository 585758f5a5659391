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

reward::RewardConfig rewardConfigOf(const Episode& e, int turn, const TurnSampling& sampling) {
  reward::RewardConfig config = sampling.rewardForMetric ? sampling.rewardForMetric(e.family->metric()) : sampling.reward;
  config.seed = e.seed + static_cast<std::uint64_t>(turn);
  return config;
}

// The candidates of one turn, drawn and rendered, not scored yet.
ScoredTurn drawTurn(const Episode& e, const Messages& conversation, int turn, ActPolicy& policy,
                    const TurnSampling& sampling) {
  ScoredTurn scored;
  scored.turn = turn;
  scored.history = conversation;
  scored.prompt = policy.vocabulary().encode(e.task, conversation).ids;
  for (DialogueAct& act : drawActs(policy, e.task, conversation, sampling)) {
    ScoredCandidate candidate;
    candidate.tokens = policy.vocabulary().encodeAct(act);
    candidate.text = policy.render(e.task, conversation, act);
    candidate.act = std::move(act);
    scored.candidates.push_back(std::move(candidate));
  }
  return scored;
}

// What MR needs to score a drawn turn: its futures played against the episode's persona.
reward::CandidateTurn candidateTurn(const Episode& e, const ScoredTurn& drawn, const TurnSampling& sampling) {
  reward::CandidateTurn turn;
  turn.family = e.family;
  turn.task = &e.task;
  turn.history = &drawn.history;
  for (const ScoredCandidate& c : drawn.candidates) turn.candidates.push_back(c.text);
  turn.config = rewardConfigOf(e, drawn.turn, sampling);
  turn.makeSimulator = [&e, seed = turn.config.seed](int sample) -> std::unique_ptr<simulate::UserSimulator> {
    return std::make_unique<simulate::RuleBasedUserSimulator>(*e.family, e.persona,
                                                             episodeSeed(seed, static_cast<std::size_t>(sample)));
  };
  return turn;
}

// An episode under way: its conversation so far, its simulated user and its scored turns.
struct LiveEpisode {
  const Episode* episode;
  Messages conversation;
  simulate::RuleBasedUserSimulator user;
  std::vector<ScoredTurn> turns;
  bool over = false;
};

// Continues the episode with the chosen candidate and the user's reply.
void goOn(LiveEpisode& live, ScoredTurn scored, const TurnSampling& sampling) {
  const std::size_t next = sampling.continueWith == TurnSampling::Continue::Best ? scored.ranked().front() : 0;
  live.conversation.push_back({Role::Assistant, scored.candidates[next].text});
  live.turns.push_back(std::move(scored));
  const auto reply = live.user.reply(live.episode->task, live.conversation);
  live.over = reply.terminated || reply.text.empty();
  if (!live.over) live.conversation.push_back({Role::User, reply.text});
}

// One turn of every episode still playing: candidates drawn episode by episode, then the
// futures of all of them played in one lock step (policy calls batched across tasks).
void playRound(std::vector<LiveEpisode*>& playing, int turn, ActPolicy& policy, const TurnSampling& sampling) {
  std::vector<ScoredTurn> drawn;
  for (const LiveEpisode* live : playing) drawn.push_back(drawTurn(*live->episode, live->conversation, turn, policy, sampling));
  std::vector<reward::CandidateTurn> toScore;
  for (std::size_t i = 0; i < playing.size(); ++i) toScore.push_back(candidateTurn(*playing[i]->episode, drawn[i], sampling));
  auto estimates = reward::estimateMultiturnRewardsOfTurns(toScore, policy);
  for (std::size_t i = 0; i < playing.size(); ++i) {
    for (std::size_t c = 0; c < estimates[i].size(); ++c) drawn[i].candidates[c].mr = std::move(estimates[i][c]);
    goOn(*playing[i], std::move(drawn[i]), sampling);
  }
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
  const auto all = episodes(tasks, source, seed);
  std::vector<LiveEpisode> live;
  live.reserve(all.size());
  for (const Episode& e : all) live.push_back({&e, opening(e.task), {*e.family, e.persona, e.seed}, {}, source.maxExchanges <= 0});
  std::size_t finished = 0;
  for (int turn = 0; turn < source.maxExchanges; ++turn) {
    std::vector<LiveEpisode*> playing;
    for (LiveEpisode& one : live)
      if (!one.over) playing.push_back(&one);
    if (playing.empty()) break;
    playRound(playing, turn, policy, sampling);
    for (const LiveEpisode* one : playing)
      if (one->over && progress) progress(++finished, all.size());
  }
  if (progress) // the episodes that played every exchange
    while (finished < all.size()) progress(++finished, all.size());
  std::vector<ScoredTurn> turns; // episode by episode, turn by turn
  for (std::size_t index = 0; index < live.size(); ++index)
    for (ScoredTurn& scored : live[index].turns) {
      scored.episode = index;
      turns.push_back(std::move(scored));
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
