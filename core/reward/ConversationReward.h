#pragma once

#include "conversation/Message.h"
#include "reward/AccuracyJudge.h"
#include "reward/InteractivityJudge.h"
#include "reward/RewardConfig.h"
#include "task/TaskFamily.h"

#include <string>

namespace collab::reward {

// R* of one (windowed) conversation, with its parts: R* = wt * task + wi * int + eff.
struct RewardBreakdown {
  double task = 0.0;
  double efficiency = 0.0;    // -min(lambda * tokens, 1)
  double interactivity = 0.0; // in [0, 1]
  double total = 0.0;
  int tokens = 0;
  std::string taskDetail, interactivityRationale;
};

// Tokens as counted without a tokenizer: whitespace-separated words.
int countTokens(const std::string& text);

// The rule judge of interactivity over the forward part (the candidate and what follows),
// on the reference's 1-3 scale divided by 3: each assistant turn engages well when it asks
// about something of the goal not yet known and the user's reply tells it, or answers once
// nothing is left to learn; it does not when it answers with goal details still unknown or
// asks what the user does not answer (irrelevant, or one question too many).
// Score = (1 + 2 * share of good turns) / 3.
double ruleInteractivity(const task::TaskInstance& task, const conversation::Messages& history,
                         const conversation::Messages& forward, std::string* rationale = nullptr);

// Who judges the parts of R* that need judging. The rule interactivity judge when none is
// given; the task family's own metric unless an accuracy judge is given for a task scored
// by accuracy.
struct RewardJudges {
  InteractivityJudge* interactivity = nullptr;
  AccuracyJudge* accuracy = nullptr;
};

// Scores the conversation history + forward: the task metric on the final artefact of
// the whole conversation; tokens and interactivity over the forward part (v1) or over the
// whole session (v2), as `config` says.
RewardBreakdown conversationReward(const task::TaskFamily& family, const task::TaskInstance& task,
                                   const conversation::Messages& history, const conversation::Messages& forward,
                                   const RewardConfig& config, const RewardJudges& judges = {});

} // namespace collab::reward
