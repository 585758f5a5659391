#include "io/TrlPreferenceRowImporter.h"

#include "io/ChatMessages.h"

namespace collab::io {

namespace {

using conversation::Messages;
using conversation::Role;

struct PreferenceRow {
  Messages prompt, chosen, rejected;
  std::optional<double> scoreChosen, scoreRejected;
};

PreferenceRow parseRow(const Json& row) {
  PreferenceRow parsed;
  parsed.chosen = parsePromptOrText(requireField(row, "chosen"), "chosen", Role::Assistant);
  parsed.rejected = parsePromptOrText(requireField(row, "rejected"), "rejected", Role::Assistant);
  if (hasField(row, "prompt")) {
    parsed.prompt = parsePromptOrText(row["prompt"], "prompt");
  } else {
    // Implicit prompt: the turns both conversations share.
    std::size_t shared = 0;
    while (shared + 1 < parsed.chosen.size() && shared + 1 < parsed.rejected.size() &&
           parsed.chosen[shared] == parsed.rejected[shared])
      ++shared;
    parsed.prompt.assign(parsed.chosen.begin(), parsed.chosen.begin() + static_cast<std::ptrdiff_t>(shared));
    parsed.chosen.erase(parsed.chosen.begin(), parsed.chosen.begin() + static_cast<std::ptrdiff_t>(shared));
    parsed.rejected.erase(parsed.rejected.begin(), parsed.rejected.begin() + static_cast<std::ptrdiff_t>(shared));
  }
  if (parsed.chosen.empty()) throw FieldError("field `chosen`: expected at least one message, found none");
  if (parsed.rejected.empty()) throw FieldError("field `rejected`: expected at least one message, found none");
  parsed.scoreChosen = optionalNumber(row, "score_chosen");
  parsed.scoreRejected = optionalNumber(row, "score_rejected");
  return parsed;
}

// The response's first message is the branch; any further messages continue it.
NodeId addResponse(RowContext& context, TreeId tree, std::optional<NodeId> parent, const Messages& response) {
  const NodeId first = context.builder.addCandidate(tree, parent, response.front());
  context.builder.appendPath(tree, Messages(response.begin() + 1, response.end()), first);
  return first;
}

void addScore(RowContext& context, TreeId tree, NodeId node, std::optional<double> value) {
  if (!value) return;
  context.project.scores().add(reward::nodeScore(tree, node, "score", *value, context.scoreConfigJson));
}

} // namespace

void TrlPreferenceRowImporter::importRow(const Json& json, RowContext& context) {
  const PreferenceRow row = parseRow(json);
  store::TreeRecord record;
  record.title = titleFor(row.prompt.empty() ? row.chosen : row.prompt);
  record.source = context.source;
  record.externalId = "line:" + std::to_string(context.line);
  record.metadataJson = Json{{"format", "trl-preference"}}.dump();
  const TreeId tree = context.builder.newTree(record);
  const std::optional<NodeId> parent = context.builder.appendPath(tree, row.prompt);
  const NodeId chosen = addResponse(context, tree, parent, row.chosen);
  const NodeId rejected = addResponse(context, tree, parent, row.rejected);
  addScore(context, tree, chosen, row.scoreChosen);
  addScore(context, tree, rejected, row.scoreRejected);
  context.project.annotations().addPreference({0, tree, chosen, rejected, "dataset", context.source, ""});
}

} // namespace collab::io
