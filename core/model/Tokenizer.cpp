#include "model/Tokenizer.h"

#include "common/Error.h"
#include "model/ByteLevel.h"
#include "model/TokenizerPipeline.h"
#include "model/Utf8.h"

#include <algorithm>
#include <cctype>

namespace collab::model {

namespace {

// A normalised copy of a piece of input, with the input byte range every byte came from.
struct Normalized {
  std::string text;
  std::vector<ByteRange> from;

  void assign(std::string_view input, std::size_t base) {
    text.assign(input);
    from.clear();
    std::size_t pos = 0;
    while (pos < input.size()) {
      const std::size_t len = utf8::sequenceLength(static_cast<unsigned char>(input[pos]));
      for (std::size_t k = 0; k < len; ++k) from.push_back({base + pos, base + pos + len});
      pos += len;
    }
  }
  void prepend(const std::string& what) {
    if (text.empty()) return;
    text.insert(0, what);
    from.insert(from.begin(), what.size(), from.front());
  }
  void replace(const std::string& pattern, const std::string& by) {
    if (text.find(pattern) == std::string::npos) return;
    std::string out;
    std::vector<ByteRange> outFrom;
    std::size_t pos = 0;
    while (pos < text.size()) {
      if (text.compare(pos, pattern.size(), pattern) == 0) {
        const ByteRange r{from[pos].begin, from[pos + pattern.size() - 1].end};
        out += by;
        outFrom.insert(outFrom.end(), by.size(), r);
        pos += pattern.size();
      } else {
        out.push_back(text[pos]);
        outFrom.push_back(from[pos]);
        ++pos;
      }
    }
    text = std::move(out);
    from = std::move(outFrom);
  }
  // As HF aligns a composition: in decomposed (NFD) space, each output character starts
  // inside the decomposition of one input character, and maps to that character only.
  void alignComposed(std::string_view chunk, std::size_t chunkStart, const std::string& composed,
                     std::vector<ByteRange>& outFrom) const {
    std::vector<std::size_t> inputStart;  // byte offsets (in text) of the chunk's characters
    std::vector<std::size_t> inputEnd;    // their ends in NFD code points, cumulative
    std::size_t total = 0;
    for (std::size_t i = 0; i < chunk.size();) {
      const std::size_t len = utf8::sequenceLength(static_cast<unsigned char>(chunk[i]));
      total += utf8::canonicalLength(chunk.substr(i, len));
      inputStart.push_back(chunkStart + i);
      inputEnd.push_back(total);
      i += len;
    }
    std::size_t at = 0;  // NFD position of the current output character
    std::size_t k = 0;   // the input character whose decomposition holds it
    for (std::size_t i = 0; i < composed.size();) {
      const std::size_t len = utf8::sequenceLength(static_cast<unsigned char>(composed[i]));
      while (k + 1 < inputEnd.size() && inputEnd[k] <= at) ++k;
      outFrom.insert(outFrom.end(), len, from[inputStart[k]]);
      at += utf8::canonicalLength(std::string_view(composed).substr(i, len));
      i += len;
    }
  }

  // NFC chunk by chunk: a chunk is one character and the non-ASCII characters after it.
  // No canonical composition or reordering involves an ASCII character after another,
  // so NFC of the whole is NFC of the chunks; a chunk NFC changes maps as one range.
  void nfc() {
    const std::string whole = utf8::nfc(text);
    if (whole == text) return;
    std::string out;
    std::vector<ByteRange> outFrom;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = pos + utf8::sequenceLength(static_cast<unsigned char>(text[pos]));
      while (end < text.size() && static_cast<unsigned char>(text[end]) >= 0x80)
        end += utf8::sequenceLength(static_cast<unsigned char>(text[end]));
      const std::string_view chunk(text.data() + pos, end - pos);
      const std::string composed = utf8::nfc(chunk);
      if (composed == chunk) {
        out.append(chunk);
        outFrom.insert(outFrom.end(), from.begin() + static_cast<std::ptrdiff_t>(pos),
                       from.begin() + static_cast<std::ptrdiff_t>(end));
      } else {
        out += composed;
        alignComposed(chunk, pos, composed, outFrom);
      }
      pos = end;
    }
    text = std::move(out);
    from = std::move(outFrom);
  }
};

bool isByteToken(const std::string& token) {
  return token.size() == 6 && token.compare(0, 3, "<0x") == 0 && token[5] == '>' && std::isxdigit(static_cast<unsigned char>(token[3])) &&
         std::isxdigit(static_cast<unsigned char>(token[4]));
}

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
}

} // namespace

