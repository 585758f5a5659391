#include "store/TreeRepository.h"

#include "store/FullTextQuery.h"
#include "store/SqlValues.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

namespace {

constexpr const char* kTreeColumns =
    "t.id, t.title, t.source, t.external_id, t.task_id, t.persona_version_id, t.metadata, t.created_at";

TreeRecord readTree(SQLite::Statement& row) {
  TreeRecord tree;
  tree.id = row.getColumn(0).getInt64();
  tree.title = row.getColumn(1).getString();
  tree.source = row.getColumn(2).getString();
  tree.externalId = row.getColumn(3).getString();
  tree.taskId = sql::optionalInt64(row.getColumn(4));
  tree.personaVersionId = sql::optionalInt64(row.getColumn(5));
  tree.metadataJson = row.getColumn(6).getString();
  tree.createdAt = row.getColumn(7).getString();
  return tree;
}

} // namespace

TreeRepository::TreeRepository(SQLite::Database& db) : db_(db) {}
TreeRepository::~TreeRepository() = default;

TreeId TreeRepository::add(const TreeRecord& tree) {
  if (!insert_)
    insert_ = std::make_unique<SQLite::Statement>(
        db_, "INSERT INTO trees(title, source, external_id, task_id, persona_version_id, metadata)"
             " VALUES (?, ?, ?, ?, ?, ?)");
  SQLite::Statement& insert = *insert_;
  insert.reset();
  insert.bind(1, tree.title);
  insert.bind(2, tree.source);
  if (tree.externalId.empty())
    insert.bind(3);
  else
    insert.bind(3, tree.externalId);
  sql::bindOptional(insert, 4, tree.taskId);
  sql::bindOptional(insert, 5, tree.personaVersionId);
  insert.bind(6, tree.metadataJson);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::optional<TreeRecord> TreeRepository::find(TreeId id) {
  SQLite::Statement query(db_, std::string("SELECT ") + kTreeColumns + " FROM trees t WHERE t.id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  return readTree(query);
}

std::optional<TreeId> TreeRepository::findByExternalId(const std::string& source,
                                                       const std::string& externalId) {
  SQLite::Statement query(db_, "SELECT id FROM trees WHERE source = ? AND external_id = ? ORDER BY id LIMIT 1");
  query.bind(1, source);
  query.bind(2, externalId);
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

void TreeRepository::setTitle(TreeId id, const std::string& title) {
  SQLite::Statement update(db_, "UPDATE trees SET title = ? WHERE id = ?");
  update.bind(1, title);
  update.bind(2, id);
  update.exec();
}

void TreeRepository::remove(TreeId id) {
  SQLite::Statement erase(db_, "DELETE FROM trees WHERE id = ?");
  erase.bind(1, id);
  erase.exec();
}

namespace {

// The SQL (a result column's name) each order sorts by.
const char* orderColumn(TreeOrder order) {
  switch (order) {
  case TreeOrder::Id: return "t.id";
  case TreeOrder::Title: return "t.title COLLATE NOCASE";
  case TreeOrder::Turns: return "turns";
  case TreeOrder::Nodes: return "node_count";
  case TreeOrder::BestMr: return "best_mr";
  case TreeOrder::Labels: return "annotation_count + preference_count";
  }
  return "t.id";
}

} // namespace

std::vector<TreeSummary> TreeRepository::list(const TreeQuery& query) {
  // The per-tree figures are computed for the page only, through the nodes/scores indexes.
  std::string sql = std::string("SELECT ") + kTreeColumns + R"sql(,
      (SELECT count(*) FROM nodes n WHERE n.tree_id = t.id) AS node_count,
      (SELECT coalesce(max(n.depth) + 1, 0) FROM nodes n WHERE n.tree_id = t.id AND n.kind = 'turn') AS turns,
      (SELECT count(*) FROM nodes n WHERE n.tree_id = t.id AND n.kind = 'turn'
          AND NOT EXISTS (SELECT 1 FROM nodes c WHERE c.parent_id = n.id AND c.kind = 'turn')),
      (SELECT max(s.value) FROM scores s WHERE s.tree_id = t.id AND s.kind = 'MR' AND s.node_id IS NOT NULL) AS best_mr,
      (SELECT coalesce(json_extract(k.metadata, '$.id'), k.family) FROM tasks k WHERE k.id = t.task_id),
      coalesce(json_extract(t.metadata, '$.persona'),
               (SELECT p.name || '@v' || v.version FROM persona_versions v JOIN personas p ON p.id = v.persona_id
                 WHERE v.id = t.persona_version_id), ''),
      (SELECT count(*) FROM annotations a WHERE a.tree_id = t.id) AS annotation_count,
      (SELECT count(*) FROM preferences f WHERE f.tree_id = t.id) AS preference_count
    FROM trees t WHERE 1)sql";
  const bool byId = query.order == TreeOrder::Id;
  if (byId) sql += query.descending ? " AND (:after = 0 OR t.id < :after)" : " AND t.id > :after";
  const std::string fts = toFullTextQuery(query.text);
  if (!fts.empty())
    sql += " AND t.id IN (SELECT n.tree_id FROM nodes_fts JOIN nodes n ON n.id = nodes_fts.rowid"
           " WHERE nodes_fts MATCH :text)";
  if (!query.source.empty()) sql += " AND t.source = :source";
  const char* direction = query.descending ? " DESC" : " ASC";
  sql += std::string(" ORDER BY ") + orderColumn(query.order) + direction;
  if (!byId) sql += std::string(", t.id") + direction;
  sql += " LIMIT :limit";
  if (!byId) sql += " OFFSET :offset";

  SQLite::Statement select(db_, sql);
  if (byId) select.bind(":after", query.afterId);
  if (!fts.empty()) select.bind(":text", fts);
  if (!query.source.empty()) select.bind(":source", query.source);
  select.bind(":limit", query.limit);
  if (!byId) select.bind(":offset", query.offset);

  std::vector<TreeSummary> page;
  while (select.executeStep()) {
    TreeSummary summary;
    summary.tree = readTree(select);
    summary.nodeCount = select.getColumn(8).getInt64();
    summary.turns = select.getColumn(9).getInt64();
    summary.branches = select.getColumn(10).getInt64();
    summary.bestMr = sql::optionalDouble(select.getColumn(11));
    summary.task = select.getColumn(12).isNull() ? std::string() : select.getColumn(12).getString();
    summary.persona = select.getColumn(13).getString();
    summary.annotations = select.getColumn(14).getInt64();
    summary.preferences = select.getColumn(15).getInt64();
    page.push_back(std::move(summary));
  }
  return page;
}

void TreeRepository::forEach(const std::function<bool(const TreeRecord&)>& visit, int pageSize) {
  SQLite::Statement select(db_, std::string("SELECT ") + kTreeColumns +
                                    " FROM trees t WHERE t.id > ? ORDER BY t.id LIMIT ?");
  TreeId after = 0;
  for (;;) {
    select.reset();
    select.bind(1, after);
    select.bind(2, pageSize);
    std::vector<TreeRecord> page;
    while (select.executeStep()) page.push_back(readTree(select));
    if (page.empty()) return;
    for (const TreeRecord& tree : page)
      if (!visit(tree)) return;
    after = page.back().id;
  }
}

std::int64_t TreeRepository::count() { return db_.execAndGet("SELECT count(*) FROM trees").getInt64(); }

} // namespace collab::store
