#include "TextStreamer.h"

#include <algorithm>

namespace collab::cli {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

bool endsWith(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

} // namespace

TextStreamer::TextStreamer(Decode decode, std::vector<std::string> stopStrings)
    : decode_(std::move(decode)), stopStrings_(std::move(stopStrings)) {}

// How many bytes at the end of `text` must wait for the next token.
std::size_t TextStreamer::holdBack(const std::string& text) const {
  std::size_t keep = 0;
  while (endsWith(std::string_view(text).substr(0, text.size() - keep), kReplacement)) keep += kReplacement.size();
  for (const std::string& stop : stopStrings_)
    for (std::size_t n = std::min(stop.size() - (stop.empty() ? 0 : 1), text.size()); n > keep; --n)
      if (text.compare(text.size() - n, n, stop, 0, n) == 0) {
        keep = n;
        break;
      }
  return keep;
}

std::string TextStreamer::push(std::int64_t token) {
  tokens_.push_back(token);
  std::string text = decode_(tokens_);
  // The token that completes a stop string ends the sequence; the stop string is not text.
  for (const std::string& stop : stopStrings_)
    if (!stop.empty()) text.resize(std::min(text.size(), text.find(stop)));
  const std::size_t ready = text.size() - holdBack(text);
  if (ready <= printed_) return {};
  std::string out = text.substr(printed_, ready - printed_);
  printed_ = ready;
  return out;
}

std::string TextStreamer::finish(const std::string& finalText) {
  if (finalText.size() <= printed_) return {};
  std::string out = finalText.substr(printed_);
  printed_ = finalText.size();
  return out;
}

} // namespace collab::cli
