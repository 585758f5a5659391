#pragma once

namespace SQLite {
class Database;
}

namespace collab::store {

// A write transaction that rolls back unless committed. The outermost one is a
// BEGIN IMMEDIATE ... COMMIT; nested ones are savepoints, so one bad row of an import
// can be undone while the rest of the import goes on.
class Transaction {
public:
  explicit Transaction(SQLite::Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();
  void rollback();

private:
  SQLite::Database& db_;
  bool outermost_;
  bool open_ = true;
};

} // namespace collab::store
