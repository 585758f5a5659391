#include "task/TaskFamily.h"

#include "task/SeededRandom.h"

namespace collab::task {

std::string splitFor(std::uint64_t seed, std::uint64_t index) {
  return SeededRandom::forItem(seed, index, 0x5E1175).below(10) < 8 ? "train" : "test";
}

std::string taskId(const std::string& family, std::uint64_t seed, std::uint64_t index) {
  return family + "/" + std::to_string(seed) + "/" + std::to_string(index);
}

} // namespace collab::task
