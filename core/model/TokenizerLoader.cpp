// Reading tokenizer.json (and GPT-2's encoder.json + vocab.bpe) into a TokenizerPipeline.
// Every type we do not implement is refused with the file and the JSON field named.

#include "model/Tokenizer.h"

#include "common/Error.h"
#include "model/ByteLevel.h"
#include "model/TokenizerPipeline.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace collab::model {

namespace {

using nlohmann::json;

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Reader {
public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError(source_, 0, "field '" + field + "': " + what);
  }
  const json& need(const json& object, const char* key, const std::string& field) const {
    if (!object.is_object()) fail(field, "expected an object");
    auto it = object.find(key);
    if (it == object.end()) fail(field + "." + key, "missing");
    return *it;
  }
  std::string string(const json& object, const char* key, const std::string& field) const {
    const json& v = need(object, key, field);
    if (!v.is_string()) fail(field + "." + key, "expected a string");
    return v.get<std::string>();
  }
  bool flag(const json& object, const char* key, const std::string& field, bool fallback) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) fail(field + "." + key, "expected true or false");
    return it->get<bool>();
  }
  std::uint32_t id(const json& v, const std::string& field) const {
    if (!v.is_number_unsigned()) fail(field, "expected a token id");
    if (v.get<std::uint64_t>() >= idLimit_)
      fail(field, "token id " + std::to_string(v.get<std::uint64_t>()) + " is too large: a file of " +
                      std::to_string(tokens_) + " tokens uses ids below " + std::to_string(idLimit_));
    return static_cast<std::uint32_t>(v.get<std::uint64_t>());
  }
  // Ids index dense tables, so they are bounded by the number of tokens the file defines
  // (model.vocab and added_tokens) plus room for unused ids: an id of 4e9 in a small file
  // would otherwise allocate 128 GB.
  void countTokens(std::size_t tokens) {
    tokens_ = tokens;
    idLimit_ = tokens + kUnusedIds;
  }
  static constexpr std::uint64_t kUnusedIds = 65536;
  const std::string& source() const { return source_; }

private:
  std::string source_;
  std::uint64_t tokens_ = 0;
  std::uint64_t idLimit_ = kUnusedIds;
};

// A Sequence may hold Sequences; real files nest one or two deep. The bound keeps a
// crafted file from recursing until the stack overflows.
constexpr int kMaxSequenceDepth = 16;

void checkDepth(const Reader& r, const std::string& field, int depth) {
  if (depth > kMaxSequenceDepth)
    r.fail(field, "Sequence nested deeper than " + std::to_string(kMaxSequenceDepth) + " levels");
}

void readNormalizer(const Reader& r, const json& n, const std::string& field, std::vector<NormalizerStep>& out,
                    int depth = 0) {
  if (n.is_null()) return;
  const std::string type = r.string(n, "type", field);
  if (type == "Sequence") {
    checkDepth(r, field, depth);
    const json& list = r.need(n, "normalizers", field);
    if (!list.is_array()) r.fail(field + ".normalizers", "expected an array");
    for (std::size_t i = 0; i < list.size(); ++i)
      readNormalizer(r, list[i], field + ".normalizers[" + std::to_string(i) + "]", out, depth + 1);
  } else if (type == "NFC") {
    out.push_back({NormalizerStep::Kind::Nfc, {}, {}});
  } else if (type == "Prepend") {
    out.push_back({NormalizerStep::Kind::Prepend, r.string(n, "prepend", field), {}});
  } else if (type == "Replace") {
    const json& pattern = r.need(n, "pattern", field);
    if (!pattern.contains("String") || !pattern["String"].is_string())
      r.fail(field + ".pattern", "only {\"String\": ...} patterns are supported");
    const std::string from = pattern["String"].get<std::string>();
    if (from.empty()) r.fail(field + ".pattern.String", "must not be empty");
    out.push_back({NormalizerStep::Kind::Replace, from, r.string(n, "content", field)});
  } else {
    r.fail(field + ".type", "unsupported normalizer '" + type + "' (supported: NFC, Prepend, Replace, Sequence)");
  }
}

