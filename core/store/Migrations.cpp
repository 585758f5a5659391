#include "store/Migrations.h"

#include "common/Error.h"
#include "store/Transaction.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace collab::store {

namespace {

#define NOW "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))"

// Version 1: every table of the project file.
const char* kSchemaV1 = R"sql(
CREATE TABLE schema_version (
  version     INTEGER NOT NULL PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at  TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE TABLE project_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE tasks (
  id         INTEGER PRIMARY KEY,
  family     TEXT NOT NULL,
  prompt     TEXT NOT NULL,
  goal       TEXT NOT NULL DEFAULT '',
  metadata   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  split      TEXT,
  created_at TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);

CREATE TABLE personas (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE TABLE persona_versions (
  id              INTEGER PRIMARY KEY,
  persona_id      INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
  version         INTEGER NOT NULL,
  description     TEXT NOT NULL DEFAULT '',
  traits          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(traits)),
  prompt_template TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL DEFAULT )sql" NOW R"sql(,
  UNIQUE (persona_id, version)
);

CREATE TABLE trees (
  id                 INTEGER PRIMARY KEY,
  title              TEXT NOT NULL DEFAULT '',
  source             TEXT NOT NULL DEFAULT '',
  external_id        TEXT,
  task_id            INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
  persona_version_id INTEGER REFERENCES persona_versions(id) ON DELETE SET NULL,
  metadata           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  created_at         TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE INDEX trees_by_external_id ON trees(source, external_id);

CREATE TABLE nodes (
  id                 INTEGER PRIMARY KEY,
  tree_id            INTEGER NOT NULL REFERENCES trees(id) ON DELETE CASCADE,
  parent_id          INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
  depth              INTEGER NOT NULL DEFAULT 0,
  role               TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content            TEXT NOT NULL,
  kind               TEXT NOT NULL DEFAULT 'turn' CHECK (kind IN ('turn', 'continuation')),
  sample_index       INTEGER,
  author             TEXT NOT NULL DEFAULT '',
  persona_version_id INTEGER REFERENCES persona_versions(id) ON DELETE SET NULL,
  token_count        INTEGER,
  gen_params         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(gen_params)),
  created_at         TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE INDEX nodes_by_tree ON nodes(tree_id, kind, depth);
CREATE INDEX nodes_by_parent ON nodes(parent_id, kind);

-- A score belongs to a tree, and to one of its nodes unless it scores the whole tree.
CREATE TABLE scores (
  id          INTEGER PRIMARY KEY,
  tree_id     INTEGER NOT NULL REFERENCES trees(id) ON DELETE CASCADE,
  node_id     INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  value       REAL NOT NULL,
  std         REAL,
  samples     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(samples)),
  rationale   TEXT NOT NULL DEFAULT '',
  config_hash TEXT NOT NULL DEFAULT '',
  config      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  created_at  TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE INDEX scores_by_tree ON scores(tree_id, kind);
CREATE INDEX scores_by_node ON scores(node_id, kind);

CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  method         TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'created'
                 CHECK (status IN ('created', 'running', 'finished', 'failed', 'stopped')),
  config         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  failure_reason TEXT NOT NULL DEFAULT '',
  started_at     TEXT NOT NULL DEFAULT )sql" NOW R"sql(,
  finished_at    TEXT
);
CREATE TABLE run_metrics (
  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key       TEXT NOT NULL,
  step      INTEGER NOT NULL,
  value     REAL NOT NULL,
  wall_time REAL NOT NULL,
  PRIMARY KEY (run_id, key, step)
) WITHOUT ROWID;
CREATE TABLE checkpoints (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step       INTEGER NOT NULL,
  path       TEXT NOT NULL,
  metrics    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metrics)),
  created_at TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);

