#pragma once

#include "conversation/Message.h"
#include "task/Task.h"

#include <cstdint>
#include <string>
#include <vector>

namespace collab::simulate {

// One conversation waiting for the policy, with the task it is played on and the random
// stream its reply is drawn from (see Policy::respondInStreams).
struct PolicyTurn {
  const task::TaskInstance* task = nullptr;
  const conversation::Messages* conversation = nullptr;
  std::uint64_t stream = 0;
};

// The assistant side of a simulated conversation: the trained model through an LLM
// backend, or a scripted behaviour for tests and SFT data.
class Policy {
public:
  virtual ~Policy() = default;
  // The next assistant message after `conversation` (which ends with a user message).
  virtual std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation) = 0;
  // The next message of each conversation, in order. A policy over a batched backend
  // (a local model decoding a batch, an HTTP endpoint with requests in flight together)
  // serves them in one call; by default they are answered one by one.
  virtual std::vector<std::string> respondAll(const task::TaskInstance& task,
                                              const std::vector<conversation::Messages>& conversations) {
    std::vector<std::string> replies;
    for (const auto& conversation : conversations) replies.push_back(respond(task, conversation));
    return replies;
  }
  // As respondAll, where reply i is drawn from random stream `streams[i]` alone: a policy
  // that samples gives the same replies for the same streams however the conversations
  // are grouped into calls, so rollouts batched across samples and candidates score
  // exactly what one-at-a-time rollouts score. Policies that do not sample, or that cannot
  // seed a request, ignore the streams.
  virtual std::vector<std::string> respondInStreams(const task::TaskInstance& task,
                                                    const std::vector<conversation::Messages>& conversations,
                                                    const std::vector<std::uint64_t>& streams) {
    (void)streams;
    return respondAll(task, conversations);
  }
  // As respondInStreams, for conversations of any tasks (the futures of several tasks'
  // candidates scored together): reply i answers turns[i], drawn from turns[i].stream
  // alone, so a reply is the same however the turns are grouped. By default the turns are
  // grouped by task (in order of first appearance) and each group answered by one
  // respondInStreams call; a policy that can batch rows of different tasks (a local model:
  // each row encoded with its own task) serves them all in one call.
  virtual std::vector<std::string> respondToTurns(const std::vector<PolicyTurn>& turns);
  // Rollouts played together call the policy turn after turn on conversations that share
  // their beginnings (the futures of a candidate) and extend what it read before (each
  // future's next turn). Between these two calls the policy itself does not change, so a
  // policy that can keep what it has read (a local model: the keys and values of those
  // conversations) may reuse it; at the end it must forget it, as its weights may change.
  // Calls nest; by default nothing is kept.
  virtual void beginRelatedCalls() {}
  virtual void endRelatedCalls() {}
};

// beginRelatedCalls() for as long as it lives.
class RelatedCalls {
public:
  explicit RelatedCalls(Policy& policy) : policy_(policy) { policy_.beginRelatedCalls(); }
  ~RelatedCalls() { policy_.endRelatedCalls(); }
  RelatedCalls(const RelatedCalls&) = delete;
  RelatedCalls& operator=(const RelatedCalls&) = delete;

private:
  Policy& policy_;
};

} // namespace collab::simulate
