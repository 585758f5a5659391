#include "ProjectDump.h"

#include "io/LoadedTree.h"

#include <cstdio>
#include <sstream>

namespace collab::test {

namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

void dumpNode(const io::LoadedTree& loaded, conversation::NodeId id, int depth, std::ostringstream& out) {
  const auto& node = loaded.tree.at(id);
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << conversation::toString(node.role) << '/'
      << conversation::toString(node.kind);
  if (node.sampleIndex) out << '#' << *node.sampleIndex;
  out << ": " << node.content << '\n';
  for (const auto& score : loaded.scores) {
    if (score.nodeId != id) continue;
    out << std::string(static_cast<std::size_t>(depth) * 2 + 2, ' ') << "score " << score.kind << '='
        << number(score.value);
    if (score.std) out << " std=" << number(*score.std);
    out << " samples=[";
    for (double s : score.samples) out << number(s) << ',';
    out << "]";
    if (!score.rationale.empty()) out << " why=" << score.rationale;
    out << '\n';
  }
  for (auto child : loaded.tree.children(id)) dumpNode(loaded, child, depth + 1, out);
}

} // namespace

std::string projectDump(store::Project& project) {
  std::ostringstream out;
  project.trees().forEach([&](const store::TreeRecord& record) {
    const io::LoadedTree loaded = io::LoadedTree::load(project, record);
    out << "tree " << record.externalId << " title=" << record.title << '\n';
    if (loaded.task)
      out << "  task " << loaded.task->family << " prompt=" << loaded.task->prompt << " goal=" << loaded.task->goal
          << " meta=" << loaded.task->metadataJson << '\n';
    for (auto root : loaded.tree.roots()) dumpNode(loaded, root, 1, out);
    return true;
  });
  return out.str();
}

} // namespace collab::test
