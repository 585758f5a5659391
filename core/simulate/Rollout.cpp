#include "simulate/Rollout.h"

namespace collab::simulate {

Rollout playOut(const task::TaskInstance& task, const conversation::Messages& prefix, Policy& policy,
                UserSimulator& user, int maxNewMessages) {
  Rollout rollout;
  conversation::Messages conversation = prefix;
  for (int i = 0; i < maxNewMessages; ++i) {
    const bool userTurn = !conversation.empty() && conversation.back().role == conversation::Role::Assistant;
    conversation::Message next;
    if (userTurn) {
      SimulatedReply reply = user.reply(task, conversation);
      next = {conversation::Role::User, reply.text};
      rollout.thoughts.push_back(reply.thought);
      rollout.terminated = reply.terminated;
    } else {
      next = {conversation::Role::Assistant, policy.respond(task, conversation)};
    }
    conversation.push_back(next);
    rollout.messages.push_back(next);
    if (rollout.terminated) break;
  }
  return rollout;
}

namespace {

// A rollout under way: its conversation so far and what it has added.
struct LiveRollout {
  const RolloutStart* start;
  conversation::Messages conversation;
  Rollout result;
  bool done = false;

  bool policyTurn() const { return conversation.empty() || conversation.back().role != conversation::Role::Assistant; }
  std::uint64_t stream() const { return mixSeed(start->stream, result.messages.size()); }
  void add(conversation::Message message) {
    conversation.push_back(message);
    result.messages.push_back(std::move(message));
    done = result.terminated || static_cast<int>(result.messages.size()) >= start->maxNewMessages;
  }
};

void userTurn(LiveRollout& live) {
  SimulatedReply reply = live.start->user->reply(*live.start->task, live.conversation);
  live.result.thoughts.push_back(reply.thought);
  live.result.terminated = reply.terminated;
  live.add({conversation::Role::User, std::move(reply.text)});
}

// One policy call for the given rollouts, each waiting for the policy, whatever their tasks.
void policyTurns(const std::vector<LiveRollout*>& waiting, Policy& policy) {
  if (waiting.empty()) return;
  std::vector<PolicyTurn> turns;
  for (const LiveRollout* live : waiting) turns.push_back({live->start->task, &live->conversation, live->stream()});
  std::vector<std::string> replies = policy.respondToTurns(turns);
  for (std::size_t i = 0; i < waiting.size(); ++i)
    waiting[i]->add({conversation::Role::Assistant, std::move(replies.at(i))});
}

void playOneByOne(std::vector<LiveRollout>& live, Policy& policy) {
  for (LiveRollout& one : live)
    while (!one.done) {
      if (one.policyTurn())
        policyTurns({&one}, policy);
      else
        userTurn(one);
    }
}

// Lock step: the users of every rollout speak (cheap, or their own requests), then the
// policy answers all rollouts waiting for it at once, reusing what it read for them.
void playTogether(std::vector<LiveRollout>& live, Policy& policy) {
  const RelatedCalls related(policy);
  for (bool any = true; any;) {
    any = false;
    std::vector<LiveRollout*> waiting;
    for (LiveRollout& one : live) {
      if (one.done) continue;
      any = true;
      if (one.policyTurn())
        waiting.push_back(&one);
      else
        userTurn(one);
    }
    policyTurns(waiting, policy);
  }
}

} // namespace

std::vector<Rollout> playOutAll(const std::vector<RolloutStart>& starts, Policy& policy, RolloutBatching batching) {
  std::vector<LiveRollout> live;
  live.reserve(starts.size());
  for (const RolloutStart& start : starts) live.push_back({&start, *start.prefix, {}, start.maxNewMessages <= 0});
  if (batching == RolloutBatching::OneByOne)
    playOneByOne(live, policy);
  else
    playTogether(live, policy);
  std::vector<Rollout> rollouts;
  for (LiveRollout& one : live) rollouts.push_back(std::move(one.result));
  return rollouts;
}

std::vector<Rollout> playOutAll(const task::TaskInstance& task, const std::vector<RolloutStart>& starts, Policy& policy,
                                int maxNewMessages, RolloutBatching batching) {
  std::vector<RolloutStart> onTask = starts;
  for (RolloutStart& start : onTask) {
    start.task = &task;
    start.maxNewMessages = maxNewMessages;
  }
  return playOutAll(onTask, policy, batching);
}

} // namespace collab::simulate
