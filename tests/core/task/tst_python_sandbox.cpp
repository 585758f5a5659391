#include "LoopbackHttpServer.h"
#include "common/Error.h"
#include "task/PythonSandbox.h"

#include <QtTest>

#include <QDir>

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using collab::task::runPythonSandboxed;
using collab::task::SandboxLimits;

namespace {

// Processes whose working directory is `directory` (removed by now: "DIR (deleted)").
int processesIn(const QString& directory) {
  int count = 0;
  for (const QString& pid : QDir("/proc").entryList(QDir::Dirs)) {
    const QString cwd = QFile::symLinkTarget("/proc/" + pid + "/cwd");
    if (cwd == directory || cwd == directory + " (deleted)") ++count;
  }
  return count;
}

} // namespace

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

  // A server this test runs on loopback is reachable from here but not from the sandbox,
  // and nothing outside is either.
  void hasNoNetwork() {
    collab::test::LoopbackHttpServer server;
    const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(server.port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address), 0); // the server is there
    ::close(probe);
    const auto result = runPythonSandboxed(
        "import socket\n"
        "for host, port in (('127.0.0.1', " + std::to_string(server.port()) + "), ('1.1.1.1', 53)):\n"
        "    try:\n"
        "        socket.create_connection((host, port), timeout=2)\n"
        "        print('connected', host)\n"
        "    except OSError as e:\n"
        "        print('blocked', host, e.errno)\n");
    QVERIFY2(QString::fromStdString(result.out).startsWith("blocked 127.0.0.1"), result.out.c_str());
    QVERIFY2(QString::fromStdString(result.out).contains("blocked 1.1.1.1"), result.out.c_str());
    QCOMPARE(server.requestCount(), 0);
  }

  void seesNoEnvironmentOfTheParent() {
    qputenv("COLLAB_SECRET_TOKEN", "do-not-leak");
    const auto result = runPythonSandboxed("import os\nprint(sorted(os.environ))\n");
    QVERIFY(!QString::fromStdString(result.out).contains("COLLAB_SECRET_TOKEN"));
    QVERIFY(QString::fromStdString(result.out).contains("HOME"));
  }

  void timeoutKillsEveryProcessItStarted() {
    SandboxLimits limits;
    limits.wallSeconds = 1.0;
    const auto start = std::chrono::steady_clock::now();
    // A child that would outlive its parent (in a session of its own), then a busy parent.
    const auto result = runPythonSandboxed(
        "import os, subprocess\nprint(os.getcwd(), flush=True)\n"
        "child = subprocess.Popen(['/bin/sleep', '30'], start_new_session=True)\nwhile True: pass\n",
        {}, limits);
    QVERIFY(result.timedOut);
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    const QString directory = QString::fromStdString(result.out).trimmed();
    QVERIFY(!directory.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(processesIn(directory), 0, 3000);
  }

  // The program's processes are bounded, and all die with it.
  void aForkBombIsContained() {
    SandboxLimits limits;
    limits.wallSeconds = 3.0;
    limits.maxProcesses = 16;
    const auto start = std::chrono::steady_clock::now();
    const auto result = runPythonSandboxed(
        "import os, time\n"
        "print(os.getcwd(), flush=True)\n"
        "refused = False\n"
        "while True:\n"
        "    try:\n"
        "        os.fork()\n"
        "    except OSError:\n"
        "        if not refused:\n"
        "            refused = True\n"
        "            print('refused', flush=True)\n"
        "        time.sleep(0.05)\n",
        {}, limits);
    QVERIFY(result.timedOut);
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    const QStringList lines = QString::fromStdString(result.out).split('\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() >= 2 && lines[1] == "refused", result.out.c_str()); // the limit, not only the clock, stopped it
    QVERIFY(lines.count("refused") <= limits.maxProcesses); // each of at most 16 processes says it once
    QTRY_COMPARE_WITH_TIMEOUT(processesIn(lines[0]), 0, 3000);
    // The machine still forks: the limit was the program's alone.
    QCOMPARE(runPythonSandboxed("import subprocess\nprint(subprocess.run(['/bin/echo', 'ok'], capture_output=True).stdout.decode())\n")
                 .out,
             std::string("ok\n\n"));
  }

  // Same program, same files: the same result, every time.
  void runsAreDeterministic() {
    const std::string program = "import json, random\nrandom.seed(7)\nprint(json.dumps([random.random() for _ in range(3)]))\n";
    const auto first = runPythonSandboxed(program);
    for (int i = 0; i < 3; ++i) QCOMPARE(runPythonSandboxed(program).out, first.out);
    QCOMPARE(first.exitCode, 0);
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
