#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace collab::ui {

// The ranks of a data-parallel run on this computer, described as torchrun describes them
// to `collab train`: RANK, LOCAL_RANK, WORLD_SIZE, and the rendezvous that rank 0 serves at
// MASTER_ADDR:MASTER_PORT (loopback, a port free when the run starts).
class LocalRanks {
public:
  LocalRanks(int worldSize, quint16 port) : worldSize_(worldSize), port_(port) {}

  // A TCP port on 127.0.0.1 that nobody listens on now (the kernel's pick); 0 if none.
  static quint16 freePort();

  int worldSize() const { return worldSize_; }
  quint16 port() const { return port_; }
  // This program's environment with rank `rank`'s variables in it.
  QProcessEnvironment environment(int rank) const;
  // The same variables as a shell prefix ("RANK=1 LOCAL_RANK=1 WORLD_SIZE=2 ..."): the
  // log says exactly how each rank was started.
  QString shellPrefix(int rank) const;

private:
  QList<QPair<QString, QString>> variables(int rank) const;

  int worldSize_;
  quint16 port_;
};

} // namespace collab::ui
