#include "store/Transaction.h"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

namespace collab::store {

namespace {
constexpr const char* kSavepoint = "collab_nested";
}

Transaction::Transaction(SQLite::Database& db)
    : db_(db), outermost_(sqlite3_get_autocommit(db.getHandle()) != 0) {
  db_.exec(outermost_ ? std::string("BEGIN IMMEDIATE") : std::string("SAVEPOINT ") + kSavepoint);
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    rollback();
  } catch (...) {
    // A destructor must not throw; SQLite undoes an unfinished transaction on close anyway.
  }
}

void Transaction::commit() {
  db_.exec(outermost_ ? std::string("COMMIT") : std::string("RELEASE ") + kSavepoint);
  open_ = false;
}

void Transaction::rollback() {
  open_ = false;
  if (outermost_) {
    db_.exec("ROLLBACK");
  } else {
    db_.exec(std::string("ROLLBACK TO ") + kSavepoint);
    db_.exec(std::string("RELEASE ") + kSavepoint);
  }
}

} // namespace collab::store
