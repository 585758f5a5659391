#include "model/Prefill.h"

#include "common/Error.h"

#include <algorithm>
#include <string>

namespace collab::model {

namespace {

using Tokens = std::span<const std::int64_t>;

std::int64_t commonPrefix(Tokens a, Tokens b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return static_cast<std::int64_t>(i);
}

at::Tensor longTensor(const std::vector<std::int64_t>& values, std::int64_t rows, std::int64_t columns) {
  return at::tensor(values, at::TensorOptions().dtype(at::kLong)).view({rows, columns});
}

// The prefixes worth reading once for `prompts`: the longest prefix each pair of neighbours
// in sorted order shares (every prefix two prompts share is a prefix of one of these), where
// reading it once spares enough reads of tokens the cache does not hold; none that another
// one extends.
std::vector<std::vector<std::int64_t>> sharedPrefixes(std::vector<Tokens> prompts, PrefixCache& prefixes) {
  const auto before = [](Tokens a, Tokens b) { return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end()); };
  std::sort(prompts.begin(), prompts.end(), before);
  std::vector<std::vector<std::int64_t>> shared;
  for (std::size_t i = 0; i + 1 < prompts.size(); ++i) {
    const std::int64_t length = commonPrefix(prompts[i], prompts[i + 1]);
    if (length == 0) continue;
    const Tokens prefix = prompts[i].first(static_cast<std::size_t>(length));
    // Sorted, the prompts starting with `prefix` are a run around i and i + 1.
    std::size_t first = i, last = i + 1;
    while (first > 0 && commonPrefix(prompts[first - 1], prefix) == length) --first;
    while (last + 1 < prompts.size() && commonPrefix(prompts[last + 1], prefix) == length) ++last;
    const std::int64_t fresh = length - prefixes.find(prefix, length).length;
    const auto sharers = static_cast<std::int64_t>(last - first + 1);
    if (fresh > 0 && (sharers - 1) * fresh >= prefixes.reuse().minSavedReads) shared.emplace_back(prefix.begin(), prefix.end());
  }
  std::sort(shared.begin(), shared.end());
  shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
  // Sorted, a prefix that another one extends is a prefix of the one right after it.
  std::vector<std::vector<std::int64_t>> kept;
  for (std::size_t i = 0; i < shared.size(); ++i) {
    const bool extended = i + 1 < shared.size() && std::equal(shared[i].begin(), shared[i].end(), shared[i + 1].begin());
    if (!extended) kept.push_back(std::move(shared[i]));
  }
  return kept;
}

// Reads each prompt from the longest prefix `prefixes` holds (none when null).
PrefilledBatch readPrompts(CausalLmImpl& model, const std::vector<Tokens>& prompts, std::int64_t extra,
                           PrefixCache* prefixes) {
  const auto batch = static_cast<std::int64_t>(prompts.size());
  std::vector<PrefixCache::Match> reused(prompts.size());
  std::int64_t most = 0, longest = 0; // C and T of the layout
  for (std::size_t b = 0; b < prompts.size(); ++b) {
    const auto length = static_cast<std::int64_t>(prompts[b].size());
    if (prefixes) reused[b] = prefixes->find(prompts[b], length - 1);
    most = std::max(most, reused[b].length);
    longest = std::max(longest, length - reused[b].length);
  }
  const std::int64_t width = most + longest;
  const at::Device device = model.outputWeight().device();
  PrefilledBatch out{KvCache(model.config(), batch, width + extra, model.outputWeight().scalar_type(), device), {}, {}, {}, false};

  std::vector<std::int64_t> ids(static_cast<std::size_t>(batch * longest), 0), positions(ids.size(), 0), next;
  std::vector<std::int64_t> real(static_cast<std::size_t>(batch * (width + extra)), 0);
  std::int64_t read = 0, copied = 0;
  for (std::int64_t b = 0; b < batch; ++b) {
    const Tokens prompt = prompts[static_cast<std::size_t>(b)];
    const PrefixCache::Match& match = reused[static_cast<std::size_t>(b)];
    const std::int64_t r = match.length, s = static_cast<std::int64_t>(prompt.size()) - r;
    for (std::size_t layer = 0; layer < out.cache.layers() && r > 0; ++layer)
      out.cache.place(layer, b, most - r, match.entry->keys[layer].narrow(1, 0, r), match.entry->values[layer].narrow(1, 0, r));
    out.cache.clear(b, 0, most - r);
    auto* row = real.data() + b * (width + extra);
    std::fill(row + most - r, row + most, 1);
    std::fill(row + width - s, row + width + extra, 1);
    for (std::int64_t i = 0; i < s; ++i) {
      const auto at = static_cast<std::size_t>(b * longest + longest - s + i);
      ids[at] = prompt[static_cast<std::size_t>(r + i)];
      positions[at] = r + i;
    }
    next.push_back(static_cast<std::int64_t>(prompt.size()));
    read += s;
    copied += r;
  }
  out.padded = std::find(real.begin(), real.end(), 0) != real.end();
  out.keyMask = longTensor(real, batch, width + extra).to(device).to(at::kBool);
  out.next = at::tensor(next, at::TensorOptions().dtype(at::kLong));
  out.cache.advance(most);
  const at::Tensor hidden = model.forward(
      {longTensor(ids, batch, longest).to(device), longTensor(positions, batch, longest).to(device), out.keyMask.narrow(1, 0, width)},
      &out.cache);
  out.lastHidden = hidden.select(1, longest - 1);
  if (prefixes) prefixes->count(read, copied);
  return out;
}

// Reads, once each, the prefixes that several prompts share (deepest sharing first: what
// the shared prefixes themselves share), and keeps them in `prefixes`.
void readSharedPrefixes(CausalLmImpl& model, const std::vector<Tokens>& prompts, PrefixCache& prefixes) {
  const std::vector<std::vector<std::int64_t>> shared = sharedPrefixes(prompts, prefixes);
  if (shared.empty()) return;
  const std::vector<Tokens> views(shared.begin(), shared.end());
  readSharedPrefixes(model, views, prefixes); // terminates: their common prefixes are shorter
  const PrefilledBatch batch = readPrompts(model, views, 0, &prefixes);
  for (std::size_t b = 0; b < shared.size(); ++b)
    keepRow(batch.cache, batch.keyMask, static_cast<std::int64_t>(b), shared[b], prefixes);
}

} // namespace

