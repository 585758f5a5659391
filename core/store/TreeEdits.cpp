#include "store/TreeEdits.h"

#include "common/Error.h"
#include "store/Project.h"
#include "store/Transaction.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>

namespace collab::store::edits {

namespace {

Node existing(Project& project, NodeId id, const char* what) {
  std::optional<Node> node = project.nodes().find(id);
  if (!node) throw Error(std::string("cannot ") + what + ": node " + std::to_string(id) + " is not in the project");
  return std::move(*node);
}

std::vector<std::int64_t> idsWhere(SQLite::Database& db, const std::string& sql, const std::vector<NodeId>& nodes) {
  std::string list = "[";
  for (std::size_t i = 0; i < nodes.size(); ++i) list += (i ? "," : "") + std::to_string(nodes[i]);
  SQLite::Statement query(db, sql);
  query.bind(1, list + "]");
  std::vector<std::int64_t> ids;
  while (query.executeStep()) ids.push_back(query.getColumn(0).getInt64());
  return ids;
}

int depthOf(Project& project, NodeId id) {
  SQLite::Statement query(project.database(), "SELECT depth FROM nodes WHERE id = ?");
  query.bind(1, id);
  query.executeStep();
  return query.getColumn(0).getInt();
}

} // namespace

NodeId addBranch(Project& project, const NewNode& node) {
  if (node.parentId) existing(project, *node.parentId, "branch from it");
  Transaction transaction(project.database());
  const NodeId id = project.nodes().add(node);
  transaction.commit();
  return id;
}

void setContent(Project& project, NodeId node, const std::string& content) {
  existing(project, node, "edit the turn");
  Transaction transaction(project.database());
  project.nodes().setContent(node, content);
  transaction.commit();
}

std::vector<NodeId> subtree(Project& project, NodeId node) {
  SQLite::Statement query(project.database(),
                          "WITH RECURSIVE below(id) AS (SELECT ? UNION ALL"
                          " SELECT n.id FROM nodes n JOIN below ON n.parent_id = below.id)"
                          " SELECT n.id FROM nodes n JOIN below ON n.id = below.id ORDER BY n.depth, n.id");
  query.bind(1, node);
  std::vector<NodeId> ids;
  while (query.executeStep()) ids.push_back(query.getColumn(0).getInt64());
  return ids;
}

RemovedRows removeSubtree(Project& project, NodeId node) {
  existing(project, node, "prune the branch");
  SQLite::Database& db = project.database();
  Transaction transaction(db);
  const std::vector<NodeId> nodes = subtree(project, node);
  const char* inNodes = "(SELECT value FROM json_each(?))";
  RemovedRows removed;
  removed.tables.push_back(rows::select(db, "nodes", nodes, "depth, id"));
  removed.tables.push_back(
      rows::select(db, "scores", idsWhere(db, std::string("SELECT id FROM scores WHERE node_id IN ") + inNodes, nodes)));
  removed.tables.push_back(rows::select(
      db, "annotations", idsWhere(db, std::string("SELECT id FROM annotations WHERE node_id IN ") + inNodes, nodes)));
  removed.tables.push_back(rows::select(
      db, "preferences",
      idsWhere(db,
               std::string("SELECT id FROM preferences WHERE chosen_node_id IN ") + inNodes +
                   " OR rejected_node_id IN (SELECT value FROM json_each(?1))",
               nodes)));
  // Children first, so that no row is left pointing at a deleted one at any step; the
  // foreign keys' cascades then find nothing left to do.
  for (auto table = removed.tables.rbegin(); table != removed.tables.rend(); ++table) {
    std::vector<std::int64_t> ids = table->ids();
    if (table->table == "nodes") std::reverse(ids.begin(), ids.end());
    rows::erase(db, table->table, ids);
  }
  transaction.commit();
  return removed;
}

void restore(Project& project, const RemovedRows& removed) {
  Transaction transaction(project.database());
  for (const TableRows& table : removed.tables) rows::insert(project.database(), table);
  transaction.commit();
}

RemovedRows removeRows(Project& project, const std::string& table, const std::vector<std::int64_t>& ids) {
  Transaction transaction(project.database());
  RemovedRows removed;
  removed.tables.push_back(rows::select(project.database(), table, ids));
  rows::erase(project.database(), table, ids);
  transaction.commit();
  return removed;
}

void moveSubtree(Project& project, NodeId node, std::optional<NodeId> newParent) {
  const Node moved = existing(project, node, "move the branch");
  int depth = 0;
  if (newParent) {
    const Node parent = existing(project, *newParent, "move the branch there");
    if (parent.treeId != moved.treeId)
      throw Error("cannot move node " + std::to_string(node) + " under node " + std::to_string(*newParent) +
                  ": that node belongs to another conversation");
    const std::vector<NodeId> below = subtree(project, node);
    if (std::find(below.begin(), below.end(), *newParent) != below.end())
      throw Error("cannot move node " + std::to_string(node) + " under node " + std::to_string(*newParent) +
                  (*newParent == node ? ": a turn cannot be its own parent"
                                      : ": that node is inside the branch being moved"));
    depth = depthOf(project, *newParent) + 1;
  }
  const int shift = depth - depthOf(project, node);
  SQLite::Database& db = project.database();
  Transaction transaction(db);
  SQLite::Statement setParent(db, "UPDATE nodes SET parent_id = ? WHERE id = ?");
  if (newParent)
    setParent.bind(1, *newParent);
  else
    setParent.bind(1);
  setParent.bind(2, node);
  setParent.exec();
  if (shift != 0) {
    SQLite::Statement setDepth(db, "WITH RECURSIVE below(id) AS (SELECT ? UNION ALL"
                                   " SELECT n.id FROM nodes n JOIN below ON n.parent_id = below.id)"
                                   " UPDATE nodes SET depth = depth + ? WHERE id IN (SELECT id FROM below)");
    setDepth.bind(1, node);
    setDepth.bind(2, shift);
    setDepth.exec();
  }
  transaction.commit();
}

ChosenMark markChosen(Project& project, NodeId chosen, const std::string& annotator) {
  const Node node = existing(project, chosen, "mark the turn as chosen");
  std::vector<NodeId> alternatives;
  for (const Node& sibling : node.parentId ? project.nodes().children(*node.parentId) : project.nodes().roots(node.treeId))
    if (sibling.id != chosen && sibling.kind == conversation::NodeKind::Turn) alternatives.push_back(sibling.id);
  if (alternatives.empty())
    throw Error("cannot mark node " + std::to_string(chosen) + " as chosen: it has no alternatives to be chosen over");

  SQLite::Database& db = project.database();
  Transaction transaction(db);
  std::vector<NodeId> group = alternatives;
  group.push_back(chosen);
  SQLite::Statement earlier(db, "SELECT id FROM preferences WHERE annotator = ?2"
                                " AND chosen_node_id IN (SELECT value FROM json_each(?1))"
                                " AND rejected_node_id IN (SELECT value FROM json_each(?1))");
  std::string list = "[";
  for (std::size_t i = 0; i < group.size(); ++i) list += (i ? "," : "") + std::to_string(group[i]);
  earlier.bind(1, list + "]");
  earlier.bind(2, annotator);
  std::vector<std::int64_t> earlierIds;
  while (earlier.executeStep()) earlierIds.push_back(earlier.getColumn(0).getInt64());

  ChosenMark mark;
  mark.replaced = removeRows(project, "preferences", earlierIds);
  for (NodeId rejected : alternatives)
    mark.added.push_back(project.annotations().addPreference({0, node.treeId, chosen, rejected, annotator, "workbench", ""}));
  transaction.commit();
  return mark;
}

} // namespace collab::store::edits