bool TokenizerPipeline::byteLevel() const {
  return std::any_of(preTokenizer.begin(), preTokenizer.end(),
                     [](const PreTokenizerStep& s) { return s.kind == PreTokenizerStep::Kind::ByteLevel; });
}

void TokenizerPipeline::finish() {
  for (const AddedToken& t : added) {
    if (t.id >= idToToken.size()) idToToken.resize(t.id + 1);
    idToToken[t.id] = t.content;
  }
  special.assign(idToToken.size(), false);
  tokenBytes.assign(idToToken.size(), 0);
  const bool bytes = byteLevel();
  for (std::size_t id = 0; id < idToToken.size(); ++id) {
    const std::string& token = idToToken[id];
    if (token.empty()) continue;
    tokenToId.try_emplace(token, static_cast<std::uint32_t>(id));
    if (bytes) {
      const auto raw = byte_level::toBytes(token);
      tokenBytes[id] = static_cast<std::uint32_t>(raw ? raw->size() : token.size());
    } else {
      tokenBytes[id] = static_cast<std::uint32_t>(isByteToken(token) ? 1 : token.size());
    }
  }
  for (std::size_t i = 0; i < added.size(); ++i) {
    tokenToId[added[i].content] = added[i].id;
    special[added[i].id] = added[i].special;
    addedByFirstByte[static_cast<unsigned char>(added[i].content[0])].push_back(static_cast<std::uint32_t>(i));
  }
  for (auto& list : addedByFirstByte)
    std::stable_sort(list.begin(), list.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return added[a].content.size() > added[b].content.size(); });
}

