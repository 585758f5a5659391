#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

// The pre-tokenizer regular expressions of the byte-level BPE families, implemented by
// hand over Unicode classes (std::regex has no \p{L}). Only these exact patterns are
// recognised; any other pattern is refused by the loader rather than approximated.
namespace collab::model {

enum class SplitPattern {
  Gpt2,    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
  Llama3,  // (?i:'s|...)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
  Qwen2,   // as Llama3 with \p{N} (one digit per piece)
  Whitespace,  // \w+|[^\w\s]+ (HF's "Whitespace" pre-tokenizer); whitespace is dropped
  WhitespaceSplit,  // runs of non-whitespace
};

// The pattern whose source text is regex, or nothing when it is not one we implement.
std::optional<SplitPattern> splitPatternFromRegex(std::string_view regex);

struct ByteRange {
  std::size_t begin;
  std::size_t end;
};

// Appends the matches of pattern in text[range] to out, as absolute byte ranges.
// The text must be valid UTF-8.
void splitByPattern(SplitPattern pattern, std::string_view text, ByteRange range, std::vector<ByteRange>& out);

} // namespace collab::model
