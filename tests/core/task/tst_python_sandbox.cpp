#include "common/Error.h"
#include "task/PythonSandbox.h"

#include <QtTest>

#include <chrono>

using collab::task::runPythonSandboxed;
using collab::task::SandboxLimits;

class TestPythonSandbox : public QObject {
  Q_OBJECT
private slots:
  void runsAProgramWithItsFiles() {
    const auto result = runPythonSandboxed("print(open('data.txt').read().upper())\nimport sys\nsys.exit(3)\n",
                                           {{"data.txt", "hello"}});
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(QString::fromStdString(result.out), QString("HELLO\n"));
    QVERIFY(!result.timedOut);
  }

  void hasNoNetwork() {
    const auto result = runPythonSandboxed(
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=2)\n"
        "    print('connected')\n"
        "except OSError as e:\n"
        "    print('blocked', e.errno)\n");
    QVERIFY2(QString::fromStdString(result.out).startsWith("blocked"), result.out.c_str());
  }

  void seesNoEnvironmentOfTheParent() {
    qputenv("COLLAB_SECRET_TOKEN", "do-not-leak");
    const auto result = runPythonSandboxed("import os\nprint(sorted(os.environ))\n");
    QVERIFY(!QString::fromStdString(result.out).contains("COLLAB_SECRET_TOKEN"));
    QVERIFY(QString::fromStdString(result.out).contains("HOME"));
  }

  void timeoutKillsTheWholeProcessGroup() {
    SandboxLimits limits;
    limits.wallSeconds = 1.0;
    const auto start = std::chrono::steady_clock::now();
    // A child that would outlive its parent, then a busy parent.
    const auto result = runPythonSandboxed(
        "import subprocess\nchild = subprocess.Popen(['/bin/sleep', '30'])\nprint(child.pid, flush=True)\nwhile True: pass\n",
        {}, limits);
    QVERIFY(result.timedOut);
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    const QString pid = QString::fromStdString(result.out).trimmed();
    QVERIFY(!pid.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists("/proc/" + pid) || QFile("/proc/" + pid + "/stat").open(QIODevice::ReadOnly) == false ||
                                 QString(QFile("/proc/" + pid + "/stat").readAll()).contains(" Z "),
                             3000);
  }

  void memoryIsLimited() {
    SandboxLimits limits;
    limits.memoryBytes = 256L << 20;
    const auto result = runPythonSandboxed("try:\n    x = bytearray(1 << 30)\n    print('allocated')\nexcept MemoryError:\n    print('refused')\n", {}, limits);
    QCOMPARE(QString::fromStdString(result.out).trimmed(), QString("refused"));
  }
};

QTEST_GUILESS_MAIN(TestPythonSandbox)
#include "tst_python_sandbox.moc"
