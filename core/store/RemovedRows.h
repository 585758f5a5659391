#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace SQLite {
class Database;
}

namespace collab::store {

// One SQLite value as stored: NULL, integer, real or text (the project has no blobs).
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

// Whole rows of one table, every column as stored, so that they can be put back exactly:
// the same ids, texts and timestamps. `id` is the first column.
struct TableRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<SqlValue>> rows;

  std::vector<std::int64_t> ids() const;
};

// Rows taken out of a project by an edit, in the order they go back in (a node before its
// children, nodes before the scores and labels that point at them). Undoing an edit puts
// them back with their own ids, so that every later edit that names them still applies.
struct RemovedRows {
  std::vector<TableRows> tables;

  bool empty() const;
};

namespace rows {

// The rows of `table` whose id is in `ids`, ordered by `orderBy` (an SQL expression).
TableRows select(SQLite::Database& db, const std::string& table, const std::vector<std::int64_t>& ids,
                 const std::string& orderBy = "id");
// Deletes the rows of `table` whose id is in `ids`.
void erase(SQLite::Database& db, const std::string& table, const std::vector<std::int64_t>& ids);
// Inserts rows exactly as they were selected.
void insert(SQLite::Database& db, const TableRows& rows);

} // namespace rows

} // namespace collab::store
