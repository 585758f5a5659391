#include "model/Bpe.h"

#include "common/Error.h"
#include "model/Utf8.h"

#include <cstdio>
#include <algorithm>
#include <functional>

namespace collab::model {

namespace {

constexpr std::size_t kCacheCapacity = 200000;
constexpr std::size_t kCacheMaxWord = 256;

std::uint64_t pairKey(std::uint32_t a, std::uint32_t b) { return (static_cast<std::uint64_t>(a) << 32) | b; }

std::uint64_t slotOf(std::uint64_t key) {
  key ^= key >> 29;
  key *= 0xBF58476D1CE4E5B9ull;
  key ^= key >> 32;
  return key;
}

} // namespace

Bpe::Bpe(std::unordered_map<std::string, std::uint32_t> vocab, const std::vector<Merge>& merges, BpeOptions options)
    : vocab_(std::move(vocab)), options_(options) {
  std::size_t capacity = 16;
  while (capacity < merges.size() * 2) capacity *= 2;
  mergeTable_.assign(capacity, MergeSlot{});
  mergeMask_ = capacity - 1;
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const Merge& m = merges[rank];
    const std::uint64_t key = pairKey(m.left, m.right);
    std::uint64_t at = slotOf(key) & mergeMask_;
    while (mergeTable_[at].pair != ~0ull && mergeTable_[at].pair != key) at = (at + 1) & mergeMask_;
    mergeTable_[at] = {key, static_cast<std::uint32_t>(rank), m.result};  // as HF: a repeated merge takes its last rank
  }
  byteIds_.fill(-1);
  for (int b = 0; b < 256; ++b) {
    std::string key;
    if (options_.byteLevel) {
      key.push_back(static_cast<char>(b));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "<0x%02X>", b);
      key = buf;
    }
    if (auto it = vocab_.find(key); it != vocab_.end()) byteIds_[static_cast<std::size_t>(b)] = it->second;
  }
}

const Bpe::MergeSlot* Bpe::findMerge(std::uint32_t left, std::uint32_t right) const {
  const std::uint64_t key = pairKey(left, right);
  std::uint64_t at = slotOf(key) & mergeMask_;
  while (true) {
    const MergeSlot& slot = mergeTable_[at];
    if (slot.pair == key) return &slot;
    if (slot.pair == ~0ull) return nullptr;
    at = (at + 1) & mergeMask_;
  }
}

