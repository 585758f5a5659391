#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace collab::cli {

// Turns one sequence's tokens, as they are drawn, into text that is safe to print now: it
// holds back a trailing U+FFFD (an incomplete UTF-8 character the next token may finish)
// and any ending that could be the start of a stop string, so that what was printed is
// always a prefix of the final text. The decoder is the whole-sequence decode (HF's
// TextStreamer does the same: decoding token by token breaks characters and spaces).
class TextStreamer {
public:
  using Decode = std::function<std::string(const std::vector<std::int64_t>&)>;
  TextStreamer(Decode decode, std::vector<std::string> stopStrings);

  // The text that became printable with this token.
  std::string push(std::int64_t token);
  // The rest of `finalText` (the sequence's whole text) once the sequence has ended.
  std::string finish(const std::string& finalText);

private:
  std::size_t holdBack(const std::string& text) const;

  Decode decode_;
  std::vector<std::string> stopStrings_;
  std::vector<std::int64_t> tokens_;
  std::size_t printed_ = 0;
};

} // namespace collab::cli
