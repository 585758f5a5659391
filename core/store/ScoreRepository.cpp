#include "store/ScoreRepository.h"

#include "store/SqlValues.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

namespace collab::store {

namespace {

constexpr const char* kScoreColumns =
    "id, tree_id, node_id, kind, value, std, samples, rationale, config_hash, config, created_at";

reward::Score readScore(SQLite::Statement& row) {
  reward::Score score;
  score.id = row.getColumn(0).getInt64();
  score.treeId = row.getColumn(1).getInt64();
  score.nodeId = sql::optionalInt64(row.getColumn(2));
  score.kind = row.getColumn(3).getString();
  score.value = row.getColumn(4).getDouble();
  score.std = sql::optionalDouble(row.getColumn(5));
  score.samples = nlohmann::json::parse(row.getColumn(6).getString()).get<std::vector<double>>();
  score.rationale = row.getColumn(7).getString();
  score.configHash = row.getColumn(8).getString();
  score.configJson = row.getColumn(9).getString();
  score.createdAt = row.getColumn(10).getString();
  return score;
}

std::vector<reward::Score> readAll(SQLite::Statement& query) {
  std::vector<reward::Score> scores;
  while (query.executeStep()) scores.push_back(readScore(query));
  return scores;
}

} // namespace

ScoreRepository::ScoreRepository(SQLite::Database& db) : db_(db) {}
ScoreRepository::~ScoreRepository() = default;

std::int64_t ScoreRepository::add(const reward::Score& score) {
  if (!insert_)
    insert_ = std::make_unique<SQLite::Statement>(
        db_, "INSERT INTO scores(tree_id, node_id, kind, value, std, samples, rationale, config_hash, config)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement& insert = *insert_;
  insert.reset();
  insert.bind(1, score.treeId);
  sql::bindOptional(insert, 2, score.nodeId);
  insert.bind(3, score.kind);
  insert.bind(4, score.value);
  sql::bindOptional(insert, 5, score.std);
  insert.bind(6, nlohmann::json(score.samples).dump());
  insert.bind(7, score.rationale);
  insert.bind(8, score.configHash.empty() ? reward::configHash(score.configJson) : score.configHash);
  insert.bind(9, score.configJson);
  insert.exec();
  return db_.getLastInsertRowid();
}

std::vector<reward::Score> ScoreRepository::forNode(conversation::NodeId node) {
  SQLite::Statement query(db_, std::string("SELECT ") + kScoreColumns + " FROM scores WHERE node_id = ? ORDER BY id");
  query.bind(1, node);
  return readAll(query);
}

std::vector<reward::Score> ScoreRepository::forTree(conversation::TreeId tree) {
  SQLite::Statement query(db_, std::string("SELECT ") + kScoreColumns + " FROM scores WHERE tree_id = ? ORDER BY id");
  query.bind(1, tree);
  return readAll(query);
}

std::int64_t ScoreRepository::count() { return db_.execAndGet("SELECT count(*) FROM scores").getInt64(); }

std::map<conversation::NodeId, double> latestByNode(const std::vector<reward::Score>& scores,
                                                    const std::string& kind) {
  std::map<conversation::NodeId, double> latest;
  for (const reward::Score& score : scores) // oldest first, so later ones overwrite
    if (score.nodeId && score.kind == kind) latest[*score.nodeId] = score.value;
  return latest;
}

} // namespace collab::store
