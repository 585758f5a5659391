#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace SQLite {
class Database;
}

namespace collab::store {

// A task as the project records it: the user's first request and the goal only the
// simulated user knows.
struct TaskRecord {
  std::int64_t id = 0;
  std::string family; // "collabllm", "documents", "math", "code", a plugin's name...
  std::string prompt;
  std::string goal;
  std::string metadataJson = "{}";
  std::optional<std::string> split; // "train" / "test"
};

class TaskRepository {
public:
  explicit TaskRepository(SQLite::Database& db) : db_(db) {}

  std::int64_t add(const TaskRecord& task);
  std::optional<TaskRecord> find(std::int64_t id);
  std::int64_t count();

private:
  SQLite::Database& db_;
};

} // namespace collab::store
