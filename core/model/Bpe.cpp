#include "model/Bpe.h"

#include "common/Error.h"
#include "model/Utf8.h"

#include <cstdio>
#include <queue>

namespace collab::model {

namespace {

constexpr std::size_t kCacheCapacity = 200000;
constexpr std::size_t kCacheMaxWord = 256;

std::uint64_t pairKey(std::uint32_t a, std::uint32_t b) { return (static_cast<std::uint64_t>(a) << 32) | b; }

} // namespace

Bpe::Bpe(std::unordered_map<std::string, std::uint32_t> vocab, const std::vector<Merge>& merges, BpeOptions options)
    : vocab_(std::move(vocab)), options_(options) {
  merges_.reserve(merges.size());
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const Merge& m = merges[rank];
    merges_.try_emplace(pairKey(m.left, m.right), static_cast<std::uint32_t>(rank), m.result);
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

std::optional<std::uint32_t> Bpe::find(std::string_view symbols) const {
  auto it = vocab_.find(std::string(symbols));
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

void Bpe::initialSymbols(std::string_view word, std::vector<std::uint32_t>& symbols) const {
  symbols.clear();
  if (options_.byteLevel) {
    for (char c : word) {
      const std::int64_t id = byteIds_[static_cast<unsigned char>(c)];
      if (id < 0) throw Error("tokenizer: the byte-level vocabulary lacks a byte of the input");
      symbols.push_back(static_cast<std::uint32_t>(id));
    }
    return;
  }
  bool lastWasUnk = false;
  std::string key;
  std::size_t pos = 0;
  while (pos < word.size()) {
    const std::size_t len = utf8::sequenceLength(static_cast<unsigned char>(word[pos]));
    key.assign(word.substr(pos, len));
    if (auto it = vocab_.find(key); it != vocab_.end()) {
      symbols.push_back(it->second);
      lastWasUnk = false;
    } else if (options_.byteFallback && byteIds_[static_cast<unsigned char>(key[0])] >= 0) {
      for (char c : key) symbols.push_back(static_cast<std::uint32_t>(byteIds_[static_cast<unsigned char>(c)]));
      lastWasUnk = false;
    } else if (options_.unkId) {
      if (!(options_.fuseUnk && lastWasUnk)) symbols.push_back(*options_.unkId);
      lastWasUnk = true;
    } else {
      throw Error("tokenizer: the character '" + key + "' is not in the vocabulary and the model has no unk_token");
    }
    pos += len;
  }
}

// HF's Word::merge_all: a heap of candidate merges ordered by (rank, position); a popped
// candidate is applied only if the pair at its position is still the one it was made for.
void Bpe::mergeAll(std::vector<std::uint32_t>& symbols) const {
  const std::size_t n = symbols.size();
  if (n < 2) return;
  struct Candidate {
    std::uint32_t rank;
    std::uint32_t pos;
    std::uint32_t result;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  thread_local std::vector<std::int32_t> prev, next;
  thread_local std::vector<Candidate> heapStore;
  prev.assign(n, 0);
  next.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    prev[i] = static_cast<std::int32_t>(i) - 1;
    next[i] = i + 1 < n ? static_cast<std::int32_t>(i + 1) : -1;
  }
  heapStore.clear();
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap(std::greater<>{}, std::move(heapStore));
  auto consider = [&](std::size_t pos) {
    const std::int32_t nx = next[pos];
    if (nx < 0) return;
    auto it = merges_.find(pairKey(symbols[pos], symbols[static_cast<std::size_t>(nx)]));
    if (it != merges_.end()) heap.push({it->second.first, static_cast<std::uint32_t>(pos), it->second.second});
  };
  for (std::size_t i = 0; i + 1 < n; ++i) consider(i);
  std::vector<bool> removed(n, false);
  while (!heap.empty()) {
    const Candidate top = heap.top();
    heap.pop();
    const std::size_t pos = top.pos;
    if (removed[pos]) continue;
    const std::int32_t nx = next[pos];
    if (nx < 0) continue;
    auto it = merges_.find(pairKey(symbols[pos], symbols[static_cast<std::size_t>(nx)]));
    if (it == merges_.end() || it->second.second != top.result) continue;
    symbols[pos] = top.result;
    removed[static_cast<std::size_t>(nx)] = true;
    next[pos] = next[static_cast<std::size_t>(nx)];
    if (next[pos] >= 0) prev[static_cast<std::size_t>(next[pos])] = static_cast<std::int32_t>(pos);
    if (prev[pos] >= 0) consider(static_cast<std::size_t>(prev[pos]));
    consider(pos);
  }
  std::size_t w = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!removed[i]) symbols[w++] = symbols[i];
  symbols.resize(w);
}

void Bpe::encodeWord(std::string_view word, std::vector<std::uint32_t>& out) const {
  if (word.empty()) return;
  if (options_.ignoreMerges) {
    if (auto it = vocab_.find(std::string(word)); it != vocab_.end()) {
      out.push_back(it->second);
      return;
    }
  }
  const bool cacheable = word.size() <= kCacheMaxWord;
  std::string key;
  if (cacheable) {
    key.assign(word);
    std::lock_guard lock(cacheMutex_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  thread_local std::vector<std::uint32_t> symbols;
  initialSymbols(word, symbols);
  mergeAll(symbols);
  out.insert(out.end(), symbols.begin(), symbols.end());
  if (cacheable) {
    std::lock_guard lock(cacheMutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.emplace(std::move(key), symbols);
  }
}

} // namespace collab::model
