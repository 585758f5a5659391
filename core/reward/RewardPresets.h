#pragma once

#include "reward/RewardConfig.h"

#include <string>
#include <vector>

namespace collab::reward {

// Named settings that reproduce the reference implementation (COLLABLLM.md), by the task's
// metric ("bleu", "accuracy", "pass_rate"):
// - "paper" (v1, the paper's numbers): S = 3, w = 2; R* = task + interactivity
//   - min(lambda * tokens, 1) over the candidate and its future, both roles, lambda = 1e-4
//   for documents and 5e-4 for code and math; the judge reads the forward part on 1-3 / 3.
// - "library" (v2, the released package): S = 3, 4 new messages (w = 2); the whole session
//   is scored: assistant tokens / 1000 with weight -0.1 (documents) or -0.5 (code, math),
//   no clip; interactivity in [0, 1] over the session, weighted 0.5 for math (its examples
//   use 0.5 to 1) and 0 for documents and code (their examples leave it out).
std::vector<std::string> rewardPresetNames();
// Throws collab::Error for an unknown name, listing the known ones.
RewardConfig rewardPreset(const std::string& name, const std::string& metric);

} // namespace collab::reward
