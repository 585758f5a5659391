// DemoProject: the project made from the rows embedded in the binary.

#include "DemoProject.h"

#include "common/Error.h"

#include <QFile>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <QJsonDocument>
#include <QJsonObject>

using namespace collab;
using collab::ui::DemoProject;

class DemoProjectTest : public QObject {
  Q_OBJECT

private slots:
  void initTestCase();
  void embedsTheDemoRows();
  void livesInTheAppDataFolder();
  void isCreatedOnceThenOpened();
  void refusesToOverwriteAFile();

private:
  int conversationsInResource();

  QTemporaryDir dataHome_;
};

void DemoProjectTest::initTestCase() {
  QVERIFY(dataHome_.isValid());
  // Keeps the test away from the real user's data folder.
  qputenv("XDG_DATA_HOME", dataHome_.path().toUtf8());
}

int DemoProjectTest::conversationsInResource() {
  QFile rows(QString::fromLatin1(DemoProject::kResource));
  if (!rows.open(QIODevice::ReadOnly)) return -1;
  QSet<QString> conversations;
  for (const QByteArray& line : rows.readAll().split('\n'))
    if (!line.trimmed().isEmpty()) conversations.insert(QJsonDocument::fromJson(line).object()["conv_id"].toString());
  return static_cast<int>(conversations.size());
}

void DemoProjectTest::embedsTheDemoRows() {
  // The resource is registered by the library itself (the first DemoProject call).
  QTemporaryDir dir;
  DemoProject::create(dir.filePath("first.collab"));
  QVERIFY2(conversationsInResource() > 0, "resources/demo/demo-collabllm.jsonl is missing or empty");
}

void DemoProjectTest::livesInTheAppDataFolder() {
  QCOMPARE(DemoProject::path(),
           QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/demo.collab");
  QVERIFY(DemoProject::path().startsWith(dataHome_.path()));
}

void DemoProjectTest::isCreatedOnceThenOpened() {
  QVERIFY(!QFile::exists(DemoProject::path()));
  {
    store::Project demo = DemoProject::openOrCreate();
    QVERIFY(QFile::exists(DemoProject::path()));
    // The shipped conversations, plus 16 simulated ones: 4 documents and 4 math tasks
    // for each of two personas, every candidate scored by MR.
    QCOMPARE(demo.trees().count(), conversationsInResource() + 16);
    store::TreeQuery simulated;
    simulated.source = "simulate:math";
    simulated.limit = 100;
    const auto math = demo.trees().list(simulated);
    QCOMPARE(math.size(), std::size_t(8));
    QVERIFY(math.front().bestMr.has_value());
    QCOMPARE(demo.counts().personas, std::int64_t(2)); // the two who played the users, as versions
    QCOMPARE(demo.name(), "Demo");
    demo.setMeta("touched", "yes");
  }
  // The second time the same file is opened, not imported again.
  store::Project again = DemoProject::openOrCreate();
  QCOMPARE(again.meta("touched"), "yes");
  QCOMPARE(again.trees().count(), conversationsInResource() + 16);
}

void DemoProjectTest::refusesToOverwriteAFile() {
  QTemporaryDir dir;
  const QString path = dir.filePath("taken.collab");
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("mine");
  file.close();
  QVERIFY_THROWS_EXCEPTION(ProjectError, DemoProject::create(path));
  QVERIFY(file.open(QIODevice::ReadOnly));
  QCOMPARE(file.readAll(), "mine");
}

QTEST_MAIN(DemoProjectTest)
#include "tst_demo_project.moc"
