#include "task/Fill.h"

#include "common/Error.h"

namespace collab::task {

std::string fill(const std::string& pattern, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    const std::size_t open = pattern.find('{', i);
    if (open == std::string::npos) break;
    const std::size_t close = pattern.find('}', open);
    if (close == std::string::npos) throw Error("task template without closing brace: " + pattern);
    out.append(pattern, i, open - i);
    auto it = values.find(pattern.substr(open + 1, close - open - 1));
    if (it == values.end()) throw Error("task template names an unknown value: " + pattern);
    out += it->second;
    i = close + 1;
  }
  out.append(pattern, i);
  return out;
}

} // namespace collab::task
