#pragma once

#include "train/Trainers.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace collab::train {

// A DPO stage's data, kept beside its checkpoints (OUTPUT/STAGE.checkpoints/preferences.json)
// so that a resumed stage trains on exactly the pairs and reference log-probabilities of
// the interrupted one instead of sampling and scoring them again: building them is most
// of a DPO stage's time, and sampling is only as reproducible as the floating point of
// the machine and thread count it ran on.
struct PreferenceData {
  std::vector<PreferenceExample> pairs;
  ReferenceLogProbs reference;
  nlohmann::json summary; // the stage's "data" event, emitted again on resume
};

inline constexpr const char* kPreferenceFile = "preferences.json";

// JSON, written atomically (an Error naming the path and the OS error on failure). Doubles
// are written with enough digits to read back bit for bit.
void writePreferenceData(const std::string& path, const PreferenceData& data);
// InputError naming the file and what is wrong.
PreferenceData readPreferenceData(const std::string& path);

} // namespace collab::train
