#include "TidyTreeLayout.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace collab::ui {

namespace {

// The outline of a laid-out subtree: per level below its root, the leftmost and the
// rightmost centre. Levels are stored deepest first, so that adding a parent on top is a
// push_back; every stored value is read plus `offset`, so that moving a whole contour
// is one addition.
struct Contour {
  std::vector<double> left, right;
  double offset = 0;

  std::size_t levels() const { return left.size(); }
  double leftAt(std::size_t depth) const { return left[left.size() - 1 - depth] + offset; }
  double rightAt(std::size_t depth) const { return right[right.size() - 1 - depth] + offset; }
  void setLeft(std::size_t depth, double value) { left[left.size() - 1 - depth] = value - offset; }
  void setRight(std::size_t depth, double value) { right[right.size() - 1 - depth] = value - offset; }
  void addTop(double value) {
    left.push_back(value - offset);
    right.push_back(value - offset);
  }
};

struct Forest {
  std::vector<int> firstChild, childCount, children; // children of node i: children[firstChild[i] ...]
  int root = 0;                                      // a virtual node above the roots
};

Forest childrenOf(const std::vector<int>& parents) {
  const int n = static_cast<int>(parents.size());
  Forest forest;
  forest.root = n;
  forest.childCount.assign(n + 1, 0);
  for (int i = 0; i < n; ++i) ++forest.childCount[parents[i] < 0 ? n : parents[i]];
  forest.firstChild.assign(n + 1, 0);
  for (int i = 1; i <= n; ++i) forest.firstChild[i] = forest.firstChild[i - 1] + forest.childCount[i - 1];
  forest.children.assign(n, 0);
  std::vector<int> filled(n + 1, 0);
  for (int i = 0; i < n; ++i) {
    const int parent = parents[i] < 0 ? n : parents[i];
    forest.children[forest.firstChild[parent] + filled[parent]++] = i;
  }
  return forest;
}

std::vector<int> preorder(const Forest& forest) {
  std::vector<int> order, stack = {forest.root};
  order.reserve(forest.childCount.size());
  while (!stack.empty()) {
    const int node = stack.back();
    stack.pop_back();
    order.push_back(node);
    for (int c = forest.childCount[node] - 1; c >= 0; --c) stack.push_back(forest.children[forest.firstChild[node] + c]);
  }
  return order;
}

// Places child subtree `next` to the right of what `placed` holds (both in the frame of
// the first child) and merges it in; returns where `next`'s root goes.
double placeBeside(Contour& placed, Contour& next, double separation) {
  const std::size_t common = std::min(placed.levels(), next.levels());
  double shift = -std::numeric_limits<double>::infinity();
  for (std::size_t d = 0; d < common; ++d) shift = std::max(shift, placed.rightAt(d) - next.leftAt(d) + separation);
  next.offset += shift;
  if (next.levels() <= placed.levels()) {
    for (std::size_t d = 0; d < common; ++d) placed.setRight(d, next.rightAt(d));
  } else { // the deeper contour is kept and the shallower one written into it
    for (std::size_t d = 0; d < common; ++d) next.setLeft(d, placed.leftAt(d));
    placed = std::move(next);
  }
  return shift;
}

} // namespace

TidyLayout tidyLayout(const std::vector<int>& parents, double separation) {
  const Forest forest = childrenOf(parents);
  const std::vector<int> order = preorder(forest);
  std::vector<double> relative(parents.size() + 1, 0.0); // centre relative to the parent's
  std::vector<Contour> contours(parents.size() + 1);
  std::vector<double> positions;

  for (auto it = order.rbegin(); it != order.rend(); ++it) { // children before parents
    const int node = *it;
    const int count = forest.childCount[node];
    Contour contour;
    if (count > 0) {
      const int* kids = &forest.children[forest.firstChild[node]];
      positions.assign(count, 0.0);
      contour = std::move(contours[kids[0]]);
      for (int c = 1; c < count; ++c) positions[c] = placeBeside(contour, contours[kids[c]], separation);
      const double middle = (positions.front() + positions.back()) / 2;
      for (int c = 0; c < count; ++c) {
        relative[kids[c]] = positions[c] - middle;
        contours[kids[c]] = {};
      }
      contour.offset -= middle;
    }
    contour.addTop(0.0);
    contours[node] = std::move(contour);
  }

  TidyLayout layout;
  const std::size_t n = parents.size();
  layout.x.assign(n, 0.0);
  layout.depth.assign(n, 0);
  double leftmost = std::numeric_limits<double>::infinity(), rightmost = -leftmost;
  std::vector<double> absolute(n + 1, 0.0);
  std::vector<int> depth(n + 1, -1);
  for (int node : order) {
    if (node == forest.root) continue;
    const int parent = parents[node] < 0 ? forest.root : parents[node];
    absolute[node] = absolute[parent] + relative[node];
    depth[node] = depth[parent] + 1;
    leftmost = std::min(leftmost, absolute[node]);
    rightmost = std::max(rightmost, absolute[node]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    layout.x[i] = absolute[i] - leftmost;
    layout.depth[i] = depth[i];
    layout.maxDepth = std::max(layout.maxDepth, depth[i]);
  }
  layout.width = n ? rightmost - leftmost : 0;
  return layout;
}

} // namespace collab::ui
