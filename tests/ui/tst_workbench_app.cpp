// The collab-workbench executable as a user runs it: command line, exit codes, messages
// and --screenshot. Each case starts the real binary in a child process.

#include "SampleProject.h"

#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QTest>

using namespace collab;

namespace {

struct Run {
  int exitCode = -1;
  QString out, err;
};

} // namespace

class WorkbenchAppTest : public QObject {
  Q_OBJECT

private slots:
  void init();

  void screenshotSavesTheWindowAsPng();
  void panelScreenshotsShowEachPanel();
  void panelScreenshotsPictureEachPanel();
  void withoutProjectOpensTheDemoProject();
  void createsAProjectThatDoesNotExistYet();
  void aFileThatIsNotAProjectExitsWith4();
  void anUnwritableScreenshotFails();
  void withoutDisplayExplainsHowToRun();
  void versionAndHelpNeedNoDisplay();

private:
  QProcessEnvironment offscreen() const;
  Run run(const QStringList& arguments, const QProcessEnvironment& environment);

  std::unique_ptr<QTemporaryDir> dir_;
};

void WorkbenchAppTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  QVERIFY(dir_->isValid());
}

QProcessEnvironment WorkbenchAppTest::offscreen() const {
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  environment.insert("QT_QPA_PLATFORM", "offscreen");
  // The demo project goes to a temporary data folder, never to the user's.
  environment.insert("XDG_DATA_HOME", dir_->filePath("data"));
  environment.insert("XDG_CONFIG_HOME", dir_->filePath("config")); // recent projects, window layout
  return environment;
}

Run WorkbenchAppTest::run(const QStringList& arguments, const QProcessEnvironment& environment) {
  QProcess process;
  process.setProcessEnvironment(environment);
  process.start(QStringLiteral(COLLAB_WORKBENCH_BIN), arguments);
  Run result;
  if (!process.waitForStarted(10000) || !process.waitForFinished(60000)) {
    process.kill();
    process.waitForFinished();
    return result;
  }
  result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
  result.out = QString::fromUtf8(process.readAllStandardOutput());
  result.err = QString::fromUtf8(process.readAllStandardError());
  return result;
}

void WorkbenchAppTest::screenshotSavesTheWindowAsPng() {
  const QString project = dir_->filePath("sample.collab");
  test::makeProject(project, test::kSampleRows).reset();
  const QString png = dir_->filePath("window.png");
  const Run result = run({project, "--screenshot", png}, offscreen());
  QVERIFY2(result.exitCode == 0, qPrintable(result.err));

  QImage image(png);
  QVERIFY(!image.isNull());
  QCOMPARE(image.size(), QSize(1280, 800));
  // A window with text in it, not a blank or single-colour picture.
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 4)
    for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
  QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
}

void WorkbenchAppTest::panelScreenshotsShowEachPanel() {
  const QString project = dir_->filePath("sample.collab");
  test::makeProject(project, test::kSampleRows).reset();
  const QList<QPair<QString, QSize>> panels = {{"annotation", QSize(1280, 800)}, {"personas", QSize(1280, 800)},
                                               {"agreement", QSize(960, 600)}, {"label-schema", QSize(900, 560)}};
  for (const auto& [panel, size] : panels) {
    const QString png = dir_->filePath(panel + ".png");
    const Run result = run({project, "--screenshot", png, "--panel", panel}, offscreen());
    QVERIFY2(result.exitCode == 0, qPrintable(panel + ": " + result.err));
    const QImage image(png);
    QCOMPARE(image.size(), size);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4)
      for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(panel));
  }
  const Run unknown = run({project, "--screenshot", dir_->filePath("x.png"), "--panel", "nonsense"}, offscreen());
  QCOMPARE(unknown.exitCode, 1);
  QVERIFY2(unknown.err.contains("--panel takes one of annotation, personas, agreement, label-schema"), qPrintable(unknown.err));
}