Tokenizer::Tokenizer(std::unique_ptr<TokenizerPipeline> pipeline) : p_(std::move(pipeline)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

std::size_t Tokenizer::vocabSize() const { return p_->idToToken.size(); }

std::optional<std::uint32_t> Tokenizer::tokenToId(std::string_view token) const {
  auto it = p_->tokenToId.find(std::string(token));
  if (it == p_->tokenToId.end()) return std::nullopt;
  return it->second;
}

const std::string& Tokenizer::idToToken(std::uint32_t id) const {
  if (id >= p_->idToToken.size()) throw Error("tokenizer: id " + std::to_string(id) + " is out of the vocabulary");
  return p_->idToToken[id];
}

bool Tokenizer::isSpecial(std::uint32_t id) const { return id < p_->special.size() && p_->special[id]; }

namespace {

// Encodes text[begin, end), which holds no added token, into e.
// With full false only the ids are filled (no token strings, no offsets).
void encodePlain(const TokenizerPipeline& p, std::string_view text, std::size_t begin, std::size_t end, Encoding& e,
                 bool full) {
  if (begin == end) return;
  const std::string_view segment = text.substr(begin, end - begin);
  // The normalised text is built (with its map back to the input) only when a step
  // changes something: most text is already NFC.
  bool aligned = false;
  thread_local Normalized n;
  std::string_view view = segment;
  auto align = [&] {
    if (!aligned) n.assign(segment, begin);
    aligned = true;
  };
  for (const NormalizerStep& step : p.normalizer) {
    switch (step.kind) {
    case NormalizerStep::Kind::Nfc:
      if (aligned) {
        n.nfc();
      } else if (std::any_of(segment.begin(), segment.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }) &&
                 utf8::nfc(segment) != segment) {
        align();
        n.nfc();
      }
      break;
    case NormalizerStep::Kind::Prepend:
      align();
      n.prepend(step.text);
      break;
    case NormalizerStep::Kind::Replace:
      align();
      n.replace(step.text, step.replacement);
      break;
    }
  }
  // The first pre-tokenizer step may add a prefix to the (normalised) text.
  const PreTokenizerStep* first = p.preTokenizer.empty() ? nullptr : &p.preTokenizer.front();
  if (first && first->kind == PreTokenizerStep::Kind::ByteLevel && first->addPrefixSpace &&
      (aligned ? n.text : segment).front() != ' ') {
    align();
    n.prepend(" ");
  }
  if (first && first->kind == PreTokenizerStep::Kind::Metaspace) {
    align();
    n.replace(" ", first->replacement);
    const bool prepend = first->prepend == PrependScheme::Always || (first->prepend == PrependScheme::First && begin == 0);
    if (prepend && n.text.compare(0, first->replacement.size(), first->replacement) != 0) n.prepend(first->replacement);
  }
  if (aligned) view = n.text;
  if (view.empty()) return;

  thread_local std::vector<ByteRange> pieces, next;
  pieces.assign(1, ByteRange{0, view.size()});
  for (const PreTokenizerStep& step : p.preTokenizer) {
    if (step.kind == PreTokenizerStep::Kind::ByteLevel && !step.useRegex) continue;
    if (step.kind == PreTokenizerStep::Kind::Metaspace && !step.split) continue;
    next.clear();
    for (const ByteRange& piece : pieces) {
      if (step.kind != PreTokenizerStep::Kind::Metaspace) {
        splitByPattern(step.pattern, view, piece, next);
        continue;
      }
      // Each replacement character starts a new piece (HF's MergedWithNext).
      std::size_t start = piece.begin;
      for (std::size_t at = view.find(step.replacement, start + 1); at < piece.end; at = view.find(step.replacement, at + 1)) {
        next.push_back({start, at});
        start = at;
      }
      next.push_back({start, piece.end});
    }
    pieces.swap(next);
  }

  thread_local std::vector<std::uint32_t> ids, lengths;
  for (const ByteRange& piece : pieces) {
    const std::string_view word = view.substr(piece.begin, piece.end - piece.begin);
    ids.clear();
    lengths.clear();
    if (p.bpe) {
      // The bytes each token covers come from BPE itself: a token's vocabulary text does
      // not say it for an unknown token (one character, not the bytes of "<unk>").
      p.bpe->encodeWord(word, ids, full ? &lengths : nullptr);
    } else if (auto it = p.words.find(std::string(word)); it != p.words.end()) {
      ids.push_back(it->second);
    } else if (p.unkId) {
      ids.push_back(*p.unkId);
    } else {
      throw Error("tokenizer: '" + std::string(word) + "' is not in the vocabulary and the model has no unk_token");
    }
    if (!full) {
      e.ids.insert(e.ids.end(), ids.begin(), ids.end());
      continue;
    }
    std::size_t at = piece.begin;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const std::uint32_t id = ids[k];
      const std::size_t covered = k < lengths.size() ? lengths[k] : p.tokenBytes[id];
      const std::size_t stop = k + 1 == ids.size() ? piece.end : std::min(piece.end, at + covered);
      e.ids.push_back(id);
      e.tokens.push_back(p.idToToken[id]);
      if (aligned) {
        // A token covering no bytes gets an empty range; `at` may be the end of the
        // normalised text then.
        const std::size_t from = at < n.from.size() ? n.from[at].begin : end;
        e.offsets.emplace_back(from, stop > at ? n.from[stop - 1].end : from);
      } else {
        e.offsets.emplace_back(begin + at, begin + stop);
      }
      at = stop;
    }
  }
}

