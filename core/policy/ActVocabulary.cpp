#include "policy/ActVocabulary.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "simulate/ConversationFacts.h"
#include "simulate/UserSimulator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

namespace collab::policy {

namespace {

const std::vector<std::string> kStructure = {"<pad>", "<unk>", "<bos>", "<eos>", "user", "assistant", "said",
                                             "needs", "ask", "chat", "answer", "leaves"};
constexpr std::size_t kWordsPerUserTurn = 12;

} // namespace

std::vector<std::string> wordsOf(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!current.empty()) words.push_back(std::move(current)), current.clear();
  }
  if (!current.empty()) words.push_back(current);
  return words;
}

void ActVocabulary::add(const std::string& word) {
  if (ids_.count(word)) return;
  ids_[word] = static_cast<std::int64_t>(words_.size());
  words_.push_back(word);
}

ActVocabulary ActVocabulary::build(const std::vector<std::string>& attributeKeys,
                                   const std::vector<std::string>& userMessages, std::size_t maxWords) {
  ActVocabulary v;
  for (const auto& word : kStructure) v.add(word);
  for (const auto& family : {"documents", "math", "code"}) v.add(family);
  std::set<std::string> keys(attributeKeys.begin(), attributeKeys.end());
  for (const auto& key : keys) v.add(key);
  std::map<std::string, std::size_t> counts;
  for (const auto& message : userMessages)
    for (const auto& word : wordsOf(message)) ++counts[word];
  std::vector<std::pair<std::size_t, std::string>> frequent;
  for (const auto& [word, count] : counts) frequent.emplace_back(count, word);
  std::sort(frequent.begin(), frequent.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (std::size_t i = 0; i < frequent.size() && i < maxWords; ++i) v.add(frequent[i].second);
  return v;
}

std::int64_t ActVocabulary::id(const std::string& word) const {
  const auto it = ids_.find(word);
  return it == ids_.end() ? ids_.at("<unk>") : it->second;
}

const std::string& ActVocabulary::word(std::int64_t id) const {
  if (id < 0 || id >= size()) return words_.at(1);
  return words_[static_cast<std::size_t>(id)];
}

ActVocabulary::Encoded ActVocabulary::encode(const task::TaskInstance& task,
                                             const conversation::Messages& conversation) const {
  Encoded out;
  auto push = [&](const std::string& word, bool act = false) {
    out.ids.push_back(id(word));
    out.actTokens.push_back(act ? 1 : 0);
  };
  push("<bos>");
  push(task.family);
  push("needs");
  for (const auto& attribute : task.goal) push(attribute.key);
  std::set<std::string> known;
  conversation::Messages prefix;
  for (const auto& message : conversation) {
    prefix.push_back(message);
    if (message.role == conversation::Role::User) {
      push("user");
      for (const auto& key : simulate::revealedAttributes(task, prefix))
        if (known.insert(key).second) push("said"), push(key);
      std::size_t kept = 0;
      for (const auto& w : wordsOf(message.content))
        if (ids_.count(w) && kept++ < kWordsPerUserTurn) push(w);
      if (message.content.find(simulate::kTerminateChat) != std::string::npos) push("leaves");
    } else if (message.role == conversation::Role::Assistant) {
      push("assistant");
      for (std::int64_t token : encodeAct(readAct(task, message.content))) {
        out.ids.push_back(token);
        out.actTokens.push_back(1);
      }
    }
  }
  push("assistant");
  return out;
}

std::vector<std::int64_t> ActVocabulary::encodeAct(const DialogueAct& act) const {
  const char* kind = act.kind == DialogueAct::Kind::Ask ? "ask" : act.kind == DialogueAct::Kind::Chat ? "chat" : "answer";
  std::vector<std::int64_t> ids = {id(kind)};
  for (const auto& key : act.keys) ids.push_back(id(key));
  ids.push_back(eos());
  return ids;
}

DialogueAct ActVocabulary::decodeAct(const std::vector<std::int64_t>& ids) const {
  if (ids.empty()) return {DialogueAct::Kind::Chat, {}};
  const std::string& first = word(ids.front());
  if (first == "answer") return {DialogueAct::Kind::Answer, {}};
  if (first != "ask") return {DialogueAct::Kind::Chat, {}};
  DialogueAct act{DialogueAct::Kind::Ask, {}};
  for (std::size_t i = 1; i < ids.size() && ids[i] != eos(); ++i)
    if (std::find(act.keys.begin(), act.keys.end(), word(ids[i])) == act.keys.end()) act.keys.push_back(word(ids[i]));
  if (act.keys.empty()) return {DialogueAct::Kind::Chat, {}};
  return act;
}

void ActVocabulary::writeTokenizerJson(const std::string& path) const {
  nlohmann::json vocab = nlohmann::json::object();
  for (std::size_t i = 0; i < words_.size(); ++i) vocab[words_[i]] = i;
  nlohmann::json added = nlohmann::json::array();
  for (const char* special : {"<pad>", "<unk>", "<bos>", "<eos>"})
    added.push_back({{"id", id(special)}, {"content", special}, {"special", true}, {"single_word", false},
                     {"lstrip", false}, {"rstrip", false}, {"normalized", false}});
  const nlohmann::json tokenizer = {
      {"version", "1.0"},
      {"added_tokens", added},
      {"normalizer", nullptr},
      {"pre_tokenizer", {{"type", "WhitespaceSplit"}}},
      {"model", {{"type", "WordLevel"}, {"vocab", vocab}, {"unk_token", "<unk>"}}},
      {"decoder", nullptr},
  };
  writeFileAtomically(path, tokenizer.dump(1) + "\n");
}

ActVocabulary ActVocabulary::fromTokenizerJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open");
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.contains("model") || json["model"].value("type", "") != "WordLevel")
    throw InputError(path, 0, "expected a WordLevel tokenizer.json (the built-in policy's vocabulary)");
  std::vector<std::pair<std::int64_t, std::string>> entries;
  for (const auto& [word, id] : json["model"]["vocab"].items()) entries.emplace_back(id.get<std::int64_t>(), word);
  std::sort(entries.begin(), entries.end());
  ActVocabulary v;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].first != static_cast<std::int64_t>(i)) throw InputError(path, 0, "vocabulary ids are not 0..n-1");
    v.add(entries[i].second);
  }
  for (const auto& word : kStructure)
    if (!v.ids_.count(word)) throw InputError(path, 0, "not a built-in policy vocabulary: no \"" + word + "\" token");
  return v;
}

} // namespace collab::policy
