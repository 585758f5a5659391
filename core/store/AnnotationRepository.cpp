#include "store/AnnotationRepository.h"

#include "store/SqlValues.h"
#include "store/Transaction.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

namespace {

constexpr const char* kAnnotationColumns = "SELECT id, tree_id, node_id, annotator, label, value, created_at FROM annotations";

Annotation readAnnotation(SQLite::Statement& query) {
  Annotation a;
  a.id = query.getColumn(0).getInt64();
  a.treeId = query.getColumn(1).getInt64();
  a.nodeId = sql::optionalInt64(query.getColumn(2));
  a.annotator = query.getColumn(3).getString();
  a.label = query.getColumn(4).getString();
  a.valueJson = query.getColumn(5).getString();
  a.createdAt = query.getColumn(6).getString();
  return a;
}

AnnotationNote readNote(SQLite::Statement& query) {
  return {query.getColumn(0).getInt64(), sql::optionalInt64(query.getColumn(1)), query.getColumn(2).getString(),
          query.getColumn(3).getString(), query.getColumn(4).getString()};
}

// "Not annotated by ?annotator": no label of the level on the item, and for a turn no
// candidate-group label on its parent. Parameters :annotator, :items, :groups.
constexpr const char* kTurnNotAnnotated =
    " NOT EXISTS (SELECT 1 FROM annotations a WHERE a.annotator = :annotator AND a.tree_id = n.tree_id AND"
    " ((a.node_id = n.id AND a.label IN (SELECT value FROM json_each(:items))) OR"
    "  (a.node_id = n.parent_id AND a.label IN (SELECT value FROM json_each(:groups)))))";
constexpr const char* kTreeNotAnnotated =
    " NOT EXISTS (SELECT 1 FROM annotations a WHERE a.annotator = :annotator AND a.tree_id = t.id AND"
    " a.node_id IS NULL AND a.label IN (SELECT value FROM json_each(:items)))";
constexpr const char* kAssistantTurns = "nodes n WHERE n.kind = 'turn' AND n.role = 'assistant'";

void bindQueue(SQLite::Statement& query, const std::string& annotator, const QueueLabels& labels, bool turns) {
  query.bind(":annotator", annotator);
  query.bind(":items", labels.itemLabelsJson);
  if (turns) query.bind(":groups", labels.groupLabelsJson);
}

} // namespace

