#pragma once

#include <c10/util/ArrayRef.h>

#include <cstdint>
#include <string>

namespace collab::model {

// A tensor shape as error messages write it: "[32, 768]".
inline std::string shapeText(c10::ArrayRef<std::int64_t> shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

} // namespace collab::model
