#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// Byte-pair encoding as HF tokenizers' BPE model does it: a word is cut into initial
// symbols (bytes for byte-level vocabularies, characters otherwise, with optional byte
// fallback to <0xXX> tokens), then the lowest-ranked known pair is merged until none is left.
namespace collab::model {

struct BpeOptions {
  bool byteLevel = false;     // symbols are bytes; vocabulary keys are raw bytes
  bool byteFallback = false;  // unknown characters become <0xXX> tokens
  bool ignoreMerges = false;  // a word found whole in the vocabulary is one token
  bool fuseUnk = false;
  std::optional<std::uint32_t> unkId;
};

class Bpe {
public:
  // vocabulary keyed by the symbol text the model works on (raw bytes when byte-level);
  // merges as pairs of ids with their result, in rank order.
  struct Merge {
    std::uint32_t left;
    std::uint32_t right;
    std::uint32_t result;
  };
  Bpe(std::unordered_map<std::string, std::uint32_t> vocab, const std::vector<Merge>& merges, BpeOptions options);

  // Appends the ids of word (one pre-tokenized piece) to out; throws collab::Error when a
  // character is unknown and there is neither byte fallback nor an unknown token. With
  // `lengths`, also appends how many bytes of word each token covers, as HF's Word tracks
  // them: a vocabulary token its own text, a <0xXX> fallback token one byte, an unknown
  // token the character(s) it stands for (not the length of its own text, "<unk>").
  void encodeWord(std::string_view word, std::vector<std::uint32_t>& out,
                  std::vector<std::uint32_t>* lengths = nullptr) const;

  std::optional<std::uint32_t> find(std::string_view symbols) const;

private:
  void mergeAll(std::vector<std::uint32_t>& symbols, std::vector<std::uint32_t>& lengths) const;
  void initialSymbols(std::string_view word, std::vector<std::uint32_t>& symbols,
                      std::vector<std::uint32_t>& lengths) const;

  std::unordered_map<std::string, std::uint32_t> vocab_;
  // pair (left << 32 | right) -> (rank, result), open addressing: merge lookups are the
  // inner loop of BPE, and a node-based map costs a cache miss per probe.
  struct MergeSlot {
    std::uint64_t pair = ~0ull;
    std::uint32_t rank = 0;
    std::uint32_t result = 0;
  };
  std::vector<MergeSlot> mergeTable_;
  std::uint64_t mergeMask_ = 0;
  const MergeSlot* findMerge(std::uint32_t left, std::uint32_t right) const;
  std::array<std::int64_t, 256> byteIds_{};  // byte-level: id of each byte; fallback: id of <0xXX>
  BpeOptions options_;

  mutable std::mutex cacheMutex_;
  struct Cached {
    std::vector<std::uint32_t> ids;
    std::vector<std::uint32_t> lengths; // bytes of the word each id covers
  };
  mutable std::unordered_map<std::string, Cached> cache_;
};

} // namespace collab::model
