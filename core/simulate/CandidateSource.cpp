#include "simulate/CandidateSource.h"

#include <algorithm>
#include <array>

namespace collab::simulate {

namespace {

using Behaviour = ScriptedPolicy::Behaviour;

constexpr std::array<std::pair<Behaviour, const char*>, 3> kBehaviours = {{
    {Behaviour::AnswerAtOnce, "answer-at-once"},
    {Behaviour::AskThenAnswer, "ask-then-answer"},
    {Behaviour::AskEverything, "ask-everything"},
}};

void addUnlessSeen(std::vector<CandidateDraft>& drafts, CandidateDraft draft) {
  if (std::none_of(drafts.begin(), drafts.end(), [&](const CandidateDraft& d) { return d.text == draft.text; }))
    drafts.push_back(std::move(draft));
}

} // namespace

ScriptedCandidates::ScriptedCandidates(const task::TaskFamily& family, int count)
    : family_(family), count_(std::clamp(count, 1, static_cast<int>(kBehaviours.size()))) {}

std::vector<CandidateDraft> ScriptedCandidates::draft(const task::TaskInstance& task,
                                                      const conversation::Messages& history) {
  policies_.clear();
  std::vector<CandidateDraft> drafts;
  for (int i = 0; i < count_; ++i) {
    const auto& [behaviour, name] = kBehaviours[static_cast<std::size_t>(i)];
    // The style seed varies the wording from turn to turn.
    policies_.push_back(std::make_unique<ScriptedPolicy>(family_, behaviour, static_cast<std::uint64_t>(history.size())));
    addUnlessSeen(drafts, {policies_.back()->respond(task, history), std::string("policy:scripted/") + name,
                           policies_.back().get()});
  }
  return drafts;
}

SampledCandidates::SampledCandidates(Policy& policy, std::string author, int count)
    : policy_(policy), author_(std::move(author)), count_(std::max(1, count)) {}

std::vector<CandidateDraft> SampledCandidates::draft(const task::TaskInstance& task,
                                                     const conversation::Messages& history) {
  std::vector<CandidateDraft> drafts;
  const std::vector<conversation::Messages> copies(static_cast<std::size_t>(count_), history);
  for (auto& text : policy_.respondAll(task, copies)) addUnlessSeen(drafts, {std::move(text), author_, &policy_});
  return drafts;
}

} // namespace collab::simulate
