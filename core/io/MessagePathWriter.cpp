#include "io/ChatMessages.h"
#include "io/TreeRowWriters.h"

namespace collab::io {

void writeMessagePaths(const LoadedTree& loaded, const std::string& scoreKind, bool allPaths, const RowSink& emit) {
  if (loaded.tree.empty()) return;
  if (!allPaths) {
    const auto path = loaded.bestPath(scoreKind);
    emit(Json{{"messages", toJson(loaded.tree.messagesTo(path.back()))}});
    return;
  }
  for (conversation::NodeId leaf : loaded.tree.turnLeaves())
    emit(Json{{"messages", toJson(loaded.tree.messagesTo(leaf))}});
}

} // namespace collab::io
