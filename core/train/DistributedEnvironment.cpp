#include "train/DistributedEnvironment.h"

#include "common/Error.h"

#include <charconv>
#include <cstdlib>

namespace collab::train {

namespace {

constexpr const char* kSource = "environment";

// An integer variable in [low, high]; `fallback` when unset.
long long integerVariable(const DistributedEnvironment::Lookup& lookup, const char* name, long long fallback, long long low,
                          long long high) {
  const char* text = lookup(name);
  if (!text) return fallback;
  const std::string value(text);
  long long number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() || number < low || number > high)
    throw InputError(kSource, 0, std::string(name) + "=\"" + value + "\": expected an integer in [" + std::to_string(low) +
                                     ", " + std::to_string(high) + "]");
  return number;
}

} // namespace

std::string DistributedEnvironment::describe() const {
  return "rank " + std::to_string(rank) + " of " + std::to_string(worldSize);
}

DistributedEnvironment DistributedEnvironment::fromVariables(const Lookup& lookup) {
  DistributedEnvironment e;
  e.worldSize = static_cast<int>(integerVariable(lookup, "WORLD_SIZE", 1, 1, 1 << 20));
  e.rank = static_cast<int>(integerVariable(lookup, "RANK", 0, 0, e.worldSize - 1));
  e.localRank = static_cast<int>(integerVariable(lookup, "LOCAL_RANK", 0, 0, 1 << 20));
  e.timeout = std::chrono::seconds(integerVariable(lookup, "COLLAB_DIST_TIMEOUT", 600, 1, 7 * 24 * 3600));
  if (!e.distributed()) return e;
  // A rank of a real group must be told who it is and where to meet: a default would let
  // two ranks both believe they are rank 0.
  if (!lookup("RANK")) throw InputError(kSource, 0, "RANK is unset: WORLD_SIZE=" + std::to_string(e.worldSize) + " needs each process's rank");
  const char* address = lookup("MASTER_ADDR");
  if (!address || !*address)
    throw InputError(kSource, 0, "MASTER_ADDR is unset: WORLD_SIZE=" + std::to_string(e.worldSize) + " needs rank 0's host name or address");
  e.masterAddress = address;
  if (!lookup("MASTER_PORT"))
    throw InputError(kSource, 0, "MASTER_PORT is unset: WORLD_SIZE=" + std::to_string(e.worldSize) + " needs the port rank 0 listens on");
  e.masterPort = static_cast<int>(integerVariable(lookup, "MASTER_PORT", 0, 1, 65535));
  return e;
}

DistributedEnvironment DistributedEnvironment::fromProcess() {
  return fromVariables([](const char* name) { return std::getenv(name); });
}

} // namespace collab::train
