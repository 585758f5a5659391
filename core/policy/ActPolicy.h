#pragma once

#include "model/Generator.h"
#include "model/Sampler.h"
#include "model/Transformer.h"
#include "policy/ActVocabulary.h"
#include "simulate/Policy.h"
#include "task/TaskRegistry.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace collab::policy {

// The built-in policy: a transformer over ActVocabulary that reads the conversation as
// words and writes the next act, rendered into a message by renderAct(). Trained from
// scratch by `collab train` (SFT on scripted behaviours, then DPO on MR pairs).
class ActPolicy : public simulate::Policy {
public:
  ActPolicy(model::CausalLm model, ActVocabulary vocabulary, const task::TaskRegistry& tasks,
            model::SamplingParams sampling, std::uint64_t seed);

  // Loads a checkpoint directory written by save().
  static ActPolicy load(const std::string& directory, const task::TaskRegistry& tasks, model::SamplingParams sampling,
                        std::uint64_t seed);
  void save(const std::string& directory) const;

  std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation) override;
  // The same reply (same random stream), calling `onActWord` with each word of the act as
  // the model draws it ("ask", "tone", ...; not the end token): a demo shows the act grow.
  using ActWordSink = std::function<void(const std::string& word)>;
  std::string respond(const task::TaskInstance& task, const conversation::Messages& conversation,
                      const ActWordSink& onActWord);
  // One batch for all: each reply from its own stream (seeded by the policy's seed and it).
  std::vector<std::string> respondInStreams(const task::TaskInstance& task,
                                            const std::vector<conversation::Messages>& conversations,
                                            const std::vector<std::uint64_t>& streams) override;
  // One batch for the turns of all tasks: each row encoded and its act rendered with its
  // own task, drawn from its own stream, so a reply does not depend on its company.
  std::vector<std::string> respondToTurns(const std::vector<simulate::PolicyTurn>& turns) override;

  // n acts for the same conversation, drawn in one batch (candidates for MR pairs).
  std::vector<DialogueAct> sampleActs(const task::TaskInstance& task, const conversation::Messages& conversation,
                                      int n);
  // One act per conversation, act i drawn with generation seed `seeds[i]`, in one batch.
  std::vector<DialogueAct> sampleActs(const task::TaskInstance& task, const std::vector<conversation::Messages>& conversations,
                                      const std::vector<std::uint64_t>& seeds, const model::GenerationHooks& hooks = {});
  std::string render(const task::TaskInstance& task, const conversation::Messages& conversation,
                     const DialogueAct& act) const;

  // Between these, generation keeps and reuses the keys and values of what it has read
  // (model::PrefixCache with the policy's PrefixReuse); outside, every call reads its whole
  // conversation. The encoding of a conversation only grows as turns are added (see
  // ActVocabulary::encode), so a future's next turn reads only its new messages.
  void beginRelatedCalls() override;
  void endRelatedCalls() override;
  // What related calls reuse; both parts off reads every conversation whole.
  void setPrefixReuse(model::PrefixReuse reuse) { reuse_ = reuse; }
  // What the prefix caches of related calls read and reused, summed since construction.
  const model::PrefixCache::Counts& prefixCounts() const { return prefixCounts_; }
  // Batched generations run since construction (model::generate calls, one per batch).
  std::uint64_t generations() const { return generations_; }
  // The most rows of one batch; a call with more is served in batches of equal size, rows
  // in order (so the futures of a candidate, and the candidates of a task, stay together).
  // 0: no limit. A batch decodes until its longest act ends, lays every row out as wide as
  // its widest prompt and copies its cache as rows finish, so past some tens of rows a
  // bigger batch costs more per row than another call does (bench_mr, 12 tasks x 4
  // candidates x 8 futures: 384 rows in one batch about 15% slower than in batches of 64).
  void setMaxBatchRows(std::size_t rows) { maxBatchRows_ = rows; }
  std::size_t maxBatchRows() const { return maxBatchRows_; }
  // Batches run at once, one per thread, for a call of many rows (BatchLanes.h): by
  // default on CPU the cores LibTorch leaves idle (idleCoreLanes), 1 on a GPU. Each lane
  // keeps its own prefix cache during related calls. A call streaming its tokens
  // (respond with an ActWordSink) uses one.
  void setLanes(std::size_t lanes) { lanes_ = std::max<std::size_t>(1, lanes); }
  std::size_t lanes() const { return lanes_; }

  // Where the candidate draws' streams stand: sampleActs(task, conversation, n) draws call
  // k from a fresh stream of (seed, k), so an online stage's round depends on the calls
  // of the rounds before it. A resumed stage sets it back to its checkpoint's count, so
  // that its next round draws what the uninterrupted stage drew.
  std::uint64_t sampleCalls() const { return calls_; }
  void setSampleCalls(std::uint64_t calls) { calls_ = calls; }

  model::CausalLmImpl& model() { return *model_; }
  model::CausalLm modelPointer() const { return model_; }
  const ActVocabulary& vocabulary() const { return vocabulary_; }
  void setSampling(model::SamplingParams sampling) { sampling_ = sampling; }

private:
  // One row of a batch: a conversation, the task it is encoded with, its generation seed.
  struct ActRow {
    const task::TaskInstance* task;
    const conversation::Messages* conversation;
    std::uint64_t seed;
  };
  // One act per row: the rows split over lanes, each lane's in batches of at most
  // maxBatchRows_.
  std::vector<DialogueAct> drawActs(const std::vector<ActRow>& rows, const model::GenerationHooks& hooks = {});
  // The results of `requests` split over `lanes` lanes (BatchLanes.h), in request order.
  std::vector<model::GenerationResult> drawInLanes(const std::vector<model::GenerationRequest>& requests,
                                                   std::size_t lanes);
  // The generation request of each row.
  std::vector<model::GenerationRequest> requestsFor(const std::vector<ActRow>& rows) const;
  // The results of `requests`, in batches of at most maxBatchRows_ (of equal size), reading
  // through `prefixes` (may be null). Returns the batches run.
  std::uint64_t drawBatches(const std::vector<model::GenerationRequest>& requests, const model::GenerationHooks& hooks,
                            model::PrefixCache* prefixes, std::vector<model::GenerationResult>& results);
  // The generation seeds of the next call's n acts: a fresh stream of (seed, call).
  std::vector<std::uint64_t> nextCallSeeds(int n);

  model::CausalLm model_;
  ActVocabulary vocabulary_;
  const task::TaskRegistry& tasks_;
  model::SamplingParams sampling_;
  std::uint64_t seed_;
  std::uint64_t calls_ = 0; // each call draws from a fresh stream of (seed, call)
  model::PrefixReuse reuse_;
  std::vector<std::unique_ptr<model::PrefixCache>> prefixes_; // one per lane, alive between beginRelatedCalls() and the matching end
  int related_ = 0;                              // nesting depth of related calls
  model::PrefixCache::Counts prefixCounts_;
  std::uint64_t generations_ = 0;
  std::size_t maxBatchRows_ = 64;
  std::size_t lanes_ = 1; // set by the constructor from the model's device
};

// The transformer configuration of a fresh built-in policy for a vocabulary.
model::ModelConfig builtinPolicyConfig(std::int64_t vocabularySize);

} // namespace collab::policy
