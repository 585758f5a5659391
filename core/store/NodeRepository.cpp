#include "store/NodeRepository.h"

#include "common/Error.h"
#include "store/FullTextQuery.h"
#include "store/SqlValues.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

namespace {

constexpr const char* kNodeColumns =
    "n.id, n.tree_id, n.parent_id, n.role, n.content, n.kind, n.sample_index, n.author,"
    " n.token_count, n.gen_params, n.created_at";

Node readNode(SQLite::Statement& row) {
  Node node;
  node.id = row.getColumn(0).getInt64();
  node.treeId = row.getColumn(1).getInt64();
  node.parentId = sql::optionalInt64(row.getColumn(2));
  node.role = conversation::parseRole(row.getColumn(3).getString()).value_or(conversation::Role::User);
  node.content = row.getColumn(4).getString();
  node.kind = conversation::parseNodeKind(row.getColumn(5).getString()).value_or(conversation::NodeKind::Turn);
  node.sampleIndex = sql::optionalInt(row.getColumn(6));
  node.author = row.getColumn(7).getString();
  node.tokenCount = sql::optionalInt(row.getColumn(8));
  node.genParamsJson = row.getColumn(9).getString();
  node.createdAt = row.getColumn(10).getString();
  return node;
}

} // namespace

NodeRepository::NodeRepository(SQLite::Database& db) : db_(db) {}
NodeRepository::~NodeRepository() = default;

NodeId NodeRepository::add(const NewNode& node) {
  int depth = 0;
  if (node.parentId) {
    if (!parentOf_) parentOf_ = std::make_unique<SQLite::Statement>(db_, "SELECT tree_id, depth FROM nodes WHERE id = ?");
    SQLite::Statement& parent = *parentOf_;
    parent.reset();
    parent.bind(1, *node.parentId);
    if (!parent.executeStep())
      throw Error("cannot add a turn under node " + std::to_string(*node.parentId) + ": no such node");
    if (parent.getColumn(0).getInt64() != node.treeId)
      throw Error("cannot add a turn under node " + std::to_string(*node.parentId) + ": it belongs to tree " +
                  std::to_string(parent.getColumn(0).getInt64()) + ", not " + std::to_string(node.treeId));
    depth = parent.getColumn(1).getInt() + 1;
    parent.reset();
  }
  if (!insert_)
    insert_ = std::make_unique<SQLite::Statement>(
        db_, "INSERT INTO nodes(tree_id, parent_id, depth, role, content, kind, sample_index, author,"
             " token_count, gen_params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement& insert = *insert_;
  insert.reset();
  insert.bind(1, node.treeId);
  sql::bindOptional(insert, 2, node.parentId);
  insert.bind(3, depth);
  insert.bind(4, std::string(conversation::toString(node.role)));
  insert.bind(5, node.content);
  insert.bind(6, std::string(conversation::toString(node.kind)));
  sql::bindOptional(insert, 7, node.sampleIndex);
  insert.bind(8, node.author);
  sql::bindOptional(insert, 9, node.tokenCount);
  insert.bind(10, node.genParamsJson);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::vector<Node> NodeRepository::select(const std::string& where, std::int64_t key) {
  SQLite::Statement query(db_, std::string("SELECT ") + kNodeColumns + " FROM nodes n WHERE " + where + " ORDER BY n.id");
  query.bind(1, key);
  std::vector<Node> nodes;
  while (query.executeStep()) nodes.push_back(readNode(query));
  return nodes;
}

std::optional<Node> NodeRepository::find(NodeId id) {
  std::vector<Node> found = select("n.id = ?", id);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Node> NodeRepository::children(NodeId id) { return select("n.parent_id = ?", id); }

std::vector<Node> NodeRepository::roots(TreeId tree) { return select("n.tree_id = ? AND n.parent_id IS NULL", tree); }

std::vector<Node> NodeRepository::pathToRoot(NodeId id) {
  SQLite::Statement query(db_, std::string("WITH RECURSIVE up(id) AS (SELECT ? UNION ALL "
                                           "SELECT p.parent_id FROM nodes p JOIN up ON p.id = up.id "
                                           "WHERE p.parent_id IS NOT NULL) SELECT ") +
                                   kNodeColumns + " FROM nodes n JOIN up ON n.id = up.id ORDER BY n.depth");
  query.bind(1, id);
  std::vector<Node> path;
  while (query.executeStep()) path.push_back(readNode(query));
  return path;
}

std::vector<Node> NodeRepository::ofTree(TreeId tree) { return select("n.tree_id = ?", tree); }

conversation::ConversationTree NodeRepository::loadTree(TreeId tree) {
  return conversation::ConversationTree(ofTree(tree));
}

void NodeRepository::setContent(NodeId id, const std::string& content) {
  SQLite::Statement update(db_, "UPDATE nodes SET content = ? WHERE id = ?");
  update.bind(1, content);
  update.bind(2, id);
  update.exec();
}

std::vector<SearchHit> NodeRepository::search(const std::string& userText, int limit) {
  std::vector<SearchHit> hits;
  const std::string fts = toFullTextQuery(userText);
  if (fts.empty()) return hits;
  SQLite::Statement query(db_, "SELECT n.tree_id, n.id, n.role, snippet(nodes_fts, 0, '[', ']', '…', 12)"
                               " FROM nodes_fts JOIN nodes n ON n.id = nodes_fts.rowid"
                               " WHERE nodes_fts MATCH ? ORDER BY rank LIMIT ?");
  query.bind(1, fts);
  query.bind(2, limit);
  while (query.executeStep()) {
    SearchHit hit;
    hit.treeId = query.getColumn(0).getInt64();
    hit.nodeId = query.getColumn(1).getInt64();
    hit.role = conversation::parseRole(query.getColumn(2).getString()).value_or(conversation::Role::User);
    hit.snippet = query.getColumn(3).getString();
    hits.push_back(std::move(hit));
  }
  return hits;
}

std::int64_t NodeRepository::count() { return db_.execAndGet("SELECT count(*) FROM nodes").getInt64(); }

} // namespace collab::store
