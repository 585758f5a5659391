#include "RewardOptions.h"

#include "UsageError.h"
#include "reward/RewardPresets.h"

#include <sstream>

namespace collab::cli {

namespace {

// "task=1,interactivity=0.5,lambda=5e-4" onto the config.
void applyWeights(const std::string& text, reward::RewardConfig& config) {
  std::istringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    const std::size_t equals = item.find('=');
    const std::string key = item.substr(0, equals);
    double value = 0;
    try {
      std::size_t used = 0;
      value = std::stod(item.substr(equals + 1), &used);
      if (equals == std::string::npos || used != item.size() - equals - 1) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw UsageError("--weights: expected KEY=NUMBER, found \"" + item + "\"");
    }
    if (key == "task") config.taskWeight = value;
    else if (key == "interactivity") config.interactivityWeight = value;
    else if (key == "lambda") config.tokenLambda = value;
    else throw UsageError("--weights: unknown key \"" + key + "\" (known: task, interactivity, lambda)");
  }
}

} // namespace

void RewardOptions::addTo(CLI::App* command) {
  command->add_option("--preset", preset_, "Reward settings of the reference: paper (v1) or library (v2)")
      ->capture_default_str()
      ->check(CLI::IsMember(reward::rewardPresetNames()));
  windowOption_ = command->add_option("--window", window_, "MR window w in exchanges (0: single-turn reward); default: the preset's")
      ->check(CLI::Range(0, 10));
  samplesOption_ = command->add_option("--samples", samples_, "Sampled futures S per candidate; default: the preset's")->check(CLI::Range(1, 32));
  command->add_option("--weights", weights_, "Overrides, e.g. task=1,interactivity=0.5,lambda=5e-4");
  command->add_option("--seed", seed_, "Seed of the simulated users")->capture_default_str();
}

reward::RewardConfig RewardOptions::configFor(const std::string& metric) const {
  reward::RewardConfig config = reward::rewardPreset(preset_, metric);
  if (windowOption_->count() > 0) config.window = window_;
  if (samplesOption_->count() > 0) config.samples = samples_;
  if (!weights_.empty()) applyWeights(weights_, config);
  config.seed = seed_;
  config.validate();
  return config;
}

} // namespace collab::cli