void WorkbenchAppTest::panelScreenshotsPictureEachPanel() {
  const QString project = dir_->filePath("sample.collab");
  test::makeProject(project, test::kSampleRows).reset();
  const QString folder = dir_->filePath("panels");
  const Run result = run({project, "--screenshot-panels", folder}, offscreen());
  QVERIFY2(result.exitCode == 0, qPrintable(result.err));
  for (const char* name : {"window.png", "conversations.png", "tree.png", "tree-far.png", "reader.png", "compare.png",
                           "turn.png", "reward.png", "window-dark.png"}) {
    const QImage image(folder + "/" + name);
    QVERIFY2(!image.isNull(), name);
    QVERIFY2(image.width() > 100 && image.height() > 100, name);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
      for (int x = 0; x < image.width(); x += 3) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 8, name);
  }
  QCOMPARE(QImage(folder + "/window.png").size(), QSize(1280, 800));
}

void WorkbenchAppTest::withoutProjectOpensTheDemoProject() {
  const QString png = dir_->filePath("demo.png");
  const Run result = run({"--screenshot", png}, offscreen());
  QVERIFY2(result.exitCode == 0, qPrintable(result.err));
  QVERIFY(QFile::exists(png));
  const QString demo = dir_->filePath("data/CollabLLM/collab-workbench/demo.collab");
  QVERIFY2(QFile::exists(demo), qPrintable(demo));
  QVERIFY(store::Project::open(test::fsPath(demo)).trees().count() > 0);
}

void WorkbenchAppTest::createsAProjectThatDoesNotExistYet() {
  const QString project = dir_->filePath("new.collab");
  const Run result = run({project, "--screenshot", dir_->filePath("new.png")}, offscreen());
  QVERIFY2(result.exitCode == 0, qPrintable(result.err));
  QCOMPARE(store::Project::open(test::fsPath(project)).trees().count(), 0);
}

void WorkbenchAppTest::aFileThatIsNotAProjectExitsWith4() {
  const QString notes = dir_->filePath("notes.txt");
  QFile file(notes);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("not a database, just text that is long enough to be read as a header\n");
  file.close();
  Run result = run({notes, "--screenshot", dir_->filePath("x.png")}, offscreen());
  QCOMPARE(result.exitCode, 4);
  QVERIFY2(result.err.contains("notes.txt"), qPrintable(result.err));
  QVERIFY(!QFile::exists(dir_->filePath("x.png")));

  result = run({dir_->filePath("no/such/folder/p.collab"), "--screenshot", dir_->filePath("x.png")}, offscreen());
  QCOMPARE(result.exitCode, 4);
}

void WorkbenchAppTest::anUnwritableScreenshotFails() {
  const QString project = dir_->filePath("sample.collab");
  test::makeProject(project, test::kSampleRows).reset();
  const Run result = run({project, "--screenshot", dir_->filePath("no/such/folder/out.png")}, offscreen());
  QVERIFY(result.exitCode != 0);
  QVERIFY2(result.err.contains("out.png"), qPrintable(result.err));
}

void WorkbenchAppTest::withoutDisplayExplainsHowToRun() {
  QProcessEnvironment environment = offscreen();
  for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) environment.remove(name);
  const Run result = run({"--screenshot", dir_->filePath("x.png")}, environment);
  QCOMPARE(result.exitCode, 2);
  QVERIFY2(result.err.contains("QT_QPA_PLATFORM=offscreen collab-workbench --screenshot"), qPrintable(result.err));
  QVERIFY2(result.err.contains("xvfb-run -a collab-workbench"), qPrintable(result.err));
  // It stopped before doing anything: no demo project was made.
  QVERIFY(!QFile::exists(dir_->filePath("data/CollabLLM/collab-workbench/demo.collab")));
}

void WorkbenchAppTest::versionAndHelpNeedNoDisplay() {
  QProcessEnvironment environment = offscreen();
  for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) environment.remove(name);
  Run result = run({"--version"}, environment);
  QCOMPARE(result.exitCode, 0);
  QCOMPARE(result.out.trimmed(), QStringLiteral("collab-workbench " COLLAB_VERSION));

  result = run({"--help"}, environment);
  QCOMPARE(result.exitCode, 0);
  QVERIFY(result.out.contains("--screenshot <FILE>"));
  QVERIFY(result.out.contains("PROJECT"));
  QVERIFY(result.out.contains("Exit codes"));
}

QTEST_MAIN(WorkbenchAppTest)
#include "tst_workbench_app.moc"
