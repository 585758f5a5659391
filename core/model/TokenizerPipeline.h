#pragma once

#include "model/Bpe.h"
#include "model/SplitPattern.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

// The parts of a loaded tokenizer, in the order HF applies them. Internal to core/model.
namespace collab::model {

struct NormalizerStep {
  enum class Kind { Nfc, Prepend, Replace } kind;
  std::string text;         // Prepend: what; Replace: the pattern
  std::string replacement;  // Replace: the content
};

enum class PrependScheme { Always, First, Never };

struct PreTokenizerStep {
  enum class Kind { Split, ByteLevel, Metaspace } kind = Kind::Split;
  SplitPattern pattern = SplitPattern::Gpt2;  // Split, and ByteLevel with use_regex
  bool useRegex = false;
  bool addPrefixSpace = false;
  std::string replacement;  // Metaspace: what stands for ' ' ("▁")
  PrependScheme prepend = PrependScheme::Always;
  bool split = true;        // Metaspace: each replacement starts a new piece
};

struct DecoderStep {
  enum class Kind { ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace } kind;
  std::string text;         // Replace pattern; Strip content; Metaspace replacement
  std::string replacement;  // Replace content
  std::size_t start = 0;    // Strip
  std::size_t stop = 0;
  PrependScheme prepend = PrependScheme::Always;  // Metaspace
};

struct AddedToken {
  std::string content;
  std::uint32_t id;
  bool special;
};

struct TokenizerPipeline {
  std::string source;
  std::vector<NormalizerStep> normalizer;
  std::vector<PreTokenizerStep> preTokenizer;
  std::optional<std::vector<DecoderStep>> decoder;  // none: tokens joined by spaces

  std::optional<Bpe> bpe;                                  // BPE model
  std::unordered_map<std::string, std::uint32_t> words;    // WordLevel model
  std::optional<std::uint32_t> unkId;                      // WordLevel

  std::vector<std::string> idToToken;                      // model vocabulary and added tokens
  std::unordered_map<std::string, std::uint32_t> tokenToId;
  std::vector<std::uint32_t> tokenBytes;                   // bytes of input each model token covers
  std::vector<bool> special;

  std::vector<AddedToken> added;
  std::array<std::vector<std::uint32_t>, 256> addedByFirstByte;  // indexes into added, longest first

  bool byteLevel() const;
  void finish();  // fills the lookup tables from idToToken and added
};

} // namespace collab::model
