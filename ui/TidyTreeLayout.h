#pragma once

#include <vector>

namespace collab::ui {

// Where each node of a forest goes, in the manner of Reingold and Tilford: a node is
// centred over its children, siblings keep their order, and subtrees are pushed apart
// only as far as their contours (the outermost node of each level) require. Every node
// has the same width, so two nodes of one level never come closer than `separation`
// (centre to centre): the drawing never overlaps.
struct TidyLayout {
  std::vector<double> x; // centre of each node, the leftmost at 0
  std::vector<int> depth; // 0 for roots
  double width = 0;       // from the leftmost to the rightmost centre
  int maxDepth = 0;
};

// `parents[i]` is the index of node i's parent, or -1 for a root; children (and roots)
// are ordered by index. Parents may come after their children. Runs in time linear in
// the number of nodes (contours are merged smaller into larger), without recursion, so
// deep chains are fine.
TidyLayout tidyLayout(const std::vector<int>& parents, double separation);

} // namespace collab::ui
