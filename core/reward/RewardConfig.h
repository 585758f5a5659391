#pragma once

#include <string>

namespace collab::reward {

// Everything that decides a multiturn-aware reward; recorded (and hashed) with every
// score it produces. Defaults follow the reference implementation's v1 settings
// (COLLABLLM.md): S = 3 samples, window w = 2 exchanges, R* = task + interactivity
// - min(lambda * tokens, 1). window = 0 is the single-turn reward ablation.
struct RewardConfig {
  int samples = 3;
  int window = 2;            // exchanges after the candidate; 2 * window messages at most
  double taskWeight = 1.0;
  double interactivityWeight = 1.0;
  double tokenLambda = 1e-4; // per token; 5e-4 for code and math in the reference
  std::string tokenCounter = "whitespace"; // how tokens are counted (no tokenizer needed)
  std::string judge = "rule";              // interactivity judge
  std::string simulator = "rule";          // user simulator
  std::string personaVersion;              // recorded with the score
  unsigned long long seed = 0;

  std::string toJson() const;
  static RewardConfig fromJson(const std::string& json);
};

} // namespace collab::reward
