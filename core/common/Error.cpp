#include "common/Error.h"

#include <utility>

namespace collab {

InputError::InputError(std::string source, std::size_t line, std::string detail)
    : Error(line == 0 ? source + ": " + detail : source + ":" + std::to_string(line) + ": " + detail),
      source_(std::move(source)), line_(line), detail_(std::move(detail)) {}

InputError::InputError(std::string source, std::size_t line, std::size_t column, std::string detail)
    : Error(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + detail), source_(std::move(source)),
      line_(line), column_(column), detail_(std::move(detail)) {}

} // namespace collab