CREATE TABLE annotations (
  id         INTEGER PRIMARY KEY,
  tree_id    INTEGER NOT NULL REFERENCES trees(id) ON DELETE CASCADE,
  node_id    INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
  annotator  TEXT NOT NULL,
  label      TEXT NOT NULL,
  value      TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(value)),
  created_at TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE INDEX annotations_by_tree ON annotations(tree_id);

CREATE TABLE preferences (
  id               INTEGER PRIMARY KEY,
  tree_id          INTEGER NOT NULL REFERENCES trees(id) ON DELETE CASCADE,
  chosen_node_id   INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  rejected_node_id INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  annotator        TEXT NOT NULL,
  source           TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE INDEX preferences_by_tree ON preferences(tree_id);
)sql";

// Version 2: full-text search over conversation turns. An external-content FTS5 index kept
// in step with `nodes` by triggers, and filled from the turns already in the project.
// Sampled continuations are left out: they hold about nine tenths of a CollabLLM
// dataset's text, are derived data rather than the conversation, and indexing them made
// imports several times slower.
const char* kSchemaV2 = R"sql(
CREATE VIRTUAL TABLE nodes_fts USING fts5(content, content='nodes', content_rowid='id');
CREATE TRIGGER nodes_fts_insert AFTER INSERT ON nodes WHEN new.kind = 'turn' BEGIN
  INSERT INTO nodes_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER nodes_fts_delete AFTER DELETE ON nodes WHEN old.kind = 'turn' BEGIN
  INSERT INTO nodes_fts(nodes_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER nodes_fts_update AFTER UPDATE OF content ON nodes WHEN new.kind = 'turn' BEGIN
  INSERT INTO nodes_fts(nodes_fts, rowid, content) VALUES ('delete', old.id, old.content);
  INSERT INTO nodes_fts(rowid, content) VALUES (new.id, new.content);
END;
INSERT INTO nodes_fts(rowid, content) SELECT id, content FROM nodes WHERE kind = 'turn';
)sql";

// Version 3: what annotation needs beyond the labels themselves. The label schema (the
// questions annotators are asked) is kept as versions, newest current, so an old
// annotation can still be read against the schema it was given under; notes are per
// annotator and item, apart from the labels; and annotations are looked up by node (the
// annotation queue asks "has this turn been annotated by me?" for every turn).
const char* kSchemaV3 = R"sql(
CREATE TABLE label_schemas (
  id         INTEGER PRIMARY KEY,
  schema     TEXT NOT NULL CHECK (json_valid(schema)),
  created_at TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE TABLE annotation_notes (
  id         INTEGER PRIMARY KEY,
  tree_id    INTEGER NOT NULL REFERENCES trees(id) ON DELETE CASCADE,
  node_id    INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
  annotator  TEXT NOT NULL,
  note       TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT )sql" NOW R"sql(
);
CREATE INDEX annotation_notes_by_item ON annotation_notes(tree_id, node_id, annotator);
CREATE INDEX annotations_by_node ON annotations(node_id, annotator, label);
)sql";

#undef NOW

} // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> steps = {
      {1, "project tables", kSchemaV1},
      {2, "full-text search over conversation turns", kSchemaV2},
      {3, "label schemas, annotation notes, annotations by node", kSchemaV3},
  };
  return steps;
}

int latestSchemaVersion() { return migrations().back().version; }

int schemaVersion(SQLite::Database& db) {
  if (!db.tableExists("schema_version")) return 0;
  return db.execAndGet("SELECT coalesce(max(version), 0) FROM schema_version").getInt();
}

void migrate(SQLite::Database& db, int target) {
  const int from = schemaVersion(db);
  if (from >= target) return;
  Transaction transaction(db);
  for (const Migration& step : migrations()) {
    if (step.version <= from || step.version > target) continue;
    db.exec(step.sql);
    SQLite::Statement record(db, "INSERT INTO schema_version(version, description) VALUES (?, ?)");
    record.bind(1, step.version);
    record.bind(2, step.description);
    record.exec();
  }
  transaction.commit();
}

} // namespace collab::store
