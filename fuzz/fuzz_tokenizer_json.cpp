// libFuzzer target: Tokenizer::fromJsonText on arbitrary bytes and, when they load, a
// round of encoding and decoding, since a loader that accepts a tokenizer it cannot run
// is as wrong as one that crashes. A non-standard top-level string "fuzz_text" (ignored by
// the loader) is encoded too, so the fuzzer can vary the text as well as the tokenizer.
//
// Refusing the file with collab::InputError, or refusing a text or id with collab::Error,
// is the expected outcome; any other exception or a sanitizer report is a bug.

#include "common/Error.h"
#include "model/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Texts that reach every pre-tokenizer branch: letters, digits, punctuation, runs of
// spaces and newlines, contractions, a decomposed é (NFC), CJK, an emoji, look-alikes
// of added tokens, and the metaspace character itself.
const char* const kTexts[] = {
    "Hello, world! It's 2024... ok?\n\n  done  ",
    "e\xCC\x81t\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 <s></s><|endoftext|><eos>",
    "\xE2\x96\x81 a\tb\r\nc   12345 __init__ <0x41>",
    " ",
    "",
};

void exercise(const collab::model::Tokenizer& tokenizer, std::string_view text) {
  try {
    const auto encoding = tokenizer.encode(text);
    if (encoding.ids.size() != encoding.tokens.size() || encoding.ids.size() != encoding.offsets.size()) std::abort();
    for (const auto& [begin, end] : encoding.offsets)
      if (begin > end || end > text.size()) {
        std::fprintf(stderr, "offset [%zu, %zu) outside the %zu-byte text\n", begin, end, text.size());
        std::abort();
      }
    if (tokenizer.encodeIds(text) != encoding.ids) std::abort();
    (void)tokenizer.decode(encoding.ids);
  } catch (const collab::Error&) {
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using collab::model::Tokenizer;
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  std::optional<Tokenizer> loaded;
  try {
    loaded.emplace(Tokenizer::fromJsonText(json, "fuzz/tokenizer.json"));
  } catch (const collab::InputError&) {
    return 0;  // the documented way to refuse a file
  }
  const Tokenizer& tokenizer = *loaded;
  for (const char* text : kTexts) exercise(tokenizer, text);
  // Parsed a second time only when there is a text to find: parsing is most of the cost.
  const auto root = json.find("fuzz_text") == std::string_view::npos ? nlohmann::json()
                                                                     : nlohmann::json::parse(json, nullptr, false);
  if (root.is_object())
    if (auto it = root.find("fuzz_text"); it != root.end() && it->is_string())
      exercise(tokenizer, it->get_ref<const std::string&>());
  std::vector<std::uint32_t> ids;
  for (std::uint32_t id = 0; id < tokenizer.vocabSize() && id < 512; ++id) {
    ids.push_back(id);
    (void)tokenizer.isSpecial(id);
    const std::string& token = tokenizer.idToToken(id);
    if (!token.empty() && !tokenizer.tokenToId(token)) std::abort();
  }
  try {
    (void)tokenizer.decode(ids);
  } catch (const collab::Error&) {
  }
  return 0;
}
