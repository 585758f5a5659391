#pragma once

#include "io/RowImporter.h"

namespace collab::io {

// CollabLLM v2 multiturn rows, one per candidate response. Rows sharing a conv_id form
// one tree: `prompt` is the history (merged with the other rows'), `completion` a
// candidate branch at turn `turn_id`, each of `sessions` a sampled continuation below
// it, and `score` / `rewards` become the candidate's scores ("MR" and one per metric).
class CollabllmRowImporter : public RowImporter {
public:
  void importRow(const Json& row, RowContext& context) override;
};

} // namespace collab::io