PrefilledBatch prefill(CausalLmImpl& model, const std::vector<std::span<const std::int64_t>>& prompts,
                       std::int64_t extra, PrefixCache* prefixes) {
  if (prefixes) {
    prefixes->checkModel(model);
    if (prefixes->reuse().shareAcrossPrompts) readSharedPrefixes(model, prompts, *prefixes);
  }
  return readPrompts(model, prompts, extra, prefixes);
}

void keepRow(const KvCache& cache, const at::Tensor& keyMask, std::int64_t row, std::vector<std::int64_t> tokens,
             PrefixCache& prefixes) {
  const at::Tensor columns = keyMask[row].narrow(0, 0, cache.length()).nonzero().squeeze(1);
  if (columns.size(0) != static_cast<std::int64_t>(tokens.size()))
    throw Error("prefix cache: row " + std::to_string(row) + " holds " + std::to_string(columns.size(0)) +
                " real positions, not the " + std::to_string(tokens.size()) + " tokens it was to be kept as");
  PrefixCache::Entry entry;
  entry.tokens = std::move(tokens);
  for (std::size_t layer = 0; layer < cache.layers(); ++layer) {
    auto [keys, values] = cache.gather(layer, row, columns);
    entry.keys.push_back(std::move(keys));
    entry.values.push_back(std::move(values));
  }
  prefixes.store(std::move(entry));
}

} // namespace collab::model
