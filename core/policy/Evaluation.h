#pragma once

#include "policy/PolicyData.h"

#include <functional>
#include <string>
#include <vector>

namespace collab::policy {

// The paper's evaluation table for one policy: over N simulated conversations on
// held-out tasks, the task metric, assistant tokens per conversation (in thousands), the
// interactivity judge's score, and mean MR of the policy's turns, each with a 95%
// confidence interval (mean ± 1.96 standard errors).
struct Estimate {
  double mean = 0.0;
  double halfWidth = 0.0; // 95% CI = mean ± halfWidth
};

struct EvaluationRow {
  std::string name;
  std::size_t conversations = 0;
  Estimate task, tokensK, interactivity, mr, turns;
  Estimate goalQuestions, offGoalQuestions; // per conversation: questions about the goal, and about nothing in it
  // The per-conversation values behind the estimates, in conversation order. Every policy
  // of one evaluation meets the same tasks, personas and seeds in the same order, so two
  // rows can be compared conversation by conversation (pairedDifference).
  struct Values {
    std::vector<double> task, tokensK, interactivity, mr;
  } values;
};

struct EvaluationSettings {
  EpisodeSource source;          // split "test"
  reward::RewardConfig reward;   // MR settings for the per-turn MR column
  bool withMr = true;
  // Called with each finished conversation (for --show: researchers read what happened).
  std::function<void(const task::TaskInstance&, const conversation::Messages&, double taskScore)> onConversation;
};

EvaluationRow evaluatePolicy(const task::TaskRegistry& tasks, simulate::Policy& policy, const std::string& name,
                             const EvaluationSettings& settings, std::uint64_t seed);

Estimate estimate(const std::vector<double>& values);

// Mean of (b[i] - a[i]) with its 95% confidence interval, for values measured on the same
// conversations: the spread of difficulty between tasks and personas cancels out, so the
// interval is much narrower than the two rows' own intervals side by side.
// Throws collab::Error when the two do not have the same number of conversations.
Estimate pairedDifference(const std::vector<double>& a, const std::vector<double>& b);

enum class TableFormat { Text, Markdown, Csv };
std::string formatEvaluation(const std::vector<EvaluationRow>& rows, const std::string& metric, TableFormat format);
// Every other row against rows[baseline], conversation by conversation (text or Markdown);
// a difference whose interval excludes 0 is marked with '*'. Empty for one row.
std::string formatPairedDifferences(const std::vector<EvaluationRow>& rows, std::size_t baseline, const std::string& metric,
                                    TableFormat format);

} // namespace collab::policy
