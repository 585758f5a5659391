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

bool startsWith(const std::vector<std::int64_t>& whole, const std::vector<std::int64_t>& part) {
  return part.size() <= whole.size() && std::equal(part.begin(), part.end(), whole.begin());
}

} // namespace

PrefixCache::PrefixCache(PrefixReuse reuse) : reuse_(reuse) {}

PrefixCache::Match PrefixCache::find(std::span<const std::int64_t> tokens, std::int64_t limit) {
  Entry* best = nullptr;
  std::int64_t longest = 0;
  for (Entry& entry : entries_) {
    const std::int64_t length = commonPrefix(entry.tokens, tokens, limit);
    if (length > longest) best = &entry, longest = length;
  }
  if (best) best->lastUsed = ++clock_;
  return {best, longest};
}

void PrefixCache::store(Entry entry) {
  for (Entry& held : entries_)
    if (startsWith(held.tokens, entry.tokens)) { // already covered
      held.lastUsed = ++clock_;
      return;
    }
  std::erase_if(entries_, [&](const Entry& held) {
    const bool covered = startsWith(entry.tokens, held.tokens);
    if (covered) held_ -= static_cast<std::int64_t>(held.tokens.size());
    return covered;
  });
  entry.lastUsed = ++clock_;
  held_ += static_cast<std::int64_t>(entry.tokens.size());
  entries_.push_back(std::move(entry));
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
