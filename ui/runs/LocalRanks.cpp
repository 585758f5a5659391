#include "runs/LocalRanks.h"

#include <QHostAddress>
#include <QStringList>
#include <QTcpServer>

namespace collab::ui {

quint16 LocalRanks::freePort() {
  // Listening on port 0 makes the kernel pick a free port; it is closed again at once so
  // that rank 0 can take it. Another program could take it in between: the rendezvous
  // then fails with an error naming the address, and the run can be launched again.
  QTcpServer probe;
  if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
  return probe.serverPort();
}

QList<QPair<QString, QString>> LocalRanks::variables(int rank) const {
  return {{QStringLiteral("RANK"), QString::number(rank)},
          {QStringLiteral("LOCAL_RANK"), QString::number(rank)}, // one computer: which GPU it takes
          {QStringLiteral("WORLD_SIZE"), QString::number(worldSize_)},
          {QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1")},
          {QStringLiteral("MASTER_PORT"), QString::number(port_)}};
}

QProcessEnvironment LocalRanks::environment(int rank) const {
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  for (const auto& [name, value] : variables(rank)) environment.insert(name, value);
  return environment;
}

QString LocalRanks::shellPrefix(int rank) const {
  QStringList words;
  for (const auto& [name, value] : variables(rank)) words << name + '=' + value;
  return words.join(' ');
}

} // namespace collab::ui
