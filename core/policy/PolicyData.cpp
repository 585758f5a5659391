#include "policy/PolicyData.h"

#include "policy/Episodes.h"
#include "policy/ScoredTurns.h"
#include "simulate/Rollout.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "simulate/ScriptedPolicy.h"

#include <algorithm>
#include <set>

namespace collab::policy {

namespace {

using conversation::Messages;
using conversation::Role;

} // namespace

std::uint64_t episodeSeed(std::uint64_t seed, std::size_t index) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + index + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

ActVocabulary vocabularyFor(const task::TaskRegistry& tasks, const EpisodeSource& source, std::uint64_t seed) {
  std::vector<std::string> keys, userMessages;
  for (const auto& e : episodes(tasks, source, seed)) {
    for (const auto& attribute : e.task.goal) keys.push_back(attribute.key);
    userMessages.push_back(e.task.firstUserMessage);
    simulate::ScriptedPolicy asker(*e.family, simulate::ScriptedPolicy::Behaviour::AskEverything, e.seed);
    simulate::RuleBasedUserSimulator user(*e.family, e.persona, e.seed);
    for (const auto& m : simulate::playOut(e.task, opening(e.task), asker, user, 2 * source.maxExchanges).messages)
      if (m.role == Role::User) userMessages.push_back(m.content);
  }
  return ActVocabulary::build(keys, userMessages);
}

std::vector<train::TokenSequence> scriptedSftData(const task::TaskRegistry& tasks, const EpisodeSource& source,
                                                  const ActVocabulary& vocabulary, std::uint64_t seed) {
  using Behaviour = simulate::ScriptedPolicy::Behaviour;
  const Behaviour behaviours[] = {Behaviour::AnswerAtOnce, Behaviour::AskThenAnswer, Behaviour::AskEverything};
  std::vector<train::TokenSequence> data;
  std::size_t i = 0;
  for (const auto& e : episodes(tasks, source, seed)) {
    simulate::ScriptedPolicy scripted(*e.family, behaviours[i++ % 3], e.seed);
    simulate::RuleBasedUserSimulator user(*e.family, e.persona, e.seed);
    Messages conversation = opening(e.task);
    const auto rollout = simulate::playOut(e.task, conversation, scripted, user, 2 * source.maxExchanges);
    conversation.insert(conversation.end(), rollout.messages.begin(), rollout.messages.end());
    // Drop a final user message: the sequence ends with the last assistant act.
    while (!conversation.empty() && conversation.back().role == Role::User) conversation.pop_back();
    if (conversation.size() < 2) continue;
    Messages prefix(conversation.begin(), conversation.end() - 1);
    auto encoded = vocabulary.encode(e.task, prefix);
    for (auto token : vocabulary.encodeAct(readAct(e.task, conversation.back().content))) {
      encoded.ids.push_back(token);
      encoded.actTokens.push_back(1);
    }
    data.push_back({std::move(encoded.ids), std::move(encoded.actTokens)});
  }
  return data;
}

std::vector<ActPair> mrPreferencePairs(const task::TaskRegistry& tasks, const EpisodeSource& source, ActPolicy& policy,
                                       const PairSettings& settings, std::uint64_t seed,
                                       const std::function<void(std::size_t, std::size_t)>& progress) {
  TurnSampling sampling;
  sampling.candidates = settings.candidates;
  sampling.reward = settings.reward;
  sampling.rewardForMetric = settings.rewardForMetric;
  std::vector<ActPair> pairs;
  for (const ScoredTurn& turn : mrScoredTurns(tasks, source, policy, sampling, seed, progress)) {
    const auto order = turn.ranked();
    const ScoredCandidate& best = turn.candidates[order.front()];
    const ScoredCandidate& worst = turn.candidates[order.back()];
    if (order.size() < 2 || best.mr.mean - worst.mr.mean < settings.minGap) continue;
    pairs.push_back({turn.prompt, best.tokens, worst.tokens, best.mr.mean, worst.mr.mean});
  }
  return pairs;
}

} // namespace collab::policy
