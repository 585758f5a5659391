#include "store/PersonaRepository.h"

#include "store/Transaction.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

namespace {

constexpr const char* kVersionSelect =
    "SELECT v.id, v.persona_id, p.name, v.version, v.description, v.traits, v.prompt_template, v.created_at"
    " FROM persona_versions v JOIN personas p ON p.id = v.persona_id ";

PersonaVersion readVersion(SQLite::Statement& row) {
  PersonaVersion v;
  v.id = row.getColumn(0).getInt64();
  v.personaId = row.getColumn(1).getInt64();
  v.name = row.getColumn(2).getString();
  v.version = row.getColumn(3).getInt();
  v.description = row.getColumn(4).getString();
  v.traitsJson = row.getColumn(5).getString();
  v.promptTemplate = row.getColumn(6).getString();
  v.createdAt = row.getColumn(7).getString();
  return v;
}

} // namespace

PersonaVersion PersonaRepository::addVersion(PersonaVersion version) {
  Transaction transaction(db_);
  SQLite::Statement upsert(db_, "INSERT INTO personas(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
  upsert.bind(1, version.name);
  upsert.exec();
  SQLite::Statement persona(db_, "SELECT id, (SELECT coalesce(max(version), 0) + 1 FROM persona_versions"
                                 " WHERE persona_id = personas.id) FROM personas WHERE name = ?");
  persona.bind(1, version.name);
  persona.executeStep();
  version.personaId = persona.getColumn(0).getInt64();
  version.version = persona.getColumn(1).getInt();

  SQLite::Statement insert(db_, "INSERT INTO persona_versions(persona_id, version, description, traits,"
                                " prompt_template) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, version.personaId);
  insert.bind(2, version.version);
  insert.bind(3, version.description);
  insert.bind(4, version.traitsJson);
  insert.bind(5, version.promptTemplate);
  insert.exec();
  version.id = db_.getLastInsertRowid();
  transaction.commit();
  return *findVersion(version.id);
}

std::optional<PersonaVersion> PersonaRepository::latest(const std::string& name) {
  SQLite::Statement query(db_, std::string(kVersionSelect) + "WHERE p.name = ? ORDER BY v.version DESC LIMIT 1");
  query.bind(1, name);
  if (!query.executeStep()) return std::nullopt;
  return readVersion(query);
}

std::optional<PersonaVersion> PersonaRepository::findVersion(std::int64_t versionId) {
  SQLite::Statement query(db_, std::string(kVersionSelect) + "WHERE v.id = ?");
  query.bind(1, versionId);
  if (!query.executeStep()) return std::nullopt;
  return readVersion(query);
}

std::vector<PersonaVersion> PersonaRepository::history(const std::string& name) {
  SQLite::Statement query(db_, std::string(kVersionSelect) + "WHERE p.name = ? ORDER BY v.version");
  query.bind(1, name);
  std::vector<PersonaVersion> versions;
  while (query.executeStep()) versions.push_back(readVersion(query));
  return versions;
}

std::vector<std::string> PersonaRepository::names() {
  SQLite::Statement query(db_, "SELECT name FROM personas ORDER BY name");
  std::vector<std::string> result;
  while (query.executeStep()) result.push_back(query.getColumn(0).getString());
  return result;
}

std::int64_t PersonaRepository::count() { return db_.execAndGet("SELECT count(*) FROM personas").getInt64(); }

} // namespace collab::store