std::optional<std::uint32_t> Bpe::find(std::string_view symbols) const {
  auto it = vocab_.find(std::string(symbols));
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

void Bpe::initialSymbols(std::string_view word, std::vector<std::uint32_t>& symbols,
                         std::vector<std::uint32_t>& lengths) const {
  symbols.clear();
  lengths.clear();
  if (options_.byteLevel) {
    for (char c : word) {
      const std::int64_t id = byteIds_[static_cast<unsigned char>(c)];
      if (id < 0) throw Error("tokenizer: the byte-level vocabulary lacks a byte of the input");
      symbols.push_back(static_cast<std::uint32_t>(id));
      lengths.push_back(1);
    }
    return;
  }
  bool lastWasUnk = false;
  std::string key;
  std::size_t pos = 0;
  while (pos < word.size()) {
    const std::size_t len = utf8::sequenceLength(static_cast<unsigned char>(word[pos]));
    key.assign(word.substr(pos, len));
    const auto bytes = static_cast<std::uint32_t>(key.size());
    if (auto it = vocab_.find(key); it != vocab_.end()) {
      symbols.push_back(it->second);
      lengths.push_back(bytes);
      lastWasUnk = false;
    } else if (options_.byteFallback && std::all_of(key.begin(), key.end(), [&](char c) {
                 return byteIds_[static_cast<unsigned char>(c)] >= 0;
               })) {
      // As HF: byte fallback only when every byte of the character has its <0xXX> token;
      // otherwise the unknown token (a missing id would be pushed as 2^32 - 1).
      for (char c : key) {
        symbols.push_back(static_cast<std::uint32_t>(byteIds_[static_cast<unsigned char>(c)]));
        lengths.push_back(1);
      }
      lastWasUnk = false;
    } else if (options_.unkId) {
      // The unknown token covers this character (and, fused, the unknown ones before it).
      if (options_.fuseUnk && lastWasUnk) {
        lengths.back() += bytes;
      } else {
        symbols.push_back(*options_.unkId);
        lengths.push_back(bytes);
      }
      lastWasUnk = true;
    } else {
      throw Error("tokenizer: the character '" + key + "' is not in the vocabulary and the model has no unk_token");
    }
    pos += len;
  }
}

// HF's Word::merge_all: a heap of candidate merges ordered by (rank, position); a popped
// candidate is applied only if the pair at its position is still the one it was made for
// (ranks are unique per pair, so comparing ranks compares pairs). A candidate is one
// integer, rank << 32 | position, so the heap compares integers.
void Bpe::mergeAll(std::vector<std::uint32_t>& symbols, std::vector<std::uint32_t>& lengths) const {
  const std::size_t n = symbols.size();
  if (n < 2) return;
  thread_local std::vector<std::int32_t> prev, next;
  thread_local std::vector<std::uint64_t> heap;
  thread_local std::vector<char> removed;
  prev.resize(n);
  next.resize(n);
  removed.assign(n, 0);
  heap.clear();
  for (std::size_t i = 0; i < n; ++i) {
    prev[i] = static_cast<std::int32_t>(i) - 1;
    next[i] = i + 1 < n ? static_cast<std::int32_t>(i + 1) : -1;
  }
  const auto later = std::greater<std::uint64_t>();
  auto consider = [&](std::size_t pos, bool keepHeap) {
    const std::int32_t nx = next[pos];
    if (nx < 0) return;
    if (const MergeSlot* m = findMerge(symbols[pos], symbols[static_cast<std::size_t>(nx)])) {
      heap.push_back((static_cast<std::uint64_t>(m->rank) << 32) | pos);
      if (keepHeap) std::push_heap(heap.begin(), heap.end(), later);
    }
  };
  for (std::size_t i = 0; i + 1 < n; ++i) consider(i, false);
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const std::uint64_t top = heap.back();
    heap.pop_back();
    const auto pos = static_cast<std::size_t>(top & 0xFFFFFFFFu);
    if (removed[pos]) continue;
    const std::int32_t nx = next[pos];
    if (nx < 0) continue;
    const MergeSlot* m = findMerge(symbols[pos], symbols[static_cast<std::size_t>(nx)]);
    if (!m || m->rank != (top >> 32)) continue;
    symbols[pos] = m->result;
    lengths[pos] += lengths[static_cast<std::size_t>(nx)];
    removed[static_cast<std::size_t>(nx)] = 1;
    next[pos] = next[static_cast<std::size_t>(nx)];
    if (next[pos] >= 0) prev[static_cast<std::size_t>(next[pos])] = static_cast<std::int32_t>(pos);
    if (prev[pos] >= 0) consider(static_cast<std::size_t>(prev[pos]), true);
    consider(pos, true);
  }
  std::size_t w = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!removed[i]) {
      symbols[w] = symbols[i];
      lengths[w++] = lengths[i];
    }
  symbols.resize(w);
  lengths.resize(w);
}

void Bpe::encodeWord(std::string_view word, std::vector<std::uint32_t>& out, std::vector<std::uint32_t>* lengths) const {
  if (word.empty()) return;
  if (options_.ignoreMerges) {
    if (auto it = vocab_.find(std::string(word)); it != vocab_.end()) {
      out.push_back(it->second);
      if (lengths) lengths->push_back(static_cast<std::uint32_t>(word.size()));
      return;
    }
  }
  const bool cacheable = word.size() <= kCacheMaxWord;
  std::string key;
  if (cacheable) {
    key.assign(word);
    std::lock_guard lock(cacheMutex_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      out.insert(out.end(), it->second.ids.begin(), it->second.ids.end());
      if (lengths) lengths->insert(lengths->end(), it->second.lengths.begin(), it->second.lengths.end());
      return;
    }
  }
  thread_local std::vector<std::uint32_t> symbols, symbolLengths;
  initialSymbols(word, symbols, symbolLengths);
  mergeAll(symbols, symbolLengths);
  out.insert(out.end(), symbols.begin(), symbols.end());
  if (lengths) lengths->insert(lengths->end(), symbolLengths.begin(), symbolLengths.end());
  if (cacheable) {
    std::lock_guard lock(cacheMutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.emplace(std::move(key), Cached{symbols, symbolLengths});
  }
}

} // namespace collab::model
