#pragma once

#include "store/AnnotationRepository.h"
#include "store/NodeRepository.h"
#include "store/PersonaRepository.h"
#include "store/RunRepository.h"
#include "store/ScoreRepository.h"
#include "store/TaskRepository.h"
#include "store/TreeRepository.h"

#include <filesystem>
#include <memory>
#include <string>

namespace SQLite {
class Database;
}

namespace collab::store {

struct ProjectCounts {
  std::int64_t trees = 0, nodes = 0, scores = 0, tasks = 0, personas = 0, runs = 0, annotations = 0,
               preferences = 0;
};

// One `.collab` project: a SQLite database in WAL mode with foreign keys on, brought to
// the latest schema when opened. Opening never reads the conversations themselves, so a
// project of any size opens at once; the repositories read what is asked for.
class Project {
public:
  // Fails (ProjectError) if the file exists.
  static Project create(const std::filesystem::path& path, const std::string& name = "");
  // Fails (ProjectError) if the file is missing, is not a project, or is newer than this build.
  static Project open(const std::filesystem::path& path);
  static Project openOrCreate(const std::filesystem::path& path);

  Project(Project&&) noexcept;
  Project& operator=(Project&&) noexcept;
  ~Project();

  const std::filesystem::path& path() const { return path_; }
  SQLite::Database& database() { return *db_; }
  int schemaVersion();

  std::string name();
  std::string meta(const std::string& key, const std::string& fallback = "");
  void setMeta(const std::string& key, const std::string& value);

  TreeRepository& trees() { return *trees_; }
  NodeRepository& nodes() { return *nodes_; }
  ScoreRepository& scores() { return *scores_; }
  TaskRepository& tasks() { return *tasks_; }
  PersonaRepository& personas() { return *personas_; }
  RunRepository& runs() { return *runs_; }
  AnnotationRepository& annotations() { return *annotations_; }

  ProjectCounts counts();

private:
  Project(std::filesystem::path path, std::unique_ptr<SQLite::Database> db);

  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<TreeRepository> trees_;
  std::unique_ptr<NodeRepository> nodes_;
  std::unique_ptr<ScoreRepository> scores_;
  std::unique_ptr<TaskRepository> tasks_;
  std::unique_ptr<PersonaRepository> personas_;
  std::unique_ptr<RunRepository> runs_;
  std::unique_ptr<AnnotationRepository> annotations_;
};

} // namespace collab::store
