#include "io/CollabllmRowImporter.h"

#include "io/ChatMessages.h"

#include <algorithm>
#include <map>

namespace collab::io {

namespace {

using conversation::Message;
using conversation::Messages;
using conversation::Role;

struct CollabllmRow {
  Messages prompt;
  std::string completion;
  std::string convId;
  std::optional<double> score;
  std::map<std::string, std::vector<double>> rewards;
  std::vector<Messages> sessions;
  Json singleTurnPrompt, singleTurnCompletion, singleTurnMetadata;
};

std::string textOf(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

CollabllmRow parseRow(const Json& row) {
  CollabllmRow parsed;
  parsed.prompt = parseMessages(requireField(row, "prompt"), "prompt");
  parsed.completion = requireString(row, "completion");
  parsed.convId = requireId(row, "conv_id");
  parsed.score = optionalNumber(row, "score");
  if (hasField(row, "turn_id") && !row["turn_id"].is_number_integer())
    throwExpected("turn_id", "an integer", row["turn_id"]);
  if (hasField(row, "rewards")) {
    const Json& rewards = row["rewards"];
    if (!rewards.is_object()) throwExpected("rewards", "an object {metric: [value per sample]}", rewards);
    for (const auto& [metric, values] : rewards.items())
      parsed.rewards[metric] = numberList(values, fieldPath("rewards", metric));
  }
  if (hasField(row, "sessions")) {
    const Json& sessions = row["sessions"];
    if (!sessions.is_array()) throwExpected("sessions", "a list of conversations", sessions);
    for (std::size_t i = 0; i < sessions.size(); ++i)
      parsed.sessions.push_back(parseMessages(sessions[i], fieldPath("sessions", i)));
  }
  parsed.singleTurnPrompt = row.value("single_turn_prompt", Json());
  parsed.singleTurnCompletion = row.value("single_turn_completion", Json());
  parsed.singleTurnMetadata = row.value("single_turn_metadata", Json());
  return parsed;
}

// A session may hold the whole conversation (history, candidate, future) or only the
// future; the part after the candidate is the sampled continuation either way.
Messages futureOf(const Messages& session, const Messages& prompt, const Message& candidate) {
  Messages prefix = prompt;
  prefix.push_back(candidate);
  if (session.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), session.begin()))
    return Messages(session.begin() + static_cast<std::ptrdiff_t>(prefix.size()), session.end());
  return session;
}

store::TreeRecord treeRecordFor(const CollabllmRow& row, RowContext& context) {
  store::TreeRecord tree;
  tree.title = titleFor(row.prompt);
  tree.source = context.source;
  tree.externalId = row.convId;
  tree.metadataJson = Json{{"format", "collabllm"}}.dump();
  if (!row.singleTurnPrompt.is_null() || !row.singleTurnCompletion.is_null()) {
    store::TaskRecord task;
    task.family = "collabllm";
    task.prompt = textOf(row.singleTurnPrompt);
    task.goal = textOf(row.singleTurnCompletion);
    task.metadataJson = row.singleTurnMetadata.is_null() ? "{}" : row.singleTurnMetadata.dump();
    tree.taskId = context.project.tasks().add(task);
  }
  return tree;
}

void addScores(const CollabllmRow& row, TreeId tree, NodeId candidate, RowContext& context) {
  auto add = [&](const std::string& kind, double value, const std::vector<double>& samples) {
    reward::Score score = reward::nodeScore(tree, candidate, kind, value, context.scoreConfigJson);
    score.samples = samples;
    if (!samples.empty()) score.std = populationStd(samples);
    context.project.scores().add(score);
  };
  auto mrSamples = row.rewards.find("MR");
  if (row.score || mrSamples != row.rewards.end()) {
    std::vector<double> samples = mrSamples != row.rewards.end() ? mrSamples->second : std::vector<double>{};
    add("MR", row.score.value_or(mean(samples)), samples);
  }
  for (const auto& [metric, samples] : row.rewards)
    if (metric != "MR") add(metric, mean(samples), samples);
}

} // namespace

void CollabllmRowImporter::importRow(const Json& json, RowContext& context) {
  const CollabllmRow row = parseRow(json);
  TreeBuilder& builder = context.builder;
  const TreeId tree = builder.treeFor(row.convId, [&] { return treeRecordFor(row, context); });
  const std::optional<NodeId> parent = builder.appendPath(tree, row.prompt);
  const Message candidate{Role::Assistant, row.completion};
  const NodeId node = builder.addCandidate(tree, parent, candidate);
  addScores(row, tree, node, context);
  for (std::size_t i = 0; i < row.sessions.size(); ++i)
    builder.addContinuation(tree, node, futureOf(row.sessions[i], row.prompt, candidate), static_cast<int>(i));
}

} // namespace collab::io
