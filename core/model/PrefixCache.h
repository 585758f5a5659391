#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <span>
#include <vector>

namespace collab::model {

class CausalLmImpl;

// What a PrefixCache keeps, and so what generation may skip reading again.
struct PrefixReuse {
  // Read once the prefixes that several prompts of a batch share (the S futures of a
  // candidate all start with the history and the candidate), then each prompt from there.
  bool shareAcrossPrompts = true;
  // Keep each sequence's prompt and generated tokens when it finishes, so that a later
  // prompt extending them (the same conversation's next turn) reads only what is new.
  bool keepGenerated = true;
  // The shared prefixes get a forward pass of their own only when reading them once spares
  // at least this many token reads in all (the sum over them of (prompts sharing it - 1) x
  // its tokens not yet held): below that the extra call costs more than the reads it saves.
  std::int64_t minSavedReads = 64;
  // The most tokens held (each costs layers x 2 x kvHeads x headDim values: 128 floats for
  // the built-in policy, 6144 for Qwen2-0.5B); the least recently used sequences go first.
  std::int64_t capacityTokens = 1 << 16;
};

// Keys and values of token sequences a model has read, so that a prompt starting with one
// of them is read from where it ends. A token's keys and values depend only on the tokens
// before it (causal attention, rotary positions counted from the sequence's start), so any
// prefix of a stored sequence is itself reusable, whatever batch it was computed in.
//
// Valid for one model with unchanged weights: a cache serves a run of related calls (the
// rollouts of one MR estimate) and is dropped before the weights can change.
class PrefixCache {
public:
  explicit PrefixCache(PrefixReuse reuse = {});

  const PrefixReuse& reuse() const { return reuse_; }

  // A stored sequence and its keys and values, rotary applied: [tokens, layers, 2 (keys,
  // values), kvHeads, headDim], token first so that a prefix is a slice.
  struct Entry {
    std::vector<std::int64_t> tokens;
    at::Tensor keysValues;
    std::uint64_t lastUsed = 0;
  };
  struct Match {
    const Entry* entry = nullptr;
    std::int64_t length = 0; // tokens of the query covered by entry's prefix
  };

  // The stored sequence sharing the longest prefix with `tokens` (at most `limit` tokens).
  Match find(std::span<const std::int64_t> tokens, std::int64_t limit);
  // Keeps a sequence; sequences it extends are dropped (it covers them), and nothing is
  // added when a stored one already extends it.
  void store(Entry entry);
  // Ties the cache to `model` on first use; any other model is refused (an Error).
  void checkModel(const CausalLmImpl& model);

  // What prefills have read (tokens through the model) and reused (tokens copied from here).
  struct Counts {
    std::int64_t read = 0;
    std::int64_t reused = 0;
  };
  void count(std::int64_t read, std::int64_t reused);
  const Counts& counts() const { return counts_; }
  std::int64_t heldTokens() const { return held_; }
  std::size_t size() const { return entries_.size(); }

private:
  // Where `tokens` goes among the entries, kept in lexicographic order.
  std::vector<Entry>::iterator placeOf(std::span<const std::int64_t> tokens);
  void evictBeyondCapacity();

  PrefixReuse reuse_;
  std::vector<Entry> entries_; // in lexicographic order of their tokens; none a prefix of another
  std::int64_t held_ = 0;
  std::uint64_t clock_ = 0;
  const CausalLmImpl* model_ = nullptr;
  Counts counts_;
};

} // namespace collab::model
