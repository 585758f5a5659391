#pragma once

#include "store/Project.h"

#include <cstdint>
#include <string>

namespace collab::test {

// Conversation trees shaped like simulated CollabLLM data, written straight through the
// store (no simulation: fast enough for 100k trees): each user turn gets three assistant
// candidates with an MR and its parts (one value per future), each candidate three
// sampled futures of two messages with their R*, and about half the candidates go on with
// a user reply. Deterministic for a seed. The caller wraps calls in a transaction.

// One tree of exactly `nodes` nodes (built breadth first, so it is wide as well as deep).
conversation::TreeId addSyntheticTree(store::Project& project, int nodes, std::uint64_t seed,
                                      const std::string& title = "");

// `trees` small conversations (two exchanges, `nodesPerTree` nodes at most), for a
// project as large as a real dataset. Returns the time taken in seconds.
double addSyntheticTrees(store::Project& project, int trees, int nodesPerTree, std::uint64_t seed);

} // namespace collab::test
