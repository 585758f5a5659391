#pragma once

#include "conversation/Node.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}

namespace collab::store {

using conversation::TreeId;

// One conversation tree's own row; its turns live in the nodes table.
struct TreeRecord {
  TreeId id = 0;
  std::string title;
  std::string source;     // where it came from: "import:FILE", "demo", "rollout"...
  std::string externalId; // the id it had there (CollabLLM conv_id, dataset idx...)
  std::optional<std::int64_t> taskId;
  std::optional<std::int64_t> personaVersionId;
  std::string metadataJson = "{}";
  std::string createdAt;
};

// A tree as the conversation list shows it.
struct TreeSummary {
  TreeRecord tree;
  std::int64_t nodeCount = 0;
  std::int64_t turns = 0;    // length of the longest conversation path
  std::int64_t branches = 0; // conversation leaves: 1 for a plain chat
  std::optional<double> bestMr;
  std::string task;    // the task's id ("documents/7/3") or family; empty without a task
  std::string persona; // "impatient-expert@v1" for simulated conversations; empty otherwise
  std::int64_t annotations = 0, preferences = 0; // labels and choices recorded on the tree
};

// What the tree list is ordered by (ties by id).
enum class TreeOrder { Id, Title, Turns, Nodes, BestMr, Labels };

// A page of the tree list. In id order pages are keyed by id (after the last id seen), so
// listing the millionth tree costs the same as the first and nothing is loaded ahead.
// Other orders compute their key for every tree and page by offset.
struct TreeQuery {
  TreeId afterId = 0;
  int limit = 100;
  std::string text;   // full-text filter over turn texts; empty for all trees
  std::string source; // exact source filter; empty for all
  TreeOrder order = TreeOrder::Id;
  bool descending = false;
  std::int64_t offset = 0; // rows to skip, for orders other than Id (afterId is for Id)
};

class TreeRepository {
public:
  explicit TreeRepository(SQLite::Database& db);
  ~TreeRepository();

  TreeId add(const TreeRecord& tree);
  std::optional<TreeRecord> find(TreeId id);
  std::optional<TreeId> findByExternalId(const std::string& source, const std::string& externalId);
  void setTitle(TreeId id, const std::string& title);
  void remove(TreeId id);

  std::vector<TreeSummary> list(const TreeQuery& query);
  // Calls `visit` for every tree in id order, one page at a time; stops when it returns false.
  void forEach(const std::function<bool(const TreeRecord&)>& visit, int pageSize = 500);
  std::int64_t count();

private:
  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> insert_;
};

} // namespace collab::store
