#include "MathRowFamily.h"

#include "task/MathFamily.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace collab::plugins::collabllm {

namespace {

// The content of the last \boxed{...}, braces balanced.
std::string lastBoxed(const std::string& text) {
  const std::size_t at = text.rfind("\\boxed{");
  if (at == std::string::npos) return "";
  int depth = 0;
  for (std::size_t i = at + 6; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return text.substr(at + 7, i - at - 7);
  }
  return "";
}

std::string normalised(std::string answer) {
  answer.erase(std::remove_if(answer.begin(), answer.end(),
                              [](unsigned char c) { return std::isspace(c) || c == '$' || c == ','; }),
               answer.end());
  while (!answer.empty() && answer.back() == '.') answer.pop_back();
  return answer;
}

std::optional<double> asNumber(const std::string& text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

} // namespace

std::string finalAnswer(const std::string& solution) {
  std::string boxed = lastBoxed(solution);
  if (!boxed.empty()) return normalised(boxed);
  const std::size_t hashes = solution.rfind("####");
  if (hashes != std::string::npos) return normalised(solution.substr(hashes + 4));
  const auto number = task::lastNumber(solution);
  if (!number) return "";
  char text[64];
  std::snprintf(text, sizeof text, "%.10g", *number);
  return text;
}

std::string MathRowFamily::extractArtefact(const conversation::Messages& conversation) const {
  for (auto it = conversation.rbegin(); it != conversation.rend(); ++it)
    if (it->role == conversation::Role::Assistant) return it->content;
  return "";
}

task::TaskScore MathRowFamily::score(const task::TaskInstance& task, const std::string& artefact) const {
  const std::string expected = finalAnswer(task.reference), given = finalAnswer(artefact);
  if (given.empty()) return {0.0, "no final answer found"};
  const auto a = asNumber(expected), b = asNumber(given);
  const bool equal = a && b ? std::fabs(*a - *b) <= 1e-6 * std::max(1.0, std::fabs(*a)) : expected == given;
  return {equal ? 1.0 : 0.0, "final answer " + given + (equal ? " equals " : " differs from ") + "the reference's " + expected};
}

} // namespace collab::plugins::collabllm
