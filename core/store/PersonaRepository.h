#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace collab::store {

// One saved version of a persona. Versions are never changed after the fact: every
// simulated turn points at the exact version that produced it.
struct PersonaVersion {
  std::int64_t id = 0;
  std::int64_t personaId = 0;
  std::string name;
  int version = 0;
  std::string description;
  std::string traitsJson = "{}";
  std::string promptTemplate;
  std::string createdAt;
};

class PersonaRepository {
public:
  explicit PersonaRepository(SQLite::Database& db) : db_(db) {}

  // Saves a new version of the persona called `version.name` (creating the persona on its
  // first version) and returns it with its id and number filled in.
  PersonaVersion addVersion(PersonaVersion version);
  std::optional<PersonaVersion> latest(const std::string& name);
  std::optional<PersonaVersion> findVersion(std::int64_t versionId);
  std::vector<PersonaVersion> history(const std::string& name);
  std::vector<std::string> names();
  std::int64_t count();

private:
  SQLite::Database& db_;
};

} // namespace collab::store
