#include "annotation/AnnotationMerge.h"

#include "common/Error.h"
#include "store/Migrations.h"
#include "store/Project.h"
#include "store/SqlValues.h"
#include "store/Transaction.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>

namespace collab::annotation {

namespace {

using nlohmann::json;

SQLite::Database openCopy(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw ProjectError(path.string() + ": no such file");
  try {
    SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
    const int version = store::schemaVersion(db);
    if (version == 0) throw ProjectError(path.string() + ": not a workbench project (no schema_version table)");
    if (version > store::latestSchemaVersion())
      throw ProjectError(path.string() + ": written by a newer workbench (schema " + std::to_string(version) +
                         ", this build reads up to " + std::to_string(store::latestSchemaVersion()) + ")");
    return db;
  } catch (const SQLite::Exception& e) {
    throw ProjectError(path.string() + ": not a workbench project (" + e.what() + ")");
  }
}

// What must be equal for an item of the copy to be the same item here.
std::optional<std::string> treeIdentity(SQLite::Database& db, conversation::TreeId tree) {
  SQLite::Statement query(db, "SELECT title, source, coalesce(external_id, '') FROM trees WHERE id = ?");
  query.bind(1, tree);
  if (!query.executeStep()) return std::nullopt;
  return json::array({query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString()}).dump();
}

std::optional<std::string> nodeIdentity(SQLite::Database& db, conversation::NodeId node) {
  SQLite::Statement query(db, "SELECT tree_id, coalesce(parent_id, 0), role, content FROM nodes WHERE id = ?");
  query.bind(1, node);
  if (!query.executeStep()) return std::nullopt;
  return json::array({query.getColumn(0).getInt64(), query.getColumn(1).getInt64(), query.getColumn(2).getString(),
                      query.getColumn(3).getString()})
      .dump();
}

// The candidate nodes a ranking or pairwise value names; they must match too.
std::set<conversation::NodeId> nodesNamedIn(const json& value) {
  std::set<conversation::NodeId> ids;
  if (!value.is_array()) return ids;
  for (const json& entry : value) {
    if (entry.is_number_integer()) ids.insert(entry.get<conversation::NodeId>());
    if (entry.is_object())
      for (const char* key : {"a", "b"})
        if (entry.contains(key) && entry[key].is_number_integer()) ids.insert(entry[key].get<conversation::NodeId>());
  }
  return ids;
}

class Merger {
public:
  Merger(store::Project& into, SQLite::Database& copy) : into_(into), copy_(copy) {}

  void mergeAnnotations(MergeReport& report);
  void mergeNotes(MergeReport& report);
  void mergeSchema(MergeReport& report);

private:
  std::optional<std::string> mismatch(const AnnotationItem& item, const json& value);
  bool sameNode(conversation::NodeId id);

  store::Project& into_;
  SQLite::Database& copy_;
  std::map<conversation::NodeId, bool> nodeChecked_;
  std::map<conversation::TreeId, bool> treeChecked_;
};

bool Merger::sameNode(conversation::NodeId id) {
  auto [it, fresh] = nodeChecked_.emplace(id, false);
  if (fresh) {
    const auto theirs = nodeIdentity(copy_, id);
    it->second = theirs && theirs == nodeIdentity(into_.database(), id);
  }
  return it->second;
}

std::optional<std::string> Merger::mismatch(const AnnotationItem& item, const json& value) {
  auto [it, fresh] = treeChecked_.emplace(item.tree, false);
  if (fresh) {
    const auto theirs = treeIdentity(copy_, item.tree);
    it->second = theirs && theirs == treeIdentity(into_.database(), item.tree);
  }
  if (!it->second) return item.describe() + ": the conversation is not here, or has another title or source";
  if (item.node && !sameNode(*item.node)) return item.describe() + ": the turn is not here, or its text differs";
  for (conversation::NodeId id : nodesNamedIn(value))
    if (!sameNode(id)) return item.describe() + ": candidate " + std::to_string(id) + " is not here, or its text differs";
  return std::nullopt;
}

void Merger::mergeAnnotations(MergeReport& report) {
  SQLite::Statement query(copy_, "SELECT tree_id, node_id, annotator, label, value, created_at FROM annotations ORDER BY id");
  while (query.executeStep()) {
    store::Annotation theirs{0, query.getColumn(0).getInt64(), store::sql::optionalInt64(query.getColumn(1)),
                             query.getColumn(2).getString(), query.getColumn(3).getString(), query.getColumn(4).getString(),
                             query.getColumn(5).getString()};
    const AnnotationItem item{theirs.treeId, theirs.nodeId};
    const json value = json::parse(theirs.valueJson);
    if (auto problem = mismatch(item, value)) {
      report.mismatches.push_back(*problem);
      continue;
    }
    const auto ours = into_.annotations().find(item.tree, item.node, theirs.annotator, theirs.label);
    if (!ours) {
      into_.annotations().add(theirs);
      ++report.added;
    } else if (json::parse(ours->valueJson) == value) {
      ++report.duplicates;
    } else {
      report.conflicts.push_back({item, theirs.label, theirs.annotator, ours->valueJson, theirs.valueJson});
    }
  }
}

void Merger::mergeNotes(MergeReport& report) {
  if (!copy_.tableExists("annotation_notes")) return; // a copy from before notes existed
  SQLite::Statement query(copy_, "SELECT tree_id, node_id, annotator, note, created_at FROM annotation_notes ORDER BY id");
  while (query.executeStep()) {
    const store::AnnotationNote theirs{query.getColumn(0).getInt64(), store::sql::optionalInt64(query.getColumn(1)),
                                       query.getColumn(2).getString(), query.getColumn(3).getString(),
                                       query.getColumn(4).getString()};
    const AnnotationItem item{theirs.treeId, theirs.nodeId};
    if (auto problem = mismatch(item, json())) {
      report.mismatches.push_back(*problem);
      continue;
    }
    const auto ours = into_.annotations().note(item.tree, item.node, theirs.annotator);
    if (!ours) {
      into_.annotations().setNote(theirs);
      ++report.notesAdded;
    } else if (ours->text == theirs.text) {
      ++report.duplicates;
    } else {
      report.conflicts.push_back({item, "(note)", theirs.annotator, ours->text, theirs.text});
    }
  }
}

void Merger::mergeSchema(MergeReport& report) {
  if (!copy_.tableExists("label_schemas")) return;
  SQLite::Statement query(copy_, "SELECT schema FROM label_schemas ORDER BY id DESC LIMIT 1");
  if (!query.executeStep()) return;
  const std::string theirs = query.getColumn(0).getString();
  const auto ours = into_.annotations().labelSchemaJson();
  if (!ours) {
    into_.annotations().addLabelSchemaVersion(theirs);
    report.schemaAdopted = true;
  } else if (json::parse(*ours) != json::parse(theirs)) {
    report.schemaDiffers = true;
  }
}

} // namespace

MergeReport mergeAnnotations(store::Project& into, const std::filesystem::path& other) {
  if (std::filesystem::exists(other) && std::filesystem::equivalent(other, into.path()))
    throw Error(other.string() + ": is this project itself; merge a copy of it");
  SQLite::Database copy = openCopy(other);
  MergeReport report;
  store::Transaction transaction(into.database());
  Merger merger(into, copy);
  merger.mergeSchema(report);
  merger.mergeAnnotations(report);
  merger.mergeNotes(report);
  transaction.commit();
  return report;
}

} // namespace collab::annotation
