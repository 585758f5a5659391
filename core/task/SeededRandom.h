#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace collab::task {

// A small random generator with the same sequence on every platform and standard
// library (std:: distributions differ between libstdc++ and libc++, and task ids must
// mean the same task everywhere). SplitMix64.
class SeededRandom {
public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  // A stream for one (seed, index, salt): tasks do not shift when others are added.
  static SeededRandom forItem(std::uint64_t seed, std::uint64_t index, std::uint64_t salt = 0);

  std::uint64_t next();
  // Uniform in [0, n), n > 0.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in [low, high].
  int between(int low, int high) { return low + static_cast<int>(below(static_cast<std::uint64_t>(high - low + 1))); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

private:
  std::uint64_t state_;
};

} // namespace collab::task