PreTokenizerStep splitStep(SplitPattern pattern) {
  PreTokenizerStep step;
  step.kind = PreTokenizerStep::Kind::Split;
  step.pattern = pattern;
  step.useRegex = true;
  return step;
}

PrependScheme readPrependScheme(const Reader& r, const json& o, const std::string& field) {
  if (auto it = o.find("prepend_scheme"); it != o.end() && !it->is_null()) {
    const std::string scheme = r.string(o, "prepend_scheme", field);
    if (scheme == "always") return PrependScheme::Always;
    if (scheme == "first") return PrependScheme::First;
    if (scheme == "never") return PrependScheme::Never;
    r.fail(field + ".prepend_scheme", "expected \"always\", \"first\" or \"never\"");
  }
  return r.flag(o, "add_prefix_space", field, true) ? PrependScheme::Always : PrependScheme::Never;
}

std::string readReplacement(const Reader& r, const json& o, const std::string& field) {
  const std::string replacement = r.string(o, "replacement", field);
  if (replacement.empty()) r.fail(field + ".replacement", "must be one character");
  return replacement;
}

void readPreTokenizer(const Reader& r, const json& p, const std::string& field, std::vector<PreTokenizerStep>& out,
                      int depth = 0) {
  if (p.is_null()) return;
  const std::string type = r.string(p, "type", field);
  if (type == "Sequence") {
    checkDepth(r, field, depth);
    const json& list = r.need(p, "pretokenizers", field);
    if (!list.is_array()) r.fail(field + ".pretokenizers", "expected an array");
    for (std::size_t i = 0; i < list.size(); ++i)
      readPreTokenizer(r, list[i], field + ".pretokenizers[" + std::to_string(i) + "]", out, depth + 1);
  } else if (type == "Split") {
    const json& pattern = r.need(p, "pattern", field);
    if (!pattern.contains("Regex") || !pattern["Regex"].is_string())
      r.fail(field + ".pattern", "only {\"Regex\": ...} patterns are supported");
    const auto known = splitPatternFromRegex(pattern["Regex"].get<std::string>());
    if (!known) r.fail(field + ".pattern.Regex", "a pattern other than the GPT-2, Llama 3 and Qwen2 ones is not supported");
    if (r.string(p, "behavior", field) != "Isolated") r.fail(field + ".behavior", "only \"Isolated\" is supported");
    if (r.flag(p, "invert", field, false)) r.fail(field + ".invert", "only false is supported");
    out.push_back(splitStep(*known));
  } else if (type == "ByteLevel") {
    PreTokenizerStep step = splitStep(SplitPattern::Gpt2);
    step.kind = PreTokenizerStep::Kind::ByteLevel;
    step.useRegex = r.flag(p, "use_regex", field, true);
    step.addPrefixSpace = r.flag(p, "add_prefix_space", field, true);
    out.push_back(step);
  } else if (type == "Metaspace") {
    PreTokenizerStep step = splitStep(SplitPattern::Gpt2);
    step.kind = PreTokenizerStep::Kind::Metaspace;
    step.replacement = readReplacement(r, p, field);
    step.prepend = readPrependScheme(r, p, field);
    step.split = r.flag(p, "split", field, true);
    out.push_back(step);
  } else if (type == "Whitespace" || type == "WhitespaceSplit") {
    out.push_back(splitStep(type == "Whitespace" ? SplitPattern::Whitespace : SplitPattern::WhitespaceSplit));
  } else {
    r.fail(field + ".type",
           "unsupported pre_tokenizer '" + type +
               "' (supported: ByteLevel, Metaspace, Split, Whitespace, WhitespaceSplit, Sequence)");
  }
}

