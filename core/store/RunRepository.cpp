#include "store/RunRepository.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

namespace {

RunRecord readRun(SQLite::Statement& row) {
  RunRecord run;
  run.id = row.getColumn(0).getInt64();
  run.name = row.getColumn(1).getString();
  run.method = row.getColumn(2).getString();
  run.status = row.getColumn(3).getString();
  run.configJson = row.getColumn(4).getString();
  run.failureReason = row.getColumn(5).getString();
  run.startedAt = row.getColumn(6).getString();
  if (!row.getColumn(7).isNull()) run.finishedAt = row.getColumn(7).getString();
  return run;
}

constexpr const char* kRunSelect =
    "SELECT id, name, method, status, config, failure_reason, started_at, finished_at FROM runs ";

} // namespace

RunRepository::RunRepository(SQLite::Database& db) : db_(db) {}
RunRepository::~RunRepository() = default;

std::int64_t RunRepository::create(const std::string& name, const std::string& method, const std::string& configJson) {
  SQLite::Statement insert(db_, "INSERT INTO runs(name, method, config) VALUES (?, ?, ?)");
  insert.bind(1, name);
  insert.bind(2, method);
  insert.bind(3, configJson);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::optional<RunRecord> RunRepository::find(std::int64_t id) {
  SQLite::Statement query(db_, std::string(kRunSelect) + "WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  return readRun(query);
}

std::vector<RunRecord> RunRepository::list() {
  SQLite::Statement query(db_, std::string(kRunSelect) + "ORDER BY id");
  std::vector<RunRecord> runs;
  while (query.executeStep()) runs.push_back(readRun(query));
  return runs;
}

void RunRepository::setStatus(std::int64_t id, const std::string& status, const std::string& failureReason) {
  SQLite::Statement update(db_, "UPDATE runs SET status = ?1, failure_reason = ?2, finished_at = CASE"
                                " WHEN ?1 IN ('finished', 'failed', 'stopped') THEN strftime('%Y-%m-%dT%H:%M:%fZ','now')"
                                " ELSE NULL END WHERE id = ?3");
  update.bind(1, status);
  update.bind(2, failureReason);
  update.bind(3, id);
  update.exec();
}

void RunRepository::addMetric(std::int64_t runId, std::int64_t step, const std::string& key, double value,
                              double wallTime) {
  if (!insertMetric_)
    insertMetric_ = std::make_unique<SQLite::Statement>(
        db_, "INSERT OR REPLACE INTO run_metrics(run_id, key, step, value, wall_time) VALUES (?, ?, ?, ?, ?)");
  SQLite::Statement& insert = *insertMetric_;
  insert.reset();
  insert.bind(1, runId);
  insert.bind(2, key);
  insert.bind(3, step);
  insert.bind(4, value);
  insert.bind(5, wallTime);
  insert.exec();
}

std::vector<MetricPoint> RunRepository::metrics(std::int64_t runId, const std::string& key) {
  SQLite::Statement query(db_, "SELECT step, value, wall_time FROM run_metrics WHERE run_id = ? AND key = ? ORDER BY step");
  query.bind(1, runId);
  query.bind(2, key);
  std::vector<MetricPoint> points;
  while (query.executeStep())
    points.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getDouble(), query.getColumn(2).getDouble()});
  return points;
}

std::vector<std::string> RunRepository::metricKeys(std::int64_t runId) {
  SQLite::Statement query(db_, "SELECT DISTINCT key FROM run_metrics WHERE run_id = ? ORDER BY key");
  query.bind(1, runId);
  std::vector<std::string> keys;
  while (query.executeStep()) keys.push_back(query.getColumn(0).getString());
  return keys;
}

void RunRepository::removeMetricsAfter(std::int64_t runId, std::int64_t step) {
  SQLite::Statement remove(db_, "DELETE FROM run_metrics WHERE run_id = ? AND step > ?");
  remove.bind(1, runId);
  remove.bind(2, step);
  remove.exec();
}

std::int64_t RunRepository::addCheckpoint(const CheckpointRecord& checkpoint) {
  SQLite::Statement insert(db_, "INSERT INTO checkpoints(run_id, step, path, metrics) VALUES (?, ?, ?, ?)");
  insert.bind(1, checkpoint.runId);
  insert.bind(2, checkpoint.step);
  insert.bind(3, checkpoint.path);
  insert.bind(4, checkpoint.metricsJson);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::vector<CheckpointRecord> RunRepository::checkpoints(std::int64_t runId) {
  SQLite::Statement query(db_, "SELECT id, run_id, step, path, metrics FROM checkpoints WHERE run_id = ? ORDER BY step");
  query.bind(1, runId);
  std::vector<CheckpointRecord> result;
  while (query.executeStep())
    result.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getInt64(), query.getColumn(2).getInt64(),
                      query.getColumn(3).getString(), query.getColumn(4).getString()});
  return result;
}

void RunRepository::removeCheckpoints(std::int64_t runId, const std::string& path) {
  SQLite::Statement remove(db_, "DELETE FROM checkpoints WHERE run_id = ? AND path = ?");
  remove.bind(1, runId);
  remove.bind(2, path);
  remove.exec();
}

std::int64_t RunRepository::count() { return db_.execAndGet("SELECT count(*) FROM runs").getInt64(); }

} // namespace collab::store
