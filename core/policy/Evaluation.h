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

enum class TableFormat { Text, Markdown, Csv };
std::string formatEvaluation(const std::vector<EvaluationRow>& rows, const std::string& metric, TableFormat format);

} // namespace collab::policy
