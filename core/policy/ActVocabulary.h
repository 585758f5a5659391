#pragma once

#include "conversation/Message.h"
#include "policy/DialogueAct.h"
#include "task/Task.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace collab::policy {

// The built-in policy's vocabulary: structure words (<bos>, user, assistant, said,
// needs...), the act words (ask, chat, answer, <eos>), every goal attribute key of the
// suite, and the words users say most often. It is a WordLevel tokenizer and is saved as
// the checkpoint's tokenizer.json, so a trained policy carries its own vocabulary.
//
// What the policy reads of a conversation (its observation), as words:
//   <bos> documents needs audience tone length fact
//   user said topic <words of the first message>
//   assistant ask tone length <eos> user said tone length <words> ... assistant
// and it writes the act after the final "assistant", ended by <eos>.
class ActVocabulary {
public:
  static constexpr std::int64_t kPad = 0;

  // From attribute keys and sample user messages (the most frequent words are kept).
  static ActVocabulary build(const std::vector<std::string>& attributeKeys,
                             const std::vector<std::string>& userMessages, std::size_t maxWords = 160);
  static ActVocabulary fromTokenizerJson(const std::string& path);
  void writeTokenizerJson(const std::string& path) const;

  std::int64_t size() const { return static_cast<std::int64_t>(words_.size()); }
  std::int64_t id(const std::string& word) const; // <unk> when absent
  const std::string& word(std::int64_t id) const;
  std::int64_t eos() const { return id("<eos>"); }

  // The observation up to and including the final "assistant", and for each token
  // whether it is part of an assistant act (the SFT targets).
  struct Encoded {
    std::vector<std::int64_t> ids;
    std::vector<std::uint8_t> actTokens;
  };
  Encoded encode(const task::TaskInstance& task, const conversation::Messages& conversation) const;
  std::vector<std::int64_t> encodeAct(const DialogueAct& act) const; // with <eos>
  // The act written by generated ids (up to <eos>); ill-formed output is a Chat act, a
  // question about nothing: a bad act the rewards punish, never a silent "answer".
  DialogueAct decodeAct(const std::vector<std::int64_t>& ids) const;

private:
  void add(const std::string& word);
  std::vector<std::string> words_;
  std::map<std::string, std::int64_t> ids_;
};

// Lower-case alphabetic words of a message, in order.
std::vector<std::string> wordsOf(const std::string& text);

} // namespace collab::policy
