#include "train/ChatTokenization.h"

#include "common/Error.h"

#include <algorithm>

namespace collab::train {

std::vector<model::ChatMessage> chatMessages(const conversation::Messages& messages) {
  std::vector<model::ChatMessage> out;
  out.reserve(messages.size());
  for (const auto& m : messages) out.push_back({std::string(conversation::toString(m.role)), m.content});
  return out;
}

std::optional<TokenSequence> ChatTokenization::sft(const SftConversation& conversation) const {
  model::ChatEncoding encoding;
  try {
    encoding = format_.encode(tokenizer_, chatMessages(conversation.messages));
  } catch (const Error& e) {
    throw Error(conversation.origin + ": " + e.what());
  }
  const std::size_t length = std::min(encoding.ids.size(), maxLength_);
  TokenSequence s;
  s.ids.assign(encoding.ids.begin(), encoding.ids.begin() + static_cast<long>(length));
  s.target.assign(encoding.assistantMask.begin(), encoding.assistantMask.begin() + static_cast<long>(length));
  // The first token is never predicted: a target there would count nothing.
  if (s.ids.size() < 2 || std::none_of(s.target.begin() + 1, s.target.end(), [](std::uint8_t t) { return t != 0; }))
    return std::nullopt;
  return s;
}

std::vector<std::int64_t> ChatTokenization::reply(const std::vector<model::ChatMessage>& prompt,
                                                  const std::vector<std::uint32_t>& promptIds,
                                                  const conversation::Message& message, const std::string& origin) const {
  std::vector<model::ChatMessage> whole = prompt;
  whole.push_back({std::string(conversation::toString(message.role)), message.content});
  const model::ChatEncoding encoding = format_.encode(tokenizer_, whole);
  if (encoding.ids.size() <= promptIds.size() || !std::equal(promptIds.begin(), promptIds.end(), encoding.ids.begin()))
    throw Error(origin + ": the chat template does not render the prompt (with its generation prompt) as the beginning "
                         "of prompt + reply, so the reply's tokens cannot be told apart");
  std::size_t end = encoding.ids.size();
  while (end > promptIds.size() && !encoding.assistantMask[end - 1]) --end;
  if (end == promptIds.size()) throw Error(origin + ": a reply with no assistant token (an empty reply?)");
  return {encoding.ids.begin() + static_cast<long>(promptIds.size()), encoding.ids.begin() + static_cast<long>(end)};
}

PreferenceExample ChatTokenization::preference(const PreferenceConversation& pair) const {
  const std::vector<model::ChatMessage> prompt = chatMessages(pair.prompt);
  PreferenceExample example;
  try {
    model::ChatOptions options;
    options.addGenerationPrompt = true;
    const std::vector<std::uint32_t> promptIds = format_.encode(tokenizer_, prompt, options).ids;
    example.prompt.assign(promptIds.begin(), promptIds.end());
    example.chosen = reply(prompt, promptIds, pair.chosen, pair.origin);
    example.rejected = reply(prompt, promptIds, pair.rejected, pair.origin);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    const std::string what = e.what();
    throw Error(what.rfind(pair.origin, 0) == 0 ? what : pair.origin + ": " + what);
  }
  const std::size_t longest = std::max(example.chosen.size(), example.rejected.size());
  if (example.prompt.size() + longest > maxLength_) {
    // Keep the prompt's end (what the reply answers), then cut the replies if still too long.
    const std::size_t keep = longest >= maxLength_ ? 1 : maxLength_ - longest;
    if (example.prompt.size() > keep) example.prompt.erase(example.prompt.begin(), example.prompt.end() - static_cast<long>(keep));
    const std::size_t room = maxLength_ - example.prompt.size();
    if (example.chosen.size() > room) example.chosen.resize(room);
    if (example.rejected.size() > room) example.rejected.resize(room);
  }
  return example;
}

} // namespace collab::train
