#pragma once

#include "simulate/Policy.h"
#include "simulate/ScriptedPolicy.h"

#include <memory>
#include <string>
#include <vector>

namespace collab::simulate {

// One candidate response at a turn: its text, who wrote it, and the policy that plays the
// assistant in its sampled futures.
struct CandidateDraft {
  std::string text;
  std::string author; // "policy:scripted/ask-then-answer", "policy:http:MODEL@URL"...
  Policy* policy = nullptr; // owned by the source, valid until its next draft()
};

// Where the candidates of a turn come from. Identical texts are kept once.
class CandidateSource {
public:
  virtual ~CandidateSource() = default;
  virtual std::vector<CandidateDraft> draft(const task::TaskInstance& task, const conversation::Messages& history) = 0;
};

// The scripted behaviours, the first `count` of: answer at once, ask then answer, ask
// everything. Each plays its own futures.
class ScriptedCandidates : public CandidateSource {
public:
  ScriptedCandidates(const task::TaskFamily& family, int count = 3);
  std::vector<CandidateDraft> draft(const task::TaskInstance& task, const conversation::Messages& history) override;

private:
  const task::TaskFamily& family_;
  int count_;
  std::vector<std::unique_ptr<ScriptedPolicy>> policies_;
};

// `count` samples of one policy in one batched call (an LLM at temperature > 0 gives
// different ones); the same policy plays the futures.
class SampledCandidates : public CandidateSource {
public:
  SampledCandidates(Policy& policy, std::string author, int count);
  std::vector<CandidateDraft> draft(const task::TaskInstance& task, const conversation::Messages& history) override;

private:
  Policy& policy_;
  std::string author_;
  int count_;
};

} // namespace collab::simulate
