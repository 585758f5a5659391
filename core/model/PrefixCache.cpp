#include "model/PrefixCache.h"

#include "common/Error.h"

#include <algorithm>

namespace collab::model {

namespace {

std::int64_t commonPrefix(std::span<const std::int64_t> a, std::span<const std::int64_t> b, std::int64_t limit) {
  const auto n = std::min({static_cast<std::int64_t>(a.size()), static_cast<std::int64_t>(b.size()), limit});
  std::int64_t i = 0;
  while (i < n && a[static_cast<std::size_t>(i)] == b[static_cast<std::size_t>(i)]) ++i;
  return i;
}

bool startsWith(std::span<const std::int64_t> whole, std::span<const std::int64_t> part) {
  return part.size() <= whole.size() && std::equal(part.begin(), part.end(), whole.begin());
}

bool lexicographicallyBefore(const PrefixCache::Entry& entry, std::span<const std::int64_t> tokens) {
  return std::lexicographical_compare(entry.tokens.begin(), entry.tokens.end(), tokens.begin(), tokens.end());
}

} // namespace

PrefixCache::PrefixCache(PrefixReuse reuse) : reuse_(reuse) {}

// The entries are kept in lexicographic order of their tokens, so that a lookup costs a
// binary search, not a scan: of all sorted sequences, the longest prefix shared with a
// query is shared with one of the two around the query's place (any sequence further away
// shares no more with it than the neighbour in between does). A batch over the futures of
// many tasks holds and looks up thousands of sequences in a call.
std::vector<PrefixCache::Entry>::iterator PrefixCache::placeOf(std::span<const std::int64_t> tokens) {
  return std::lower_bound(entries_.begin(), entries_.end(), tokens, lexicographicallyBefore);
}

PrefixCache::Match PrefixCache::find(std::span<const std::int64_t> tokens, std::int64_t limit) {
  const auto place = placeOf(tokens);
  Entry* best = nullptr;
  std::int64_t longest = 0;
  for (auto neighbour : {place == entries_.begin() ? entries_.end() : std::prev(place), place}) {
    if (neighbour == entries_.end()) continue;
    const std::int64_t length = commonPrefix(neighbour->tokens, tokens, limit);
    if (length > longest) best = &*neighbour, longest = length;
  }
  if (best) best->lastUsed = ++clock_;
  return {best, longest};
}

void PrefixCache::store(Entry entry) {
  auto place = placeOf(entry.tokens);
  // No held sequence is a prefix of another (each store keeps it so). A held sequence that
  // the new one starts with comes right after it in order; one it extends, right before.
  if (place != entries_.end() && startsWith(place->tokens, entry.tokens)) { // already covered
    place->lastUsed = ++clock_;
    return;
  }
  if (place != entries_.begin() && startsWith(entry.tokens, std::prev(place)->tokens)) {
    held_ -= static_cast<std::int64_t>(std::prev(place)->tokens.size());
    place = entries_.erase(std::prev(place));
  }
  entry.lastUsed = ++clock_;
  held_ += static_cast<std::int64_t>(entry.tokens.size());
  entries_.insert(place, std::move(entry));
  evictBeyondCapacity();
}

void PrefixCache::evictBeyondCapacity() {
  // The newest entry stays even when it alone exceeds the capacity: it is about to be read.
  while (held_ > reuse_.capacityTokens && entries_.size() > 1) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const Entry& a, const Entry& b) { return a.lastUsed < b.lastUsed; });
    held_ -= static_cast<std::int64_t>(oldest->tokens.size());
    entries_.erase(oldest);
  }
}

void PrefixCache::checkModel(const CausalLmImpl& model) {
  if (!model_) model_ = &model;
  if (model_ != &model)
    throw Error("a prefix cache holds the keys and values of one model; it was used with another");
}

void PrefixCache::count(std::int64_t read, std::int64_t reused) {
  counts_.read += read;
  counts_.reused += reused;
}

} // namespace collab::model
