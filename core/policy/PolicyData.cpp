#include "policy/PolicyData.h"

#include "reward/MultiturnReward.h"
#include "simulate/Rollout.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "simulate/ScriptedPolicy.h"

#include <algorithm>
#include <set>

namespace collab::policy {

namespace {

using conversation::Message;
using conversation::Messages;
using conversation::Role;

struct Episode {
  const task::TaskFamily* family;
  task::TaskInstance task;
  persona::Traits persona;
  std::uint64_t seed;
};

std::vector<Episode> episodes(const task::TaskRegistry& tasks, const EpisodeSource& source, std::uint64_t seed) {
  std::vector<Episode> all;
  const std::vector<persona::Traits> personas = source.personas.empty() ? std::vector<persona::Traits>{persona::Traits{}}
                                                                        : source.personas;
  for (const auto& name : source.families) {
    const auto& family = tasks.family(name);
    for (auto& task : tasks.tasks(name, source.taskSeed, source.tasksPerFamily, source.split)) {
      const std::size_t i = all.size();
      all.push_back({&family, std::move(task), personas[i % personas.size()], episodeSeed(seed, i)});
    }
  }
  return all;
}

Messages opening(const task::TaskInstance& task) { return {Message{Role::User, task.firstUserMessage}}; }

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
  std::vector<ActPair> pairs;
  const auto all = episodes(tasks, source, seed);
  for (std::size_t index = 0; index < all.size(); ++index) {
    const Episode& e = all[index];
    Messages conversation = opening(e.task);
    simulate::RuleBasedUserSimulator user(*e.family, e.persona, e.seed);
    for (int turn = 0; turn < source.maxExchanges; ++turn) {
      // Distinct candidate acts; MR of each, its futures continued by the policy itself.
      std::vector<DialogueAct> acts;
      for (auto& act : policy.sampleActs(e.task, conversation, settings.candidates))
        if (std::find(acts.begin(), acts.end(), act) == acts.end()) acts.push_back(std::move(act));
      std::vector<std::pair<double, std::size_t>> scored;
      reward::RewardConfig config = settings.rewardForMetric ? settings.rewardForMetric(e.family->metric()) : settings.reward;
      config.seed = e.seed + static_cast<std::uint64_t>(turn);
      std::vector<std::string> texts;
      for (const DialogueAct& act : acts) texts.push_back(policy.render(e.task, conversation, act));
      const auto simulators = [&](int sample) -> std::unique_ptr<simulate::UserSimulator> {
        return std::make_unique<simulate::RuleBasedUserSimulator>(*e.family, e.persona,
                                                                 episodeSeed(config.seed, static_cast<std::size_t>(sample)));
      };
      // All candidates' futures in one batch of rollouts.
      const auto estimates = reward::estimateMultiturnRewards(*e.family, e.task, conversation, texts, policy, simulators, config);
      for (std::size_t c = 0; c < acts.size(); ++c) scored.emplace_back(estimates[c].mean, c);
      std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      if (scored.size() >= 2 && scored.front().first - scored.back().first >= settings.minGap) {
        ActPair pair;
        pair.prompt = policy.vocabulary().encode(e.task, conversation).ids;
        pair.chosen = policy.vocabulary().encodeAct(acts[scored.front().second]);
        pair.rejected = policy.vocabulary().encodeAct(acts[scored.back().second]);
        pair.chosenScore = scored.front().first;
        pair.rejectedScore = scored.back().first;
        pairs.push_back(std::move(pair));
      }
      const DialogueAct& best = acts[scored.front().second];
      conversation.push_back({Role::Assistant, policy.render(e.task, conversation, best)});
      const auto reply = user.reply(e.task, conversation);
      if (reply.terminated || reply.text.empty()) break;
      conversation.push_back({Role::User, reply.text});
    }
    if (progress) progress(index + 1, all.size());
  }
  return pairs;
}

} // namespace collab::policy