void readDecoder(const Reader& r, const json& d, const std::string& field, std::vector<DecoderStep>& out, int depth = 0) {
  const std::string type = r.string(d, "type", field);
  if (type == "Sequence") {
    checkDepth(r, field, depth);
    const json& list = r.need(d, "decoders", field);
    if (!list.is_array()) r.fail(field + ".decoders", "expected an array");
    for (std::size_t i = 0; i < list.size(); ++i)
      readDecoder(r, list[i], field + ".decoders[" + std::to_string(i) + "]", out, depth + 1);
  } else if (type == "ByteLevel") {
    out.push_back({DecoderStep::Kind::ByteLevel, {}, {}, 0, 0});
  } else if (type == "Metaspace") {
    DecoderStep step{DecoderStep::Kind::Metaspace, readReplacement(r, d, field), {}, 0, 0};
    step.prepend = readPrependScheme(r, d, field);
    out.push_back(step);
  } else if (type == "ByteFallback") {
    out.push_back({DecoderStep::Kind::ByteFallback, {}, {}, 0, 0});
  } else if (type == "Fuse") {
    out.push_back({DecoderStep::Kind::Fuse, {}, {}, 0, 0});
  } else if (type == "Replace") {
    const json& pattern = r.need(d, "pattern", field);
    if (!pattern.contains("String") || !pattern["String"].is_string() || pattern["String"].get<std::string>().empty())
      r.fail(field + ".pattern", "only non-empty {\"String\": ...} patterns are supported");
    out.push_back({DecoderStep::Kind::Replace, pattern["String"].get<std::string>(), r.string(d, "content", field), 0, 0});
  } else if (type == "Strip") {
    const std::string content = r.string(d, "content", field);
    const json& start = r.need(d, "start", field);
    const json& stop = r.need(d, "stop", field);
    if (!start.is_number_unsigned() || !stop.is_number_unsigned()) r.fail(field, "start and stop must be counts");
    out.push_back({DecoderStep::Kind::Strip, content, {}, start.get<std::size_t>(), stop.get<std::size_t>()});
  } else {
    r.fail(field + ".type",
           "unsupported decoder '" + type +
               "' (supported: ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip, Sequence)");
  }
}

// Merges as ["a b", ...] or [["a", "b"], ...].
std::pair<std::string, std::string> readMerge(const Reader& r, const json& m, const std::string& field) {
  if (m.is_string()) {
    const std::string s = m.get<std::string>();
    const std::size_t space = s.find(' ', 1);
    if (space == std::string::npos) r.fail(field, "expected \"LEFT RIGHT\"");
    return {s.substr(0, space), s.substr(space + 1)};
  }
  if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string())
    return {m[0].get<std::string>(), m[1].get<std::string>()};
  r.fail(field, "expected \"LEFT RIGHT\" or [LEFT, RIGHT]");
}

void buildBpe(const Reader& r, TokenizerPipeline& p, const json& vocab, const json& merges, BpeOptions options) {
  if (!vocab.is_object()) r.fail("model.vocab", "expected an object of token -> id");
  if (!merges.is_array()) r.fail("model.merges", "expected an array");
  std::unordered_map<std::string, std::uint32_t> keys;
  keys.reserve(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    const std::uint32_t id = r.id(it.value(), "model.vocab[\"" + it.key() + "\"]");
    if (id >= p.idToToken.size()) p.idToToken.resize(id + 1);
    if (!p.idToToken[id].empty()) r.fail("model.vocab[\"" + it.key() + "\"]", "id " + std::to_string(id) + " used twice");
    p.idToToken[id] = it.key();
    if (options.byteLevel) {
      if (auto bytes = byte_level::toBytes(it.key())) keys.emplace(std::move(*bytes), id);
    } else {
      keys.emplace(it.key(), id);
    }
  }
  std::vector<Bpe::Merge> list;
  list.reserve(merges.size());
  auto idOf = [&](const std::string& token, const std::string& field) {
    auto it = p.tokenToId.find(token);
    if (it == p.tokenToId.end()) r.fail(field, "'" + token + "' is not in model.vocab");
    return it->second;
  };
  for (std::size_t i = 0; i < p.idToToken.size(); ++i) p.tokenToId.emplace(p.idToToken[i], static_cast<std::uint32_t>(i));
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const std::string field = "model.merges[" + std::to_string(i) + "]";
    auto [left, right] = readMerge(r, merges[i], field);
    list.push_back({idOf(left, field), idOf(right, field), idOf(left + right, field)});
  }
  p.bpe.emplace(std::move(keys), list, options);
}

