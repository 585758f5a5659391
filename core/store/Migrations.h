#pragma once

#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace collab::store {

// One forward step of the project schema. Steps are never edited once released: a
// change to the schema is a new step, so every older project file can be brought forward.
struct Migration {
  int version;
  std::string description;
  std::string sql;
};

const std::vector<Migration>& migrations();
int latestSchemaVersion();

// 0 for an empty database (no schema_version table).
int schemaVersion(SQLite::Database& db);

// Applies the steps after the database's version up to `target`, all in one transaction:
// either every step lands or the file is left as it was.
void migrate(SQLite::Database& db, int target);

} // namespace collab::store
