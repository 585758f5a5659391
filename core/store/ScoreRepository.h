#pragma once

#include "reward/Score.h"

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}

namespace collab::store {

class ScoreRepository {
public:
  explicit ScoreRepository(SQLite::Database& db);
  ~ScoreRepository();

  std::int64_t add(const reward::Score& score);
  std::vector<reward::Score> forNode(conversation::NodeId node);
  // Every score of a tree (of its nodes and of the tree itself), oldest first.
  std::vector<reward::Score> forTree(conversation::TreeId tree);
  std::int64_t count();

private:
  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> insert_;
};

// The latest score of one kind for each node of a tree: what views colour by and what
// "best path" and DPO export rank by.
std::map<conversation::NodeId, double> latestByNode(const std::vector<reward::Score>& scores,
                                                    const std::string& kind);

} // namespace collab::store
