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
  // How the reference's two versions differ (RewardPresets.h sets them together):
  std::string preset;                 // "paper", "library", or empty when set by hand
  std::string tokenScope = "forward"; // "forward": both roles over the candidate and its future (v1);
                                      // "session": the assistant's turns of the whole conversation (v2)
  bool clipTokenPenalty = true;       // v1: -min(lambda * tokens, 1); v2: -lambda * tokens
  std::string judgeScope = "forward"; // what the interactivity judge reads: "forward" (v1, the history as
                                      // context) or "session" (v2)
  std::string judgeScale = "1-3";     // an LLM judge's scale: "1-3" (v1, divided by 3) or "0-1" (v2)

  std::string toJson() const;
  static RewardConfig fromJson(const std::string& json);
  // Throws collab::Error naming the first field out of its range or set.
  void validate() const;
};

} // namespace collab::reward
