#pragma once

#include "io/RowImporter.h"

namespace collab::io {

// The paper-era (v1) CollabLLM DPO rows: `prompt` (history), `chosen` and `rejected`
// responses, and for each an `*_eval` with the MR (`reward`, `reward_std`), the task and
// token-cost averages and, in `rs`, every sampled future (`forward_chat`) with its own
// score and interactivity judgement. Rows sharing an `idx` share a tree, and a response
// that appears in several pairs is one branch.
class DpoV1RowImporter : public RowImporter {
public:
  void importRow(const Json& row, RowContext& context) override;
};

} // namespace collab::io
