#include "policy/Evaluation.h"

#include "common/Error.h"
#include "policy/DialogueAct.h"
#include "reward/ConversationReward.h"
#include "reward/MultiturnReward.h"
#include "simulate/RuleBasedUserSimulator.h"

#include <cmath>
#include <cstdio>
#include <numeric>

namespace collab::policy {

namespace {

using conversation::Messages;
using conversation::Role;

std::string formatted(const char* pattern, double a, double b) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, a, b);
  return buffer;
}

// A finished conversation whose assistant turns are to be scored by MR, each turn's
// futures played by the same policy against fresh simulated users.
struct PlayedConversation {
  const task::TaskFamily* family;
  task::TaskInstance task;
  persona::Traits persona;
  reward::RewardConfig config;
  std::vector<Messages> histories; // before each assistant turn
  std::vector<std::string> turns;  // what the assistant said there
};

PlayedConversation toScore(const task::TaskFamily& family, const task::TaskInstance& task, const Messages& conversation,
                           const persona::Traits& persona, const reward::RewardConfig& config) {
  PlayedConversation played{&family, task, persona, config, {}, {}};
  for (std::size_t i = 1; i < conversation.size(); ++i) {
    if (conversation[i].role != Role::Assistant) continue;
    played.histories.emplace_back(conversation.begin(), conversation.begin() + static_cast<long>(i));
    played.turns.push_back(conversation[i].content);
  }
  return played;
}

// Mean MR of each conversation's assistant turns (0 for none), the futures of every turn of
// every conversation played together: the policy's calls batched across tasks.
std::vector<double> meanTurnMrs(const std::vector<PlayedConversation>& played, simulate::Policy& policy) {
  std::vector<reward::CandidateTurn> turns;
  for (const PlayedConversation& c : played)
    for (std::size_t t = 0; t < c.turns.size(); ++t) {
      // Seeded by the turn's place in the conversation, as each turn was scored alone before.
      const std::uint64_t seed = c.config.seed + c.histories[t].size();
      const reward::SimulatorFactory simulators = [&c, seed](int sample) -> std::unique_ptr<simulate::UserSimulator> {
        return std::make_unique<simulate::RuleBasedUserSimulator>(*c.family, c.persona,
                                                                 episodeSeed(seed, static_cast<std::size_t>(sample)));
      };
      turns.push_back({c.family, &c.task, &c.histories[t], {c.turns[t]}, simulators, c.config, {}});
    }
  const auto estimates = reward::estimateMultiturnRewardsOfTurns(turns, policy);
  std::vector<double> means;
  auto next = estimates.begin();
  for (const PlayedConversation& c : played) {
    double sum = 0.0;
    for (std::size_t t = 0; t < c.turns.size(); ++t) sum += (next++)->front().mean;
    means.push_back(c.turns.empty() ? 0.0 : sum / static_cast<double>(c.turns.size()));
  }
  return means;
}

} // namespace

Estimate estimate(const std::vector<double>& values) {
  if (values.empty()) return {};
  const double n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double sd = values.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  return {mean, 1.96 * sd / std::sqrt(n)};
}

Estimate pairedDifference(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size())
    throw Error("paired difference of " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                " conversations: the same conversations are needed on both sides");
  std::vector<double> differences(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) differences[i] = b[i] - a[i];
  return estimate(differences);
}

EvaluationRow evaluatePolicy(const task::TaskRegistry& tasks, simulate::Policy& policy, const std::string& name,
                             const EvaluationSettings& settings, std::uint64_t seed) {
  std::vector<double> task, tokens, interactivity, mr, turns, goalQuestions, offGoalQuestions;
  std::vector<PlayedConversation> played;
  const auto& source = settings.source;
  const std::vector<persona::Traits> personas =
      source.personas.empty() ? std::vector<persona::Traits>{persona::Traits{}} : source.personas;
  std::size_t index = 0;
  for (const auto& familyName : source.families) {
    const auto& family = tasks.family(familyName);
    for (const auto& instance : tasks.tasks(familyName, source.taskSeed, source.tasksPerFamily, source.split)) {
      const persona::Traits& persona = personas[index % personas.size()];
      const std::uint64_t episode = episodeSeed(seed, index++);
      simulate::RuleBasedUserSimulator user(family, persona, episode);
      Messages conversation = {{Role::User, instance.firstUserMessage}};
      const auto rollout = simulate::playOut(instance, conversation, policy, user, 2 * source.maxExchanges);
      conversation.insert(conversation.end(), rollout.messages.begin(), rollout.messages.end());

      const auto score = family.score(instance, family.extractArtefact(conversation));
      int assistantTokens = 0, assistantTurns = 0, asks = 0, chats = 0;
      for (const auto& m : conversation) {
        if (m.role != Role::Assistant) continue;
        assistantTokens += reward::countTokens(m.content);
        ++assistantTurns;
        const auto kind = readAct(instance, m.content).kind;
        asks += kind == DialogueAct::Kind::Ask;
        chats += kind == DialogueAct::Kind::Chat;
      }
      goalQuestions.push_back(asks);
      offGoalQuestions.push_back(chats);
      task.push_back(score.value);
      if (settings.onConversation) settings.onConversation(instance, conversation, score.value);
      tokens.push_back(assistantTokens / 1000.0);
      interactivity.push_back(reward::ruleInteractivity(instance, {conversation.front()},
                                                        Messages(conversation.begin() + 1, conversation.end())));
      turns.push_back(assistantTurns);
      if (settings.withMr) {
        reward::RewardConfig config = settings.reward;
        config.seed = episode;
        played.push_back(toScore(family, instance, conversation, persona, config));
      }
    }
  }
  if (settings.withMr) mr = meanTurnMrs(played, policy); // after every conversation: all their turns at once
  EvaluationRow row;
  row.name = name;
  row.conversations = task.size();
  row.task = estimate(task);
  row.tokensK = estimate(tokens);
  row.interactivity = estimate(interactivity);
  row.mr = estimate(mr);
  row.turns = estimate(turns);
  row.goalQuestions = estimate(goalQuestions);
  row.offGoalQuestions = estimate(offGoalQuestions);
  row.values = {std::move(task), std::move(tokens), std::move(interactivity), std::move(mr)};
  return row;
}

