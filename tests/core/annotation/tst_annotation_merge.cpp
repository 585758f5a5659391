// Merging the annotations of project copies: added, deduplicated, conflicting, and
// mismatched items; all or nothing; the copy only read.

#include "AnnotatedProject.h"
#include "TestHelpers.h"
#include "annotation/AnnotationMerge.h"
#include "annotation/AnnotatorSession.h"
#include "annotation/LabelSchemaStore.h"
#include "common/Error.h"
#include "store/Migrations.h"

#include <SQLiteCpp/Database.h>
#include <QtTest>

using namespace collab;
using namespace collab::annotation;
using collab::test::pathIn;
using collab::test::qs;
using conversation::NodeId;


// An answer as its JSON text, so that QCOMPARE prints both sides when they differ.
inline QString shown(const collab::annotation::Json& value) { return QString::fromStdString(value.dump()); }
inline QString shown(const std::optional<collab::annotation::Json>& value) {
  return value ? shown(*value) : QStringLiteral("(no answer)");
}

class TestAnnotationMerge : public QObject {
  Q_OBJECT
  std::unique_ptr<QTemporaryDir> dir_;
  std::filesystem::path original_, copy_;
  NodeId leaves_ = 0, playful_ = 0, question_ = 0, tiles_ = 0;

  // A copy as an annotator receives it: the file itself, copied while closed.
  std::filesystem::path copyOf(const char* name) {
    const auto path = pathIn(*dir_, name);
    std::filesystem::copy_file(original_, path);
    return path;
  }

private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    original_ = pathIn(*dir_, "project.collab");
    {
      auto project = store::Project::create(original_);
      test::importAnnotationRows(project);
      leaves_ = test::nodeWithText(project, 1, "Leaves fall.");
      playful_ = test::nodeWithText(project, 1, "Playful or sad?");
      question_ = test::nodeWithText(project, 1, "Write a haiku");
      tiles_ = test::nodeWithText(project, 2, "About 134.");
      AnnotatorSession(project, "lead").set(AnnotationItem::turn(1, leaves_), "helpful", "no");
    } // closed: the WAL is checkpointed into the file, so a file copy is the whole project
    copy_ = copyOf("copy.collab");
  }

  void addsNewAnswersAndSkipsDuplicates() {
    {
      auto copy = store::Project::open(copy_);
      AnnotatorSession bob(copy, "bob");
      bob.set(AnnotationItem::turn(1, leaves_), "helpful", "partly");
      bob.set(AnnotationItem::turn(1, question_), "candidates", Json({playful_, leaves_}));
      bob.set(AnnotationItem::conversation(2), "outcome", "met");
      bob.setNote(AnnotationItem::turn(2, tiles_), "arithmetic checks out");
    }
    auto project = store::Project::open(original_);
    MergeReport report = mergeAnnotations(project, copy_);
    QCOMPARE(report.added, std::size_t(3));
    QCOMPARE(report.notesAdded, std::size_t(1));
    QCOMPARE(report.duplicates, std::size_t(1)); // lead's own answer, in both files
    QVERIFY(report.conflicts.empty());
    QVERIFY(report.mismatches.empty());
    QCOMPARE(project.annotations().count(), std::int64_t(4));
    AnnotatorSession bob(project, "bob");
    QCOMPARE(shown(bob.value(AnnotationItem::turn(1, leaves_), "helpful")), shown(Json("partly")));
    QCOMPARE(bob.note(AnnotationItem::turn(2, tiles_)), std::string("arithmetic checks out"));

    // Merging the same copy again adds nothing.
    report = mergeAnnotations(project, copy_);
    QCOMPARE(report.added, std::size_t(0));
    QCOMPARE(report.notesAdded, std::size_t(0));
    QCOMPARE(report.duplicates, std::size_t(5));
    QCOMPARE(project.annotations().count(), std::int64_t(4));
  }

  void reportsConflictsAndKeepsThisProjectsAnswer() {
    {
      auto copy = store::Project::open(copy_);
      AnnotatorSession(copy, "lead").set(AnnotationItem::turn(1, leaves_), "helpful", "yes");
    }
    auto project = store::Project::open(original_);
    const MergeReport report = mergeAnnotations(project, copy_);
    QCOMPARE(report.conflicts.size(), std::size_t(1));
    const MergeConflict& conflict = report.conflicts[0];
    QCOMPARE(conflict.item, AnnotationItem::turn(1, leaves_));
    QCOMPARE(conflict.label, std::string("helpful"));
    QCOMPARE(conflict.annotator, std::string("lead"));
    QCOMPARE(conflict.ours, std::string("\"no\""));
    QCOMPARE(conflict.theirs, std::string("\"yes\""));
    QCOMPARE(shown(AnnotatorSession(project, "lead").value(AnnotationItem::turn(1, leaves_), "helpful")), shown(Json("no")));
  }

  void leavesOutItemsThatDifferBetweenTheFiles() {
    {
      auto copy = store::Project::open(copy_);
      AnnotatorSession bob(copy, "bob");
      bob.set(AnnotationItem::turn(1, playful_), "helpful", "yes");
      bob.set(AnnotationItem::turn(2, tiles_), "helpful", "yes");
      copy.nodes().setContent(tiles_, "About 200."); // edited in the copy: no longer the same turn
    }
    auto project = store::Project::open(original_);
    const MergeReport report = mergeAnnotations(project, copy_);
    QCOMPARE(report.added, std::size_t(1));
    QCOMPARE(report.mismatches.size(), std::size_t(1));
    QCOMPARE(qs(report.mismatches[0]),
             QString("tree 2, turn %1: the turn is not here, or its text differs").arg(tiles_));
  }

  void adoptsTheCopysSchemaOnlyWhenThisProjectHasNone() {
    LabelSchema schema;
    schema.labels = {{"fluent", LabelKind::Label, LabelLevel::Turn, "", {{"yes", "Yes", "F"}, {"no", "No", "G"}}}};
    {
      auto copy = store::Project::open(copy_);
      saveLabelSchema(copy, schema);
    }
    auto project = store::Project::open(original_);
    MergeReport report = mergeAnnotations(project, copy_);
    QVERIFY(report.schemaAdopted);
    QCOMPARE(currentLabelSchema(project), schema);

    LabelSchema other = schema;
    other.labels[0].name = "fluency";
    saveLabelSchema(project, other);
    report = mergeAnnotations(project, copy_);
    QVERIFY(!report.schemaAdopted);
    QVERIFY(report.schemaDiffers);
    QCOMPARE(currentLabelSchema(project), other);
  }

  void aBadCopyChangesNothing() {
    auto project = store::Project::open(original_);
    QVERIFY_THROWS_EXCEPTION(ProjectError, mergeAnnotations(project, pathIn(*dir_, "missing.collab")));
    const auto notAProject = test::writeFile(*dir_, "notes.txt", "just some text\n");
    QVERIFY_THROWS_EXCEPTION(ProjectError, mergeAnnotations(project, notAProject));
    QVERIFY_THROWS_EXCEPTION(Error, mergeAnnotations(project, original_));
    {
      SQLite::Database newer(copy_.string(), SQLite::OPEN_READWRITE);
      newer.exec("INSERT INTO schema_version(version, description) VALUES (999, 'from the future')");
    }
    try {
      mergeAnnotations(project, copy_);
      QFAIL("merged");
    } catch (const ProjectError& e) {
      QVERIFY2(qs(e.what()).contains("written by a newer workbench (schema 999"), e.what());
    }
    QCOMPARE(project.annotations().count(), std::int64_t(1));
  }

  void aFailureHalfwayRollsEverythingBack() {
    {
      auto copy = store::Project::open(copy_);
      AnnotatorSession bob(copy, "bob");
      bob.set(AnnotationItem::turn(1, playful_), "helpful", "yes");
      bob.set(AnnotationItem::turn(2, tiles_), "helpful", "yes");
      // A value the project's CHECK (json_valid) refuses, written behind the session's back:
      // the merge fails on it after having added bob's first answer.
      copy.database().exec("PRAGMA ignore_check_constraints = ON");
      copy.database().exec("UPDATE annotations SET value = 'not json' WHERE node_id = " + std::to_string(tiles_));
    }
    auto project = store::Project::open(original_);
    QVERIFY_THROWS_EXCEPTION(std::exception, mergeAnnotations(project, copy_));
    QCOMPARE(project.annotations().count(), std::int64_t(1));
  }
};

QTEST_GUILESS_MAIN(TestAnnotationMerge)
#include "tst_annotation_merge.moc"
