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
// in sorted order shares (every prefix two prompts share is a prefix of one of these),
// none that another one extends; none at all unless reading them once, in one pass of
// their own, spares enough reads of tokens the cache does not hold. The pass costs about
// the same whatever it reads, so what counts is what all of them spare together: a batch
// over several tasks' futures shares many short histories, each sparing little.
std::vector<std::vector<std::int64_t>> sharedPrefixes(std::vector<Tokens> prompts, PrefixCache& prefixes) {
  const auto before = [](Tokens a, Tokens b) { return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end()); };
  std::sort(prompts.begin(), prompts.end(), before);
  std::vector<std::pair<std::vector<std::int64_t>, std::int64_t>> shared; // a prefix and the reads it spares
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
    if (fresh > 0) shared.emplace_back(std::vector<std::int64_t>(prefix.begin(), prefix.end()), (sharers - 1) * fresh);
  }
  std::sort(shared.begin(), shared.end());
  shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
  // Sorted, a prefix that another one extends is a prefix of the one right after it. Those
  // kept are prefixes of disjoint sets of prompts, so their spared reads add up.
  std::vector<std::vector<std::int64_t>> kept;
  std::int64_t spared = 0;
  for (std::size_t i = 0; i < shared.size(); ++i) {
    const auto& [tokens, saves] = shared[i];
    const bool extended = i + 1 < shared.size() && tokens.size() <= shared[i + 1].first.size() &&
                          std::equal(tokens.begin(), tokens.end(), shared[i + 1].first.begin());
    if (extended) continue;
    kept.push_back(tokens);
    spared += saves;
  }
  if (spared < prefixes.reuse().minSavedReads) kept.clear();
  return kept;
}

// Copies each row's reused prefix into its columns [C - r_b, C) and zeroes the unused
// columns before them, all in one write.
void placeReused(PrefilledBatch& out, const std::vector<PrefixCache::Match>& reused) {
  std::vector<std::int64_t> rows, columns, unusedRows, unusedColumns;
  std::vector<at::Tensor> parts;
  for (std::size_t b = 0; b < reused.size(); ++b) {
    const std::int64_t r = reused[b].length, row = static_cast<std::int64_t>(b);
    if (r > 0) parts.push_back(reused[b].entry->keysValues.narrow(0, 0, r));
    for (std::int64_t c = out.most - r; c < out.most; ++c) rows.push_back(row), columns.push_back(c);
    for (std::int64_t c = 0; c < out.most - r; ++c) unusedRows.push_back(row), unusedColumns.push_back(c);
  }
  if (rows.empty() && unusedRows.empty()) return;
  if (!unusedRows.empty()) {
    parts.push_back(out.cache.blank(static_cast<std::int64_t>(unusedRows.size()))); // masked, but 0 x NaN is NaN
    rows.insert(rows.end(), unusedRows.begin(), unusedRows.end());
    columns.insert(columns.end(), unusedColumns.begin(), unusedColumns.end());
  }
  out.cache.place(at::tensor(rows, at::kLong), at::tensor(columns, at::kLong), at::cat(parts, 0));
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
  PrefilledBatch out{KvCache(model.config(), batch, width + extra, model.outputWeight().scalar_type(), device), {}, {}, {}, false,
                     most, width, {}, {}};
  placeReused(out, reused);

  std::vector<std::int64_t> ids(static_cast<std::size_t>(batch * longest), 0), positions(ids.size(), 0), next;
  std::vector<std::int64_t> real(static_cast<std::size_t>(batch * (width + extra)), 0);
  for (std::int64_t b = 0; b < batch; ++b) {
    const Tokens prompt = prompts[static_cast<std::size_t>(b)];
    const std::int64_t r = reused[static_cast<std::size_t>(b)].length, s = static_cast<std::int64_t>(prompt.size()) - r;
    auto* row = real.data() + b * (width + extra);
    std::fill(row + most - r, row + most, 1);
    std::fill(row + width - s, row + width + extra, 1);
    for (std::int64_t i = 0; i < s; ++i) {
      const auto at = static_cast<std::size_t>(b * longest + longest - s + i);
      ids[at] = prompt[static_cast<std::size_t>(r + i)];
      positions[at] = r + i;
    }
    next.push_back(static_cast<std::int64_t>(prompt.size()));
    out.reused.push_back(r);
    out.read.push_back(s);
  }
  out.padded = std::find(real.begin(), real.end(), 0) != real.end();
  out.keyMask = longTensor(real, batch, width + extra).to(device).to(at::kBool);
  out.next = at::tensor(next, at::TensorOptions().dtype(at::kLong));
  out.cache.advance(most);
  const at::Tensor hidden = model.forward(
      {longTensor(ids, batch, longest).to(device), longTensor(positions, batch, longest).to(device), out.keyMask.narrow(1, 0, width)},
      &out.cache);
  out.lastHidden = hidden.select(1, longest - 1);
  if (prefixes) {
    std::int64_t read = 0, copied = 0;
    for (std::size_t b = 0; b < prompts.size(); ++b) read += out.read[b], copied += out.reused[b];
    prefixes->count(read, copied);
  }
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
  std::vector<KeptRow> kept;
  for (std::size_t b = 0; b < shared.size(); ++b)
    kept.push_back({static_cast<std::int64_t>(b), batch.realColumns(b, batch.cache.length()), shared[b]});
  keepRows(batch.cache, std::move(kept), prefixes);
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

std::vector<std::int64_t> PrefilledBatch::realColumns(std::size_t b, std::int64_t length) const {
  std::vector<std::int64_t> columns;
  for (std::int64_t c = most - reused[b]; c < most; ++c) columns.push_back(c);
  for (std::int64_t c = width - read[b]; c < length; ++c) columns.push_back(c);
  return columns;
}

void keepRows(const KvCache& cache, std::vector<KeptRow> rows, PrefixCache& prefixes) {
  if (rows.empty()) return;
  std::vector<std::int64_t> rowIndex, columnIndex;
  for (const KeptRow& kept : rows) {
    if (kept.columns.size() != kept.tokens.size())
      throw Error("prefix cache: row " + std::to_string(kept.row) + " holds " + std::to_string(kept.columns.size()) +
                  " positions, not the " + std::to_string(kept.tokens.size()) + " tokens it was to be kept as");
    rowIndex.insert(rowIndex.end(), kept.columns.size(), kept.row);
    columnIndex.insert(columnIndex.end(), kept.columns.begin(), kept.columns.end());
  }
  const at::Tensor all = cache.gather(at::tensor(rowIndex, at::kLong), at::tensor(columnIndex, at::kLong));
  std::int64_t offset = 0;
  for (KeptRow& kept : rows) {
    const auto n = static_cast<std::int64_t>(kept.tokens.size());
    PrefixCache::Entry entry;
    entry.tokens = std::move(kept.tokens);
    entry.keysValues = all.narrow(0, offset, n).clone(); // its own memory: the capacity counts it alone
    offset += n;
    prefixes.store(std::move(entry));
  }
}

} // namespace collab::model
