#pragma once

#include "TextStreamer.h"
#include "model/ModelDirectory.h"

#include <cstdint>
#include <string>
#include <vector>

namespace collab::cli {

// `collab generate --stream`: prints each sequence's text as its tokens arrive, raw for one
// sequence, or as {"sequence", "delta"} JSON lines for any number of them. The model's
// stop tokens are not printed (they end the reply; they are not its text).
class StreamPrinter {
public:
  StreamPrinter(const model::ModelDirectory& model, std::size_t sequences, const std::vector<std::string>& stopStrings, bool json);

  void token(std::size_t sequence, std::int64_t token);
  // Prints what is left of the sequence's final text.
  void finish(std::size_t sequence, const std::string& text);

private:
  void print(std::size_t sequence, const std::string& text);

  const model::ModelDirectory& model_;
  bool json_;
  std::vector<TextStreamer> streamers_;
};

} // namespace collab::cli