// A given createdAt is kept (an annotation merged from a copy keeps when it was made).
std::int64_t AnnotationRepository::add(const Annotation& annotation) {
  SQLite::Statement insert(db_, "INSERT INTO annotations(tree_id, node_id, annotator, label, value, created_at)"
                                " VALUES (?, ?, ?, ?, ?, coalesce(nullif(?, ''), strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
  insert.bind(1, annotation.treeId);
  sql::bindOptional(insert, 2, annotation.nodeId);
  insert.bind(3, annotation.annotator);
  insert.bind(4, annotation.label);
  insert.bind(5, annotation.valueJson);
  insert.bind(6, annotation.createdAt);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::int64_t AnnotationRepository::set(const Annotation& annotation) {
  Transaction transaction(db_);
  remove(annotation.treeId, annotation.nodeId, annotation.annotator, annotation.label);
  const std::int64_t id = add(annotation);
  transaction.commit();
  return id;
}

bool AnnotationRepository::remove(conversation::TreeId tree, std::optional<conversation::NodeId> node,
                                  const std::string& annotator, const std::string& label) {
  SQLite::Statement erase(db_, "DELETE FROM annotations WHERE tree_id = ? AND node_id IS ? AND annotator = ? AND label = ?");
  erase.bind(1, tree);
  sql::bindOptional(erase, 2, node);
  erase.bind(3, annotator);
  erase.bind(4, label);
  return erase.exec() > 0;
}

std::vector<Annotation> AnnotationRepository::forTree(conversation::TreeId tree) {
  SQLite::Statement query(db_, std::string(kAnnotationColumns) + " WHERE tree_id = ? ORDER BY id");
  query.bind(1, tree);
  std::vector<Annotation> result;
  while (query.executeStep()) result.push_back(readAnnotation(query));
  return result;
}

std::vector<Annotation> AnnotationRepository::forItem(conversation::TreeId tree, std::optional<conversation::NodeId> node) {
  SQLite::Statement query(db_, std::string(kAnnotationColumns) + " WHERE tree_id = ? AND node_id IS ? ORDER BY id");
  query.bind(1, tree);
  sql::bindOptional(query, 2, node);
  std::vector<Annotation> result;
  while (query.executeStep()) result.push_back(readAnnotation(query));
  return result;
}

std::optional<Annotation> AnnotationRepository::find(conversation::TreeId tree, std::optional<conversation::NodeId> node,
                                                     const std::string& annotator, const std::string& label) {
  SQLite::Statement query(db_, std::string(kAnnotationColumns) +
                                   " WHERE tree_id = ? AND node_id IS ? AND annotator = ? AND label = ? ORDER BY id DESC");
  query.bind(1, tree);
  sql::bindOptional(query, 2, node);
  query.bind(3, annotator);
  query.bind(4, label);
  if (!query.executeStep()) return std::nullopt;
  return readAnnotation(query);
}

void AnnotationRepository::forEach(const std::function<bool(const Annotation&)>& visit) {
  SQLite::Statement query(db_, std::string(kAnnotationColumns) + " ORDER BY id");
  while (query.executeStep())
    if (!visit(readAnnotation(query))) return;
}

std::vector<std::string> AnnotationRepository::annotators() {
  SQLite::Statement query(db_, "SELECT DISTINCT annotator FROM annotations ORDER BY annotator");
  std::vector<std::string> result;
  while (query.executeStep()) result.push_back(query.getColumn(0).getString());
  return result;
}

void AnnotationRepository::setNote(const AnnotationNote& note) {
  Transaction transaction(db_);
  SQLite::Statement erase(db_, "DELETE FROM annotation_notes WHERE tree_id = ? AND node_id IS ? AND annotator = ?");
  erase.bind(1, note.treeId);
  sql::bindOptional(erase, 2, note.nodeId);
  erase.bind(3, note.annotator);
  erase.exec();
  if (!note.text.empty()) {
    SQLite::Statement insert(db_, "INSERT INTO annotation_notes(tree_id, node_id, annotator, note, created_at)"
                                  " VALUES (?, ?, ?, ?, coalesce(nullif(?, ''), strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
    insert.bind(1, note.treeId);
    sql::bindOptional(insert, 2, note.nodeId);
    insert.bind(3, note.annotator);
    insert.bind(4, note.text);
    insert.bind(5, note.createdAt);
    insert.exec();
  }
  transaction.commit();
}

std::optional<AnnotationNote> AnnotationRepository::note(conversation::TreeId tree, std::optional<conversation::NodeId> node,
                                                         const std::string& annotator) {
  SQLite::Statement query(db_, "SELECT tree_id, node_id, annotator, note, created_at FROM annotation_notes"
                               " WHERE tree_id = ? AND node_id IS ? AND annotator = ? ORDER BY id DESC");
  query.bind(1, tree);
  sql::bindOptional(query, 2, node);
  query.bind(3, annotator);
  if (!query.executeStep()) return std::nullopt;
  return readNote(query);
}

void AnnotationRepository::forEachNote(const std::function<bool(const AnnotationNote&)>& visit) {
  SQLite::Statement query(db_, "SELECT tree_id, node_id, annotator, note, created_at FROM annotation_notes ORDER BY id");
  while (query.executeStep())
    if (!visit(readNote(query))) return;
}

std::optional<std::string> AnnotationRepository::labelSchemaJson() {
  SQLite::Statement query(db_, "SELECT schema FROM label_schemas ORDER BY id DESC LIMIT 1");
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

void AnnotationRepository::addLabelSchemaVersion(const std::string& schemaJson) {
  SQLite::Statement insert(db_, "INSERT INTO label_schemas(schema) VALUES (?)");
  insert.bind(1, schemaJson);
  insert.exec();
}

std::int64_t AnnotationRepository::queueSize(QueueLevel level) {
  if (level == QueueLevel::Conversations) return db_.execAndGet("SELECT count(*) FROM trees").getInt64();
  return db_.execAndGet(std::string("SELECT count(*) FROM ") + kAssistantTurns).getInt64();
}

std::int64_t AnnotationRepository::annotatedCount(QueueLevel level, const std::string& annotator,
                                                  const QueueLabels& labels) {
  const bool turns = level == QueueLevel::AssistantTurns;
  const std::string sql = turns ? std::string("SELECT count(*) FROM ") + kAssistantTurns + " AND NOT" + kTurnNotAnnotated
                                : std::string("SELECT count(*) FROM trees t WHERE NOT") + kTreeNotAnnotated;
  SQLite::Statement query(db_, sql);
  bindQueue(query, annotator, labels, turns);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

std::optional<AnnotationRepository::QueueItem>
AnnotationRepository::nextUnannotated(QueueLevel level, const std::string& annotator, const QueueLabels& labels,
                                      conversation::TreeId afterTree, conversation::NodeId afterNode) {
  const bool turns = level == QueueLevel::AssistantTurns;
  const std::string sql =
      turns ? std::string("SELECT n.tree_id, n.id FROM ") + kAssistantTurns +
                  " AND (n.tree_id, n.id) > (:tree, :node) AND" + kTurnNotAnnotated + " ORDER BY n.tree_id, n.id LIMIT 1"
            : std::string("SELECT t.id, NULL FROM trees t WHERE t.id > :tree AND") + kTreeNotAnnotated +
                  " ORDER BY t.id LIMIT 1";
  SQLite::Statement query(db_, sql);
  bindQueue(query, annotator, labels, turns);
  query.bind(":tree", afterTree);
  if (turns) query.bind(":node", afterNode);
  if (!query.executeStep()) return std::nullopt;
  return QueueItem{query.getColumn(0).getInt64(), sql::optionalInt64(query.getColumn(1))};
}

std::int64_t AnnotationRepository::addPreference(const Preference& preference) {
  SQLite::Statement insert(db_, "INSERT INTO preferences(tree_id, chosen_node_id, rejected_node_id, annotator, source)"
                                " VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, preference.treeId);
  insert.bind(2, preference.chosen);
  insert.bind(3, preference.rejected);
  insert.bind(4, preference.annotator);
  insert.bind(5, preference.source);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::vector<Preference> AnnotationRepository::preferences(conversation::TreeId tree) {
  SQLite::Statement query(db_, "SELECT id, tree_id, chosen_node_id, rejected_node_id, annotator, source, created_at"
                               " FROM preferences WHERE tree_id = ? ORDER BY id");
  query.bind(1, tree);
  std::vector<Preference> result;
  while (query.executeStep())
    result.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getInt64(), query.getColumn(2).getInt64(),
                      query.getColumn(3).getInt64(), query.getColumn(4).getString(), query.getColumn(5).getString(),
                      query.getColumn(6).getString()});
  return result;
}

std::int64_t AnnotationRepository::count() { return db_.execAndGet("SELECT count(*) FROM annotations").getInt64(); }

std::int64_t AnnotationRepository::preferenceCount() {
  return db_.execAndGet("SELECT count(*) FROM preferences").getInt64();
}

} // namespace collab::store
