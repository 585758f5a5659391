#include "store/RemovedRows.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>

namespace collab::store {

namespace {

// "?, ?, ?" for n values.
std::string placeholders(std::size_t n) {
  std::string list;
  for (std::size_t i = 0; i < n; ++i) list += i ? ", ?" : "?";
  return list;
}

SqlValue readValue(const SQLite::Column& column) {
  if (column.isNull()) return std::monostate{};
  if (column.isInteger()) return column.getInt64();
  if (column.isFloat()) return column.getDouble();
  return column.getString();
}

void bindValue(SQLite::Statement& statement, int index, const SqlValue& value) {
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>)
          statement.bind(index);
        else
          statement.bind(index, v);
      },
      value);
}

// SQLite limits the number of bound values per statement; ids go in batches below it.
constexpr std::size_t kBatch = 500;

} // namespace

std::vector<std::int64_t> TableRows::ids() const {
  std::vector<std::int64_t> result;
  for (const auto& row : rows) result.push_back(std::get<std::int64_t>(row.front()));
  return result;
}

bool RemovedRows::empty() const {
  return std::all_of(tables.begin(), tables.end(), [](const TableRows& t) { return t.rows.empty(); });
}

namespace rows {

TableRows select(SQLite::Database& db, const std::string& table, const std::vector<std::int64_t>& ids,
                 const std::string& orderBy) {
  TableRows result;
  result.table = table;
  // Read in one statement when possible so that the order is the whole set's order.
  std::string sql = "SELECT * FROM " + table;
  sql += ids.size() <= kBatch ? " WHERE id IN (" + placeholders(ids.size()) + ")"
                              : " WHERE id IN (SELECT value FROM json_each(?))";
  sql += " ORDER BY " + orderBy;
  SQLite::Statement query(db, sql);
  if (ids.size() <= kBatch) {
    for (std::size_t i = 0; i < ids.size(); ++i) query.bind(static_cast<int>(i + 1), ids[i]);
  } else {
    std::string list = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) list += (i ? "," : "") + std::to_string(ids[i]);
    query.bind(1, list + "]");
  }
  for (int c = 0; c < query.getColumnCount(); ++c) result.columns.emplace_back(query.getColumnName(c));
  while (query.executeStep()) {
    std::vector<SqlValue> row;
    for (int c = 0; c < query.getColumnCount(); ++c) row.push_back(readValue(query.getColumn(c)));
    result.rows.push_back(std::move(row));
  }
  return result;
}

void erase(SQLite::Database& db, const std::string& table, const std::vector<std::int64_t>& ids) {
  for (std::size_t first = 0; first < ids.size(); first += kBatch) {
    const std::size_t n = std::min(kBatch, ids.size() - first);
    SQLite::Statement remove(db, "DELETE FROM " + table + " WHERE id IN (" + placeholders(n) + ")");
    for (std::size_t i = 0; i < n; ++i) remove.bind(static_cast<int>(i + 1), ids[first + i]);
    remove.exec();
  }
}

void insert(SQLite::Database& db, const TableRows& rows) {
  if (rows.rows.empty()) return;
  std::string columns;
  for (const std::string& column : rows.columns) columns += (columns.empty() ? "" : ", ") + column;
  SQLite::Statement add(db, "INSERT INTO " + rows.table + "(" + columns + ") VALUES (" +
                                placeholders(rows.columns.size()) + ")");
  for (const auto& row : rows.rows) {
    add.reset();
    for (std::size_t c = 0; c < row.size(); ++c) bindValue(add, static_cast<int>(c + 1), row[c]);
    add.exec();
  }
}

} // namespace rows

} // namespace collab::store
