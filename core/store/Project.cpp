#include "store/Project.h"

#include "common/Error.h"
#include "store/Migrations.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

namespace {

constexpr const char* kApplicationId = "collab-workbench";

std::unique_ptr<SQLite::Database> openDatabase(const std::filesystem::path& path, bool create) {
  const int flags = SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0);
  try {
    auto db = std::make_unique<SQLite::Database>(path.string(), flags, 5000);
    // Reading the schema is the first access that fails on a file that is not SQLite.
    db->exec("PRAGMA foreign_keys = ON");
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = NORMAL");
    // 64 MiB of page cache (default 2 MiB): a large import then spills to the WAL far less.
    db->exec("PRAGMA cache_size = -65536");
    db->execAndGet("SELECT count(*) FROM sqlite_schema");
    return db;
  } catch (const SQLite::Exception& e) {
    throw ProjectError(path.string() + ": cannot open as a CollabLLM Workbench project (" + e.what() + ")");
  }
}

// Refuses files that are SQLite but not ours, and projects written by a newer build.
void checkIsProject(SQLite::Database& db, const std::filesystem::path& path) {
  const int version = schemaVersion(db);
  if (version == 0) {
    throw ProjectError(path.string() + ": not a CollabLLM Workbench project (no schema_version table;"
                                       " expected a file made by `collab init`)");
  }
  if (version > latestSchemaVersion()) {
    throw ProjectError(path.string() + ": project schema version " + std::to_string(version) +
                       " is newer than this build understands (" + std::to_string(latestSchemaVersion()) +
                       "); update the workbench");
  }
}

} // namespace

Project::Project(std::filesystem::path path, std::unique_ptr<SQLite::Database> db)
    : path_(std::move(path)), db_(std::move(db)), trees_(std::make_unique<TreeRepository>(*db_)),
      nodes_(std::make_unique<NodeRepository>(*db_)), scores_(std::make_unique<ScoreRepository>(*db_)),
      tasks_(std::make_unique<TaskRepository>(*db_)), personas_(std::make_unique<PersonaRepository>(*db_)),
      runs_(std::make_unique<RunRepository>(*db_)), annotations_(std::make_unique<AnnotationRepository>(*db_)) {}

Project::Project(Project&&) noexcept = default;
Project& Project::operator=(Project&&) noexcept = default;
Project::~Project() = default;

Project Project::create(const std::filesystem::path& path, const std::string& name) {
  if (std::filesystem::exists(path))
    throw ProjectError(path.string() + ": already exists; open it, or choose another file name");
  auto db = openDatabase(path, true);
  try {
    migrate(*db, latestSchemaVersion());
    Project project(path, std::move(db));
    project.setMeta("application", kApplicationId);
    project.setMeta("name", name.empty() ? path.stem().string() : name);
    return project;
  } catch (const SQLite::Exception& e) {
    db.reset();
    std::filesystem::remove(path);
    throw ProjectError(path.string() + ": could not create the project (" + e.what() + ")");
  }
}

Project Project::open(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path))
    throw ProjectError(path.string() + ": no such project file (create one with `collab init`)");
  auto db = openDatabase(path, false);
  try {
    checkIsProject(*db, path);
    migrate(*db, latestSchemaVersion());
  } catch (const SQLite::Exception& e) {
    throw ProjectError(path.string() + ": project file is damaged (" + e.what() + ")");
  }
  return Project(path, std::move(db));
}

Project Project::openOrCreate(const std::filesystem::path& path) {
  return std::filesystem::exists(path) ? open(path) : create(path);
}

int Project::schemaVersion() { return store::schemaVersion(*db_); }

std::string Project::name() { return meta("name", path_.stem().string()); }

std::string Project::meta(const std::string& key, const std::string& fallback) {
  SQLite::Statement query(*db_, "SELECT value FROM project_meta WHERE key = ?");
  query.bind(1, key);
  return query.executeStep() ? query.getColumn(0).getString() : fallback;
}

void Project::setMeta(const std::string& key, const std::string& value) {
  SQLite::Statement upsert(*db_, "INSERT INTO project_meta(key, value) VALUES (?, ?)"
                                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  upsert.bind(1, key);
  upsert.bind(2, value);
  upsert.exec();
}

ProjectCounts Project::counts() {
  ProjectCounts c;
  c.trees = trees_->count();
  c.nodes = nodes_->count();
  c.scores = scores_->count();
  c.tasks = tasks_->count();
  c.personas = personas_->count();
  c.runs = runs_->count();
  c.annotations = annotations_->count();
  c.preferences = annotations_->preferenceCount();
  return c;
}

} // namespace collab::store
