#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace collab::model {

struct TokenizerPipeline;

// One encoded text: token ids, their vocabulary strings, and for each token the byte
// range [first, second) of the input text it came from.
struct Encoding {
  std::vector<std::uint32_t> ids;
  std::vector<std::string> tokens;
  std::vector<std::pair<std::size_t, std::size_t>> offsets;
};

// A Hugging Face tokenizer: byte-level BPE (GPT-2, Llama 3, Qwen2/3), BPE with byte
// fallback (Mistral, Llama 2) and WordLevel, loaded from `tokenizer.json` (or GPT-2's
// `encoder.json` + `vocab.bpe`). Encodes as HF `tokenizers` does with
// add_special_tokens=false: added and special tokens written in the text are matched.
// Immutable after loading; encode and decode may be called from several threads.
class Tokenizer {
public:
  // Throws collab::InputError naming the file and the JSON field for anything malformed
  // or unsupported (an unknown model, normaliser, pre-tokenizer or decoder type).
  static Tokenizer fromFile(const std::filesystem::path& tokenizerJson);
  static Tokenizer fromJsonText(std::string_view json, const std::string& source);
  static Tokenizer fromGpt2Files(const std::filesystem::path& encoderJson, const std::filesystem::path& vocabBpe);
  // Picks by what PATH is: a tokenizer.json, encoder.json (vocab.bpe beside it), or a
  // folder holding either.
  static Tokenizer fromPath(const std::filesystem::path& path);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // text must be valid UTF-8 (collab::Error otherwise).
  Encoding encode(std::string_view text) const;
  std::vector<std::uint32_t> encodeIds(std::string_view text) const;
  // As HF decode(ids, skip_special_tokens=false); an unknown id is a collab::Error.
  std::string decode(const std::vector<std::uint32_t>& ids) const;

  std::size_t vocabSize() const;
  std::optional<std::uint32_t> tokenToId(std::string_view token) const;
  const std::string& idToToken(std::uint32_t id) const;
  bool isSpecial(std::uint32_t id) const;

private:
  explicit Tokenizer(std::unique_ptr<TokenizerPipeline> pipeline);
  std::unique_ptr<TokenizerPipeline> p_;
};

} // namespace collab::model
