// Builds the Debian package the way a release does (cpack -G DEB in this build tree),
// unpacks it and checks what a user gets: the CLI runs from it, dpkg knows its
// dependencies and licence, and the launcher, metainfo and icon are there and valid.
#include <QtTest>

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

namespace {

const QString kAppId = QStringLiteral("org.collabllm.Workbench");

struct Result {
  int code = -1;
  QString output;  // stdout and stderr together, for failure messages
};

Result run(const QString& program, const QStringList& arguments, int timeoutMs = 60'000) {
  QProcess process;
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.setWorkingDirectory(QStringLiteral(COLLAB_BINARY_DIR));
  process.start(program, arguments);
  const bool finished = process.waitForFinished(timeoutMs);
  if (!finished) {
    process.kill();
    process.waitForFinished();
  }
  Result result;
  result.output = QString::fromUtf8(process.readAll());
  if (finished && process.exitStatus() == QProcess::NormalExit) result.code = process.exitCode();
  else result.output.prepend(program + QStringLiteral(": did not finish: ") + process.errorString() + '\n');
  return result;
}

} // namespace

// QVERIFY2 returns from the function it is written in, so this stays a macro.
#define VERIFY_RUNS(program, ...)                                                  \
  do {                                                                             \
    const Result result_ = run(program, __VA_ARGS__);                              \
    QVERIFY2(result_.code == 0, qPrintable(QString(program) + ":\n" + result_.output)); \
  } while (false)

class TestDebPackage : public QObject {
  Q_OBJECT
  QTemporaryDir work_;
  QString deb_;
  QString root_;  // the package's files, unpacked

  QString usr(const QString& path) const { return root_ + QStringLiteral("/usr/") + path; }
  QString control(const char* field) const {
    return run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), deb_, QString::fromLatin1(field)}).output.trimmed();
  }

private slots:
  void initTestCase() {
    QVERIFY(work_.isValid());
    // The packaged GUI keeps settings and caches under these, not in the user's home.
    qputenv("XDG_RUNTIME_DIR", work_.path().toLocal8Bit());
    for (const char* name : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
      qputenv(name, work_.filePath(QString::fromLatin1(name)).toLocal8Bit());
    // -B puts cpack's staging tree and the .deb in the temporary directory, not the build tree.
    VERIFY_RUNS(QStringLiteral(COLLAB_CPACK_COMMAND),
                {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), work_.path()});
    const QStringList debs = QDir(work_.path()).entryList({QStringLiteral("*.deb")}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    deb_ = work_.filePath(debs.first());
    root_ = work_.filePath(QStringLiteral("root"));
    VERIFY_RUNS(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), deb_, root_});
  }

  void fileNameIsDebianStyle() {
    const QString name = QFileInfo(deb_).fileName();
    QVERIFY2(name.startsWith(QStringLiteral("collab-workbench_" COLLAB_VERSION "_")), qPrintable(name));
  }

  void cliRunsFromThePackage() {
    const Result result = run(usr(QStringLiteral("bin/collab")), {QStringLiteral("--version")});
    QCOMPARE(result.code, 0);
    QCOMPARE(result.output.trimmed(), QStringLiteral("collab " COLLAB_VERSION));
  }

  void guiStartsFromThePackage() {
    if (!COLLAB_WITH_UI) QSKIP("built without COLLAB_BUILD_UI");
    const QString gui = usr(QStringLiteral("bin/collab-workbench"));
    const Result version = run(gui, {QStringLiteral("--version")});
    QCOMPARE(version.code, 0);
    QCOMPARE(version.output.trimmed(), QStringLiteral("collab-workbench " COLLAB_VERSION));
    // A fresh project, painted offscreen to a file: the packaged GUI finds its Qt libraries
    // and plugins and gets as far as showing its window.
    const QString picture = work_.filePath(QStringLiteral("window.png"));
    VERIFY_RUNS(gui, {work_.filePath(QStringLiteral("fresh.collab")), QStringLiteral("--screenshot"), picture,
                      QStringLiteral("-platform"), QStringLiteral("offscreen")});
    QVERIFY(QFileInfo(picture).size() > 0);
  }

  void controlFields() {
    QCOMPARE(control("Package"), QStringLiteral("collab-workbench"));
    QCOMPARE(control("Version"), QStringLiteral(COLLAB_VERSION));
    QCOMPARE(control("Section"), QStringLiteral("science"));
    QVERIFY(!control("Maintainer").isEmpty());
    QVERIFY(!control("Description").isEmpty());
    // Computed by dpkg-shlibdeps from the binaries: at least the C library.
    const QString depends = control("Depends");
    QVERIFY2(depends.contains(QStringLiteral("libc6")), qPrintable(depends));
    if (COLLAB_WITH_UI) QVERIFY2(depends.contains(QStringLiteral("libqt6widgets6")), qPrintable(depends));
  }

  void licenceIsShipped() {
    QFile copyright(usr(QStringLiteral("share/doc/collab-workbench/copyright")));
    QVERIFY(copyright.open(QIODevice::ReadOnly));
    const QByteArray text = copyright.readAll();
    QVERIFY(text.contains("GNU GENERAL PUBLIC LICENSE"));
    QVERIFY(text.contains("Version 3"));
  }

  void desktopFilesComeWithTheGui() {
    const QStringList files = {usr(QStringLiteral("bin/collab-workbench")),
                               usr(QStringLiteral("share/applications/%1.desktop").arg(kAppId)),
                               usr(QStringLiteral("share/metainfo/%1.metainfo.xml").arg(kAppId)),
                               usr(QStringLiteral("share/icons/hicolor/scalable/apps/%1.svg").arg(kAppId))};
    // Without the GUI a launcher would point at nothing, so none of them may be there.
    for (const QString& file : files)
      QVERIFY2(QFileInfo::exists(file) == bool(COLLAB_WITH_UI), qPrintable(file));
  }

  void metadataValidates() {
    // The installed copies when the package has them, else the sources, so that CLI-only
    // builds still check the files.
    const QString source = QStringLiteral(COLLAB_SOURCE_DIR "/packaging/");
    const QString applications = COLLAB_WITH_UI ? usr(QStringLiteral("share/applications/")) : source;
    const QString metainfoDir = COLLAB_WITH_UI ? usr(QStringLiteral("share/metainfo/")) : source;
    const QString desktop = applications + kAppId + ".desktop";
    const QString metainfo = metainfoDir + kAppId + ".metainfo.xml";
    VERIFY_RUNS(QStringLiteral("desktop-file-validate"), {desktop});
    VERIFY_RUNS(QStringLiteral("appstreamcli"), {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo});
    // validate-tree also checks that the metainfo's launchable desktop file is in the tree.
    if (COLLAB_WITH_UI)
      VERIFY_RUNS(QStringLiteral("appstreamcli"),
                  {QStringLiteral("validate-tree"), QStringLiteral("--no-net"), root_});
  }
};

QTEST_GUILESS_MAIN(TestDebPackage)
#include "tst_deb_package.moc"
