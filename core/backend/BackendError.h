#pragma once

#include "common/Error.h"

namespace collab::backend {

// An LLM backend could not give a usable reply: the endpoint refused, timed out, or
// answered something that is not a chat completion. The message names the endpoint and
// what was expected.
class BackendError : public Error {
public:
  using Error::Error;
};

} // namespace collab::backend
