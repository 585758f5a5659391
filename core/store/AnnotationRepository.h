#pragma once

#include "conversation/Node.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace collab::store {

// A label put on a turn (or on a whole conversation when nodeId is empty).
struct Annotation {
  std::int64_t id = 0;
  conversation::TreeId treeId = 0;
  std::optional<conversation::NodeId> nodeId;
  std::string annotator;
  std::string label;
  std::string valueJson = "null";
  std::string createdAt;
};

// "chosen is better than rejected", said by an annotator or carried in by a dataset.
struct Preference {
  std::int64_t id = 0;
  conversation::TreeId treeId = 0;
  conversation::NodeId chosen = 0;
  conversation::NodeId rejected = 0;
  std::string annotator;
  std::string source;
  std::string createdAt;
};

class AnnotationRepository {
public:
  explicit AnnotationRepository(SQLite::Database& db) : db_(db) {}

  std::int64_t add(const Annotation& annotation);
  std::vector<Annotation> forTree(conversation::TreeId tree);
  std::int64_t addPreference(const Preference& preference);
  std::vector<Preference> preferences(conversation::TreeId tree);
  std::int64_t count();
  std::int64_t preferenceCount();

private:
  SQLite::Database& db_;
};

} // namespace collab::store