void readAddedTokens(const Reader& r, const json& root, TokenizerPipeline& p) {
  auto it = root.find("added_tokens");
  if (it == root.end() || it->is_null()) return;
  if (!it->is_array()) r.fail("added_tokens", "expected an array");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& t = (*it)[i];
    const std::string field = "added_tokens[" + std::to_string(i) + "]";
    const std::uint32_t id = r.id(r.need(t, "id", field), field + ".id");
    const std::string content = r.string(t, "content", field);
    if (content.empty()) r.fail(field + ".content", "must not be empty");
    for (const char* unsupported : {"lstrip", "rstrip", "single_word"})
      if (r.flag(t, unsupported, field, false)) r.fail(field + "." + unsupported, "only false is supported");
    if (r.flag(t, "normalized", field, false) && !p.normalizer.empty())
      r.fail(field + ".normalized", "normalized added tokens with a normalizer are not supported");
    p.added.push_back({content, id, r.flag(t, "special", field, false)});
  }
}

} // namespace

Tokenizer Tokenizer::fromJsonText(std::string_view text, const std::string& source) {
  Reader r(source);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number like 1e400
    throw InputError(source, 0, std::string("not valid JSON: ") + e.what());
  }
  if (!root.is_object()) r.fail("(root)", "expected an object");
  {
    std::size_t tokens = 0;
    if (auto model = root.find("model"); model != root.end() && model->is_object())
      if (auto vocab = model->find("vocab"); vocab != model->end() && vocab->is_object()) tokens += vocab->size();
    if (auto added = root.find("added_tokens"); added != root.end() && added->is_array()) tokens += added->size();
    r.countTokens(tokens);
  }
  auto p = std::make_unique<TokenizerPipeline>();
  p->source = source;
  if (auto it = root.find("normalizer"); it != root.end()) readNormalizer(r, *it, "normalizer", p->normalizer);
  if (auto it = root.find("pre_tokenizer"); it != root.end()) readPreTokenizer(r, *it, "pre_tokenizer", p->preTokenizer);
  // A step that adds a prefix is applied to the whole text, so it must come first.
  for (std::size_t i = 1; i < p->preTokenizer.size(); ++i) {
    const PreTokenizerStep& step = p->preTokenizer[i];
    if (step.kind == PreTokenizerStep::Kind::Metaspace ||
        (step.kind == PreTokenizerStep::Kind::ByteLevel && step.addPrefixSpace))
      r.fail("pre_tokenizer", "a Metaspace step, or a ByteLevel step with add_prefix_space, is supported only first");
  }
  if (auto it = root.find("decoder"); it != root.end() && !it->is_null()) {
    p->decoder.emplace();
    readDecoder(r, *it, "decoder", *p->decoder);
  }
  const json& model = r.need(root, "model", "(root)");
  const std::string type = model.contains("type") ? r.string(model, "type", "model") : std::string("BPE");
  if (type == "BPE") {
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
      if (auto it = model.find(key); it != model.end() && !it->is_null() && !(it->is_string() && it->get<std::string>().empty()))
        r.fail(std::string("model.") + key, "a non-empty value is not supported");
    if (auto it = model.find("dropout"); it != model.end() && !it->is_null() && !(it->is_number() && it->get<double>() == 0.0))
      r.fail("model.dropout", "BPE dropout is not supported (encoding would not be deterministic)");
    BpeOptions options;
    options.byteLevel = p->byteLevel();
    options.byteFallback = r.flag(model, "byte_fallback", "model", false);
    options.ignoreMerges = r.flag(model, "ignore_merges", "model", false);
    options.fuseUnk = r.flag(model, "fuse_unk", "model", false);
    const json& vocab = r.need(model, "vocab", "model");
    if (auto it = model.find("unk_token"); it != model.end() && !it->is_null()) {
      const std::string unk = r.string(model, "unk_token", "model");
      if (!vocab.is_object() || !vocab.contains(unk)) r.fail("model.unk_token", "'" + unk + "' is not in model.vocab");
      options.unkId = r.id(vocab[unk], "model.vocab[\"" + unk + "\"]");
    }
    buildBpe(r, *p, vocab, r.need(model, "merges", "model"), options);
  } else if (type == "WordLevel") {
    const json& vocab = r.need(model, "vocab", "model");
    if (!vocab.is_object()) r.fail("model.vocab", "expected an object of token -> id");
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
      const std::uint32_t id = r.id(it.value(), "model.vocab[\"" + it.key() + "\"]");
      if (id >= p->idToToken.size()) p->idToToken.resize(id + 1);
      p->idToToken[id] = it.key();
      p->words.emplace(it.key(), id);
    }
    if (auto it = model.find("unk_token"); it != model.end() && !it->is_null()) {
      auto found = p->words.find(r.string(model, "unk_token", "model"));
      if (found == p->words.end()) r.fail("model.unk_token", "not in model.vocab");
      p->unkId = found->second;
    }
  } else {
    r.fail("model.type", "unsupported model '" + type + "' (supported: BPE, WordLevel)");
  }
  readAddedTokens(r, root, *p);
  p->finish();
  return Tokenizer(std::move(p));
}

