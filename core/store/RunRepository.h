#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}

namespace collab::store {

struct RunRecord {
  std::int64_t id = 0;
  std::string name;
  std::string method; // "sft", "dpo-offline", "dpo-online", "ppo"
  std::string status = "created";
  std::string configJson = "{}";
  std::string failureReason;
  std::string startedAt;
  std::optional<std::string> finishedAt;
};

struct MetricPoint {
  std::int64_t step = 0;
  double value = 0.0;
  double wallTime = 0.0; // seconds since the epoch
};

struct CheckpointRecord {
  std::int64_t id = 0;
  std::int64_t runId = 0;
  std::int64_t step = 0;
  std::string path;
  std::string metricsJson = "{}";
};

class RunRepository {
public:
  explicit RunRepository(SQLite::Database& db);
  ~RunRepository();

  std::int64_t create(const std::string& name, const std::string& method, const std::string& configJson);
  std::optional<RunRecord> find(std::int64_t id);
  std::vector<RunRecord> list();
  // Statuses "finished", "failed" and "stopped" also stamp the finish time.
  void setStatus(std::int64_t id, const std::string& status, const std::string& failureReason = "");

  // Re-recording a (key, step) replaces it: a resumed run rewrites the steps it repeats.
  void addMetric(std::int64_t runId, std::int64_t step, const std::string& key, double value, double wallTime);
  std::vector<MetricPoint> metrics(std::int64_t runId, const std::string& key);
  std::vector<std::string> metricKeys(std::int64_t runId);
  // Forgets the metrics after `step`: a run resumed from its checkpoint at `step` trains
  // those steps again, and a stale tail must not outlive a second interruption.
  void removeMetricsAfter(std::int64_t runId, std::int64_t step);

  std::int64_t addCheckpoint(const CheckpointRecord& checkpoint);
  std::vector<CheckpointRecord> checkpoints(std::int64_t runId);
  // Forgets the run's checkpoints at `path` (about to be written again by a resumed run).
  void removeCheckpoints(std::int64_t runId, const std::string& path);
  std::int64_t count();

private:
  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> insertMetric_;
};

} // namespace collab::store
