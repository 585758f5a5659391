#include "io/DpoV1RowImporter.h"

#include "io/ChatMessages.h"

namespace collab::io {

namespace {

using conversation::Messages;

struct SampleEval {
  int index = 0;
  std::optional<double> averageScore;
  std::optional<double> interactivity;
  std::string interactivityThought;
  Messages forwardChat;
};

struct ResponseEval {
  std::optional<double> reward, rewardStd, taskMetric, tokenCost;
  std::vector<SampleEval> samples;
};

struct DpoV1Row {
  std::string key;
  Messages prompt;
  std::string chosen, rejected;
  ResponseEval chosenEval, rejectedEval;
  Json metadata;
};

ResponseEval parseEval(const Json& row, const std::string& field) {
  ResponseEval eval;
  if (!hasField(row, field)) return eval;
  const Json& value = row[field];
  if (!value.is_object()) throwExpected(field, "an object", value);
  eval.reward = optionalNumber(value, "reward", field);
  eval.rewardStd = optionalNumber(value, "reward_std", field);
  eval.taskMetric = optionalNumber(value, "task_metric_avg", field);
  eval.tokenCost = optionalNumber(value, "token_cost_avg", field);
  if (!hasField(value, "rs")) return eval;
  const std::string rsPath = fieldPath(field, "rs");
  const Json& rs = value["rs"];
  if (!rs.is_object()) throwExpected(rsPath, "an object {\"0\": sample, ...}", rs);
  for (const auto& [name, sample] : rs.items()) {
    const std::string samplePath = fieldPath(rsPath, name);
    if (!sample.is_object()) throwExpected(samplePath, "an object", sample);
    SampleEval parsed;
    try {
      parsed.index = std::stoi(name);
    } catch (const std::exception&) {
      throw FieldError("field `" + samplePath + "`: expected a sample number as key, found \"" + name + "\"");
    }
    parsed.averageScore = optionalNumber(sample, "average_score", samplePath);
    if (hasField(sample, "forward_chat"))
      parsed.forwardChat = parseMessages(sample["forward_chat"], fieldPath(samplePath, "forward_chat"));
    if (hasField(sample, "interactivity")) {
      const Json& inter = sample["interactivity"];
      const std::string interPath = fieldPath(samplePath, "interactivity");
      if (inter.is_number()) {
        parsed.interactivity = inter.get<double>();
      } else {
        parsed.interactivity = optionalNumber(inter, "score", interPath);
        if (hasField(inter, "thought")) parsed.interactivityThought = requireString(inter, "thought", interPath);
      }
    }
    eval.samples.push_back(std::move(parsed));
  }
  return eval;
}

DpoV1Row parseRow(const Json& row, std::size_t line) {
  DpoV1Row parsed;
  parsed.key = hasField(row, "idx") ? requireId(row, "idx") : "line:" + std::to_string(line);
  parsed.prompt = parsePromptOrText(requireField(row, "prompt"), "prompt");
  parsed.chosen = requireString(row, "chosen");
  parsed.rejected = requireString(row, "rejected");
  parsed.chosenEval = parseEval(row, "chosen_eval");
  parsed.rejectedEval = parseEval(row, "rejected_eval");
  parsed.metadata = row.value("metadata", Json());
  return parsed;
}

void addScore(RowContext& context, TreeId tree, NodeId node, const std::string& kind, double value,
              std::optional<double> std = std::nullopt, std::vector<double> samples = {},
              std::string rationale = "") {
  reward::Score score = reward::nodeScore(tree, node, kind, value, context.scoreConfigJson);
  score.std = std;
  score.samples = std::move(samples);
  score.rationale = std::move(rationale);
  context.project.scores().add(score);
}

void importResponse(RowContext& context, TreeId tree, NodeId node, const ResponseEval& eval) {
  std::vector<double> perSample;
  for (const SampleEval& sample : eval.samples) {
    if (sample.averageScore) perSample.push_back(*sample.averageScore);
    std::optional<NodeId> first = context.builder.addContinuation(tree, node, sample.forwardChat, sample.index);
    if (!first) continue;
    if (sample.averageScore) addScore(context, tree, *first, "R*", *sample.averageScore);
    if (sample.interactivity)
      addScore(context, tree, *first, "interactivity", *sample.interactivity, std::nullopt, {},
               sample.interactivityThought);
  }
  if (eval.reward) addScore(context, tree, node, "MR", *eval.reward, eval.rewardStd, perSample);
  if (eval.taskMetric) addScore(context, tree, node, "task", *eval.taskMetric);
  if (eval.tokenCost) addScore(context, tree, node, "token_cost", *eval.tokenCost);
}

} // namespace

void DpoV1RowImporter::importRow(const Json& json, RowContext& context) {
  const DpoV1Row row = parseRow(json, context.line);
  TreeBuilder& builder = context.builder;
  const TreeId tree = builder.treeFor(row.key, [&] {
    store::TreeRecord record;
    record.title = titleFor(row.prompt);
    record.source = context.source;
    record.externalId = row.key;
    record.metadataJson = Json{{"format", "collabllm-dpo-v1"}, {"metadata", row.metadata}}.dump();
    return record;
  });
  const std::optional<NodeId> parent = builder.appendPath(tree, row.prompt);
  // A response met in an earlier pair (one best answer paired with several worse ones) is
  // the same branch: it is reused, with the evaluation it came with the first time.
  const auto [chosen, chosenIsNew] = builder.findOrAddTurn(tree, parent, {conversation::Role::Assistant, row.chosen});
  const auto [rejected, rejectedIsNew] =
      builder.findOrAddTurn(tree, parent, {conversation::Role::Assistant, row.rejected});
  if (chosenIsNew) importResponse(context, tree, chosen, row.chosenEval);
  if (rejectedIsNew) importResponse(context, tree, rejected, row.rejectedEval);
  context.project.annotations().addPreference({0, tree, chosen, rejected, "dataset", context.source, ""});
}

} // namespace collab::io