std::string formatEvaluation(const std::vector<EvaluationRow>& rows, const std::string& metric, TableFormat format) {
  const std::vector<std::string> headers = {"checkpoint", "n", metric, "tokens (k)", "interactivity", "MR", "turns", "goal questions", "off-goal questions"};
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    std::vector<std::string> line = {r.name, std::to_string(r.conversations)};
    for (const Estimate* e : {&r.task, &r.tokensK, &r.interactivity, &r.mr, &r.turns, &r.goalQuestions, &r.offGoalQuestions})
      line.push_back(format == TableFormat::Csv ? formatted("%.4f,%.4f", e->mean, e->halfWidth)
                                                : formatted("%.3f ± %.3f", e->mean, e->halfWidth));
    cells.push_back(std::move(line));
  }
  std::string out;
  if (format == TableFormat::Csv) {
    out = "checkpoint,n";
    for (const char* h : {"task", "tokens_k", "interactivity", "mr", "turns", "goal_questions", "off_goal_questions"}) out += std::string(",") + h + "," + h + "_ci95";
    out += "\n";
    for (const auto& line : cells) {
      for (std::size_t i = 0; i < line.size(); ++i) out += (i ? "," : "") + line[i];
      out += "\n";
    }
    return out;
  }
  if (format == TableFormat::Markdown) {
    auto row = [&](const std::vector<std::string>& line) {
      out += "|";
      for (const auto& cell : line) out += " " + cell + " |";
      out += "\n";
    };
    row(headers);
    out += "|" + std::string() ;
    for (std::size_t i = 0; i < headers.size(); ++i) out += i < 2 ? "---|" : "---:|";
    out += "\n";
    for (const auto& line : cells) row(line);
    return out;
  }
  std::vector<std::size_t> widths(headers.size());
  auto measure = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (std::size_t i = 0; i < headers.size(); ++i) widths[i] = measure(headers[i]);
  for (const auto& line : cells)
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], measure(line[i]));
  auto emit = [&](const std::vector<std::string>& line) {
    for (std::size_t i = 0; i < line.size(); ++i)
      out += line[i] + std::string(widths[i] - measure(line[i]) + 2, ' ');
    out += "\n";
  };
  emit(headers);
  for (const auto& line : cells) emit(line);
  return out;
}

std::string formatPairedDifferences(const std::vector<EvaluationRow>& rows, std::size_t baseline, const std::string& metric,
                                    TableFormat format) {
  if (rows.size() < 2 || format == TableFormat::Csv) return {};
  const EvaluationRow& base = rows.at(baseline);
  const bool withMr = !base.values.mr.empty();
  const bool markdown = format == TableFormat::Markdown;
  auto cell = [](const Estimate& e) {
    const bool excludesZero = e.mean - e.halfWidth > 0.0 || e.mean + e.halfWidth < 0.0;
    return formatted("%+.3f ± %.3f", e.mean, e.halfWidth) + (excludesZero ? " *" : "");
  };
  std::vector<std::string> headers = {"checkpoint − " + base.name, "Δ " + metric, "Δ tokens (k)", "Δ interactivity"};
  if (withMr) headers.push_back("Δ MR");
  std::vector<std::vector<std::string>> lines = {headers};
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r == baseline) continue;
    const auto& v = rows[r].values;
    std::vector<std::string> line = {rows[r].name, cell(pairedDifference(base.values.task, v.task)),
                                     cell(pairedDifference(base.values.tokensK, v.tokensK)),
                                     cell(pairedDifference(base.values.interactivity, v.interactivity))};
    if (withMr) line.push_back(cell(pairedDifference(base.values.mr, v.mr)));
    lines.push_back(std::move(line));
  }
  std::string out = (markdown ? "" : "Paired differences against " + base.name +
                                         " (the same conversations; 95% CI; * excludes 0):\n");
  if (markdown) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += "|";
      for (const auto& c : lines[i]) out += " " + c + " |";
      out += "\n";
      if (i != 0) continue;
      out += "|---|";
      for (std::size_t k = 1; k < headers.size(); ++k) out += "---:|";
      out += "\n";
    }
    return out;
  }
  std::vector<std::size_t> widths(headers.size(), 0);
  auto measure = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (const auto& line : lines)
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], measure(line[i]));
  for (const auto& line : lines) {
    for (std::size_t i = 0; i < line.size(); ++i) out += line[i] + std::string(widths[i] - measure(line[i]) + 2, ' ');
    out += "\n";
  }
  return out;
}

} // namespace collab::policy
