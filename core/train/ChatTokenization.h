#pragma once

#include "model/ChatFormat.h"
#include "model/Tokenizer.h"
#include "train/ConversationData.h"
#include "train/TokenBatch.h"
#include "train/Trainers.h"

#include <cstddef>
#include <optional>

namespace collab::train {

// Chat data to token ids with a model's own chat template and tokenizer.
class ChatTokenization {
public:
  // `maxLength`: tokens per sequence at most.
  ChatTokenization(const model::ChatFormat& format, const model::Tokenizer& tokenizer, std::size_t maxLength)
      : format_(format), tokenizer_(tokenizer), maxLength_(maxLength) {}

  // The conversation as the template renders it, the loss on the assistant tokens only
  // (each assistant message and its end-of-turn marker: ChatFormat's assistant mask). A
  // longer one is cut on the right (as TRL truncates); nullopt when no assistant token is
  // left. Errors (a conversation the template refuses) name the row's origin.
  std::optional<TokenSequence> sft(const SftConversation& conversation) const;

  // The prompt as the template renders it with the generation prompt, and each reply as
  // the tokens that follow it in the rendered prompt + reply, up to the reply's last
  // assistant token (what comes after the end-of-turn marker, a newline, is not the
  // reply's). Too long: the prompt loses its beginning (TRL's keep_end) and then the
  // replies their end. An Error naming the origin when the template does not render the
  // prompt as a prefix of prompt + reply.
  PreferenceExample preference(const PreferenceConversation& pair) const;

private:
  std::vector<std::int64_t> reply(const std::vector<model::ChatMessage>& prompt, const std::vector<std::uint32_t>& promptIds,
                                  const conversation::Message& message, const std::string& origin) const;
  const model::ChatFormat& format_;
  const model::Tokenizer& tokenizer_;
  std::size_t maxLength_;
};

// Our messages as ChatFormat takes them ("system", "user", "assistant", "tool").
std::vector<model::ChatMessage> chatMessages(const conversation::Messages& messages);

} // namespace collab::train