Tokenizer Tokenizer::fromFile(const std::filesystem::path& tokenizerJson) {
  return fromJsonText(readAll(tokenizerJson), tokenizerJson.string());
}

// GPT-2's original files, configured as HF's GPT2TokenizerFast: byte-level BPE with the
// GPT-2 pattern, the byte-level decoder, and <|endoftext|> as a special token.
Tokenizer Tokenizer::fromGpt2Files(const std::filesystem::path& encoderJson, const std::filesystem::path& vocabBpe) {
  json encoder;
  try {
    encoder = json::parse(readAll(encoderJson));
  } catch (const json::exception& e) {
    throw InputError(encoderJson.string(), 0, std::string("not valid JSON: ") + e.what());
  }
  std::istringstream lines(readAll(vocabBpe));
  json merges = json::array();
  std::string line;
  std::size_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (number == 1 && line.rfind("#version", 0) == 0)) continue;
    if (line.find(' ') == std::string::npos) throw InputError(vocabBpe.string(), number, "expected \"LEFT RIGHT\"");
    merges.push_back(line);
  }
  json root = {
      {"model", {{"type", "BPE"}, {"vocab", std::move(encoder)}, {"merges", std::move(merges)}}},
      {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
      {"decoder", {{"type", "ByteLevel"}}},
  };
  if (root["model"]["vocab"].contains("<|endoftext|>"))
    root["added_tokens"] = json::array({{{"id", root["model"]["vocab"]["<|endoftext|>"]},
                                         {"content", "<|endoftext|>"},
                                         {"special", true}}});
  return fromJsonText(root.dump(), encoderJson.string());
}

Tokenizer Tokenizer::fromPath(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  if (fs::is_directory(path)) {
    if (fs::exists(path / "tokenizer.json")) return fromFile(path / "tokenizer.json");
    if (fs::exists(path / "encoder.json")) return fromGpt2Files(path / "encoder.json", path / "vocab.bpe");
    throw InputError(path.string(), 0, "holds neither tokenizer.json nor encoder.json + vocab.bpe");
  }
  if (path.filename() == "encoder.json") return fromGpt2Files(path, path.parent_path() / "vocab.bpe");
  return fromFile(path);
}

} // namespace collab::model
