#pragma once

// The `collab` command line run as a child process, for suites that test it end to end.
// The including target defines COLLAB_CLI_BIN (the built executable).

#include <QProcess>
#include <QString>
#include <QStringList>

#ifndef COLLAB_CLI_BIN
#error "CollabCli.h needs COLLAB_CLI_BIN: target_compile_definitions(... COLLAB_CLI_BIN=\"$<TARGET_FILE:collab>\")"
#endif

namespace collab::test {

struct CliResult {
  int exitCode = -1; // -1: it did not exit normally
  QString out, err;
};

// Runs `collab ARGUMENTS` to its end (at most two minutes, else the suite stops).
inline CliResult runCollab(const QStringList& arguments) {
  QProcess process;
  process.start(COLLAB_CLI_BIN, arguments);
  if (!process.waitForFinished(120000)) qFatal("collab did not finish: %s", qPrintable(arguments.join(' ')));
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace collab::test
