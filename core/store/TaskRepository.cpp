#include "store/TaskRepository.h"

#include "store/SqlValues.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

std::int64_t TaskRepository::add(const TaskRecord& task) {
  SQLite::Statement insert(db_, "INSERT INTO tasks(family, prompt, goal, metadata, split) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, task.family);
  insert.bind(2, task.prompt);
  insert.bind(3, task.goal);
  insert.bind(4, task.metadataJson);
  sql::bindOptional(insert, 5, task.split);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::optional<TaskRecord> TaskRepository::find(std::int64_t id) {
  SQLite::Statement query(db_, "SELECT id, family, prompt, goal, metadata, split FROM tasks WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  TaskRecord task;
  task.id = query.getColumn(0).getInt64();
  task.family = query.getColumn(1).getString();
  task.prompt = query.getColumn(2).getString();
  task.goal = query.getColumn(3).getString();
  task.metadataJson = query.getColumn(4).getString();
  if (!query.getColumn(5).isNull()) task.split = query.getColumn(5).getString();
  return task;
}

std::int64_t TaskRepository::count() { return db_.execAndGet("SELECT count(*) FROM tasks").getInt64(); }

} // namespace collab::store
