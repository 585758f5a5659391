#include "store/AnnotationRepository.h"

#include "store/SqlValues.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

std::int64_t AnnotationRepository::add(const Annotation& annotation) {
  SQLite::Statement insert(db_, "INSERT INTO annotations(tree_id, node_id, annotator, label, value) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, annotation.treeId);
  sql::bindOptional(insert, 2, annotation.nodeId);
  insert.bind(3, annotation.annotator);
  insert.bind(4, annotation.label);
  insert.bind(5, annotation.valueJson);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::vector<Annotation> AnnotationRepository::forTree(conversation::TreeId tree) {
  SQLite::Statement query(db_, "SELECT id, tree_id, node_id, annotator, label, value, created_at FROM annotations"
                               " WHERE tree_id = ? ORDER BY id");
  query.bind(1, tree);
  std::vector<Annotation> result;
  while (query.executeStep()) {
    Annotation a;
    a.id = query.getColumn(0).getInt64();
    a.treeId = query.getColumn(1).getInt64();
    a.nodeId = sql::optionalInt64(query.getColumn(2));
    a.annotator = query.getColumn(3).getString();
    a.label = query.getColumn(4).getString();
    a.valueJson = query.getColumn(5).getString();
    a.createdAt = query.getColumn(6).getString();
    result.push_back(std::move(a));
  }
  return result;
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
