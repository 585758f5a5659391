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

} // namespace collab::simulate
