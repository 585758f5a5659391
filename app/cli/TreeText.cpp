#include "TreeText.h"

#include "common/Text.h"

#include <cstdio>
#include <set>
#include <sstream>

namespace collab::cli {

namespace {

using conversation::Node;
using conversation::NodeId;
using conversation::NodeKind;

class TreeTextWriter {
public:
  TreeTextWriter(const io::LoadedTree& loaded, const TreeTextOptions& options)
      : loaded_(loaded), options_(options) {
    const auto best = loaded.bestPath(options.scoreKind);
    bestPath_.insert(best.begin(), best.end());
  }

  std::string write() {
    out_ << "tree " << loaded_.record.id << " · " << loaded_.record.source;
    if (!loaded_.record.externalId.empty()) out_ << " · id " << loaded_.record.externalId;
    out_ << " · " << loaded_.tree.size() << " nodes, " << loaded_.tree.depth() << " turns\n";
    const auto& roots = loaded_.tree.roots();
    for (std::size_t i = 0; i < roots.size(); ++i) writeNode(roots[i], "", i + 1 == roots.size(), true);
    return out_.str();
  }

private:
  std::string scoreLabel(NodeId id) const {
    const reward::Score* latest = nullptr;
    for (const auto& score : loaded_.scores)
      if (score.nodeId == id && score.kind == options_.scoreKind) latest = &score;
    if (!latest) return "";
    char text[96];
    int n = std::snprintf(text, sizeof text, "  %s %.3f", latest->kind.c_str(), latest->value);
    if (latest->std) n += std::snprintf(text + n, sizeof text - static_cast<std::size_t>(n), " ±%.3f", *latest->std);
    if (!latest->samples.empty())
      std::snprintf(text + n, sizeof text - static_cast<std::size_t>(n), " (%zu samples)", latest->samples.size());
    return text;
  }

  std::string body(const std::string& text) const {
    return options_.fullText ? text : oneLine(text, options_.lineWidth);
  }

  std::size_t chainLength(NodeId id) const {
    std::size_t length = 1;
    for (const auto* children = &loaded_.tree.children(id); !children->empty();
         children = &loaded_.tree.children(children->front()))
      ++length;
    return length;
  }

  void writeNode(NodeId id, const std::string& prefix, bool last, bool root) {
    const Node& node = loaded_.tree.at(id);
    const std::string branch = root ? "" : (last ? "└─ " : "├─ ");
    const std::string childPrefix = root ? prefix : prefix + (last ? "   " : "│  ");
    const bool sample = node.kind == NodeKind::Continuation;
    if (sample && !options_.expandSamples) {
      out_ << prefix << branch << "~ sample " << node.sampleIndex.value_or(0) << " (" << chainLength(id)
           << (chainLength(id) == 1 ? " turn) " : " turns) ") << conversation::toString(node.role) << ": " << body(node.content) << '\n';
      return;
    }
    const char* marker = sample ? "~ " : (bestPath_.count(id) ? "* " : "");
    out_ << prefix << branch << marker << '[' << id << "] " << conversation::toString(node.role) << scoreLabel(id)
         << ": " << body(node.content) << '\n';
    const auto& children = loaded_.tree.children(id);
    for (std::size_t i = 0; i < children.size(); ++i)
      writeNode(children[i], childPrefix, i + 1 == children.size(), false);
  }

  const io::LoadedTree& loaded_;
  const TreeTextOptions& options_;
  std::set<NodeId> bestPath_;
  std::ostringstream out_;
};

} // namespace

std::string renderTreeText(const io::LoadedTree& tree, const TreeTextOptions& options) {
  return TreeTextWriter(tree, options).write();
}

} // namespace collab::cli
