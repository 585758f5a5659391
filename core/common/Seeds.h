#pragma once

#include <cstdint>

namespace collab {

// A 64-bit mix of two numbers (the splitmix64 finaliser): derives independent seeds and
// random streams from a base seed and an index, so that what a stream draws does not
// depend on how many other streams exist or in which order they are served.
inline std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a + 0x9E3779B97F4A7C15ULL * (b + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

} // namespace collab
