#pragma once

#include "io/RowImporter.h"

namespace collab::io {

// TRL preference rows, one tree each: standard (`prompt`, `chosen`, `rejected` as text)
// or conversational (lists of messages), with an explicit prompt or an implicit one (the
// shared beginning of `chosen` and `rejected`). Optional `score_chosen`/`score_rejected`
// become scores of kind "score"; the pair itself is recorded as a preference.
class TrlPreferenceRowImporter : public RowImporter {
public:
  void importRow(const Json& row, RowContext& context) override;
};

} // namespace collab::io
