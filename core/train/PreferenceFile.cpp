#include "train/PreferenceFile.h"

#include "common/AtomicFile.h"
#include "common/Error.h"

#include <fstream>

namespace collab::train {

using nlohmann::json;

void writePreferenceData(const std::string& path, const PreferenceData& data) {
  json pairs = json::array();
  for (std::size_t i = 0; i < data.pairs.size(); ++i) {
    const PreferenceExample& p = data.pairs[i];
    pairs.push_back({{"prompt", p.prompt},
                     {"chosen", p.chosen},
                     {"rejected", p.rejected},
                     {"reference_chosen", data.reference.chosen.at(i)},
                     {"reference_rejected", data.reference.rejected.at(i)}});
  }
  // nlohmann writes the shortest decimal that reads back as the same double.
  writeFileAtomically(path, json{{"summary", data.summary}, {"pairs", pairs}}.dump() + "\n");
}

PreferenceData readPreferenceData(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open (the preference pairs of the stage's checkpoints)");
  const json value = json::parse(in, nullptr, false);
  if (value.is_discarded() || !value.contains("pairs") || !value["pairs"].is_array())
    throw InputError(path, 0, "expected a JSON object with a \"pairs\" list");
  PreferenceData data;
  data.summary = value.value("summary", json::object());
  for (std::size_t i = 0; i < value["pairs"].size(); ++i) {
    const json& p = value["pairs"][i];
    try {
      data.pairs.push_back({p.at("prompt").get<std::vector<std::int64_t>>(), p.at("chosen").get<std::vector<std::int64_t>>(),
                            p.at("rejected").get<std::vector<std::int64_t>>()});
      data.reference.chosen.push_back(p.at("reference_chosen").get<double>());
      data.reference.rejected.push_back(p.at("reference_rejected").get<double>());
    } catch (const json::exception&) {
      throw InputError(path, 0, "pairs[" + std::to_string(i) +
                                    "]: expected prompt, chosen, rejected (token ids) and reference_chosen, reference_rejected (numbers)");
    }
  }
  return data;
}

} // namespace collab::train
