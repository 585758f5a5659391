#include "task/SeededRandom.h"

namespace collab::task {

std::uint64_t SeededRandom::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

SeededRandom SeededRandom::forItem(std::uint64_t seed, std::uint64_t index, std::uint64_t salt) {
  SeededRandom mix(seed * 0x9E3779B97F4A7C15ULL ^ (index + 1) * 0xC2B2AE3D27D4EB4FULL ^ salt);
  return SeededRandom(mix.next());
}

} // namespace collab::task
