#include "common/Error.h"
#include "store/Migrations.h"
#include "store/Project.h"
#include "TestHelpers.h"

#include <SQLiteCpp/Database.h>
#include <QtTest>

using namespace collab;
using namespace collab::store;
using collab::test::pathIn;

namespace {

// A project as version 1 of the workbench wrote it: the tables, no full-text index.
std::filesystem::path makeVersion1Project(const QTemporaryDir& dir, const char* name) {
  const auto path = pathIn(dir, name);
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  migrate(db, 1);
  db.exec("INSERT INTO trees(id, title) VALUES (1, 'old tree')");
  db.exec("INSERT INTO nodes(id, tree_id, role, content) VALUES (1, 1, 'user', 'an old question about tides')");
  db.exec("INSERT INTO nodes(id, tree_id, parent_id, depth, role, content)"
          " VALUES (2, 1, 1, 1, 'assistant', 'an old answer')");
  return path;
}

} // namespace

class TestMigrations : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

private slots:
  void versionsAreConsecutive() {
    int expected = 1;
    for (const Migration& step : migrations()) QCOMPARE(step.version, expected++);
    QCOMPARE(latestSchemaVersion(), expected - 1);
  }

  void openingAnOlderProjectMigratesItForward() {
    const auto path = makeVersion1Project(dir_, "v1.collab");
    {
      SQLite::Database db(path.string());
      QCOMPARE(schemaVersion(db), 1);
      QVERIFY(!db.tableExists("nodes_fts"));
    }
    Project project = Project::open(path);
    QCOMPARE(project.schemaVersion(), latestSchemaVersion());
    // Data kept, and the new index covers the turns written before it existed.
    QCOMPARE(project.nodes().count(), std::int64_t(2));
    const auto hits = project.nodes().search("tides");
    QCOMPARE(hits.size(), std::size_t(1));
    QCOMPARE(hits[0].nodeId, conversation::NodeId(1));
    // ... and the turns written after.
    NewNode node;
    node.treeId = 1;
    node.parentId = 2;
    node.content = "a new follow-up about moons";
    project.nodes().add(node);
    QCOMPARE(project.nodes().search("moons").size(), std::size_t(1));
  }

  void version3AddsLabelSchemasAndNotesKeepingAnnotations() {
    const auto path = pathIn(dir_, "v2.collab");
    {
      SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      migrate(db, 2);
      db.exec("INSERT INTO trees(id, title) VALUES (1, 'a tree')");
      db.exec("INSERT INTO nodes(id, tree_id, role, content) VALUES (1, 1, 'assistant', 'an answer')");
      db.exec("INSERT INTO annotations(tree_id, node_id, annotator, label, value) VALUES (1, 1, 'ann', 'helpful', '\"yes\"')");
      QVERIFY(!db.tableExists("label_schemas"));
    }
    Project project = Project::open(path);
    QCOMPARE(project.schemaVersion(), 3);
    QVERIFY(project.database().tableExists("label_schemas"));
    QVERIFY(project.database().tableExists("annotation_notes"));
    QCOMPARE(project.annotations().count(), std::int64_t(1));
    QCOMPARE(project.annotations().find(1, 1, "ann", "helpful")->valueJson, std::string("\"yes\""));
    QVERIFY(!project.annotations().labelSchemaJson());
    project.annotations().addLabelSchemaVersion("{\"labels\": []}");
    project.annotations().setNote({1, 1, "ann", "a note", ""});
    QCOMPARE(project.annotations().note(1, 1, "ann")->text, std::string("a note"));
    QCOMPARE(*project.annotations().labelSchemaJson(), std::string("{\"labels\": []}"));
  }

  void aFailedMigrationLeavesTheFileAsItWas() {
    const auto path = makeVersion1Project(dir_, "blocked.collab");
    {
      // Something in the way of step 2: its CREATE VIRTUAL TABLE will fail.
      SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
      db.exec("CREATE TABLE nodes_fts(x)");
    }
    QVERIFY_THROWS_EXCEPTION(ProjectError, Project::open(path));
    SQLite::Database db(path.string());
    QCOMPARE(schemaVersion(db), 1);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'").getInt(), 0);
    QCOMPARE(db.execAndGet("SELECT count(*) FROM nodes").getInt(), 2);
  }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