void encodeText(const TokenizerPipeline& p, std::string_view text, Encoding& e, bool full) {
  if (const std::size_t bad = utf8::firstInvalid(text); bad != std::string_view::npos)
    throw Error("tokenizer: the text is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  std::size_t plainStart = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto& candidates = p.addedByFirstByte[static_cast<unsigned char>(text[pos])];
    const AddedToken* match = nullptr;
    for (std::uint32_t index : candidates) {
      const AddedToken& t = p.added[index];
      if (text.compare(pos, t.content.size(), t.content) == 0) {
        match = &t;
        break;
      }
    }
    if (!match) {
      ++pos;
      continue;
    }
    encodePlain(p, text, plainStart, pos, e, full);
    e.ids.push_back(match->id);
    if (full) {
      e.tokens.push_back(match->content);
      e.offsets.emplace_back(pos, pos + match->content.size());
    }
    pos += match->content.size();
    plainStart = pos;
  }
  encodePlain(p, text, plainStart, text.size(), e, full);
}

} // namespace

Encoding Tokenizer::encode(std::string_view text) const {
  Encoding e;
  encodeText(*p_, text, e, true);
  return e;
}

std::vector<std::uint32_t> Tokenizer::encodeIds(std::string_view text) const {
  Encoding e;
  encodeText(*p_, text, e, false);
  return std::move(e.ids);
}

std::string Tokenizer::decode(const std::vector<std::uint32_t>& ids) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (std::uint32_t id : ids) tokens.push_back(idToToken(id));
  if (!p_->decoder) {
    std::string joined;
    for (std::size_t i = 0; i < tokens.size(); ++i) joined += (i ? " " : "") + tokens[i];
    return joined;
  }
  for (const DecoderStep& step : *p_->decoder) {
    switch (step.kind) {
    case DecoderStep::Kind::ByteLevel: {
      std::string bytes;
      for (const std::string& t : tokens) {
        if (auto raw = byte_level::toBytes(t)) bytes += *raw;
        else bytes += t;
      }
      tokens.assign(1, utf8::lossy(bytes));
      break;
    }
    case DecoderStep::Kind::Replace:
      for (std::string& t : tokens) replaceAll(t, step.text, step.replacement);
      break;
    case DecoderStep::Kind::Metaspace:
      // As HF: the replacement becomes a space, except in the first token, where it is
      // dropped (every occurrence, not just a leading one) unless the scheme is "never".
      for (std::size_t i = 0; i < tokens.size(); ++i)
        replaceAll(tokens[i], step.text, i == 0 && step.prepend != PrependScheme::Never ? "" : " ");
      break;
    case DecoderStep::Kind::ByteFallback: {
      std::vector<std::string> out;
      std::string pending;
      std::size_t pendingCount = 0;
      auto flush = [&] {
        if (pendingCount == 0) return;
        if (utf8::firstInvalid(pending) == std::string::npos) {
          out.push_back(pending);
        } else {
          for (std::size_t i = 0; i < pendingCount; ++i) out.emplace_back("\xEF\xBF\xBD");
        }
        pending.clear();
        pendingCount = 0;
      };
      for (std::string& t : tokens) {
        if (isByteToken(t)) {
          pending.push_back(static_cast<char>(std::stoi(t.substr(3, 2), nullptr, 16)));
          ++pendingCount;
        } else {
          flush();
          out.push_back(std::move(t));
        }
      }
      flush();
      tokens = std::move(out);
      break;
    }
    case DecoderStep::Kind::Fuse: {
      std::string joined;
      for (const std::string& t : tokens) joined += t;
      tokens.assign(1, std::move(joined));
      break;
    }
    case DecoderStep::Kind::Strip:
      for (std::string& t : tokens) {
        std::size_t cut = 0;
        for (std::size_t k = 0; k < step.start && t.compare(cut, step.text.size(), step.text) == 0; ++k) cut += step.text.size();
        t.erase(0, cut);
        for (std::size_t k = 0; k < step.stop && t.size() >= step.text.size() &&
                                t.compare(t.size() - step.text.size(), step.text.size(), step.text) == 0;
             ++k)
          t.resize(t.size() - step.text.size());
      }
      break;
    }
  }
  std::string joined;
  for (const std::string& t : tokens) joined += t;
  return joined;
}

} // namespace collab::model
