#include "task/DocumentFamily.h"

#include "reward/SentenceBleu.h"
#include "task/DocumentTables.h"
#include "task/Fill.h"
#include "task/SeededRandom.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>

namespace collab::task {

namespace {

using namespace documents;

// What one document says, whoever writes it.
struct DocumentSpec {
  const Topic* topic;
  std::string audience;
  const Tone* tone;
  const Length* length;
  std::string fact; // empty when the writer does not know it
};

std::string compose(const DocumentSpec& spec, SeededRandom& style) {
  std::string text = fill(style.pick(spec.tone->openings), {{"audience", spec.audience}}) + "\n\n";
  text += spec.fact.empty() ? fill("Here is an update about {subject}.", {{"subject", spec.topic->subject}})
                            : fill(style.pick(spec.tone->leads), {{"subject", spec.topic->subject}, {"fact", spec.fact}});
  const auto& details = spec.topic->details;
  const std::size_t first = style.below(details.size());
  for (int i = 0; i < spec.length->sentences; ++i) text += " " + details[(first + static_cast<std::size_t>(i)) % details.size()];
  return text + "\n\n" + style.pick(spec.tone->closings);
}

const Tone* toneNamed(const std::string& name) {
  for (const Tone& tone : tones())
    if (tone.name == name) return &tone;
  return &tones().front();
}

const Length* lengthNamed(const std::string& name) {
  for (const Length& length : lengths())
    if (length.name == name) return &length;
  return &lengths()[1];
}

// Table rows are compared by address (`current` points into the table), copied strings by value.
template <class T>
bool sameValue(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, std::string>) return a == b;
  else return &a == &b;
}

// The statements of the values next to `current` in `all` (the wrong answers of a goal attribute).
template <class T, class Say>
std::vector<std::string> othersThan(const std::vector<T>& all, const T& current, Say say) {
  std::vector<std::string> statements;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (&all[i] == &current || sameValue(all[i], current)) {
      for (const std::size_t next : {i + 1, i + all.size() - 1})
        if (all.size() > 1 && statements.size() < 2) statements.push_back(say(all[next % all.size()]));
      break;
    }
  return statements;
}

bool knows(const std::vector<std::string>& known, const std::string& key) {
  return std::find(known.begin(), known.end(), key) != known.end();
}

} // namespace

TaskInstance DocumentFamily::generate(std::uint64_t seed, std::uint64_t index) const {
  SeededRandom rng = SeededRandom::forItem(seed, index, 0xD0C);
  DocumentSpec spec{&rng.pick(topics()), rng.pick(audiences()), &rng.pick(tones()), &rng.pick(lengths()), ""};
  spec.fact = rng.pick(spec.topic->facts);

  TaskInstance task;
  task.id = taskId(name(), seed, index);
  task.family = name();
  task.split = splitFor(seed, index);
  task.metric = metric();
  const std::vector<std::string> asks = {"Can you write a short {kind} about {subject}?", "I need a {kind} about {subject}.",
                                         "Please draft a {kind} on {subject}."};
  task.firstUserMessage = fill(rng.pick(asks), {{"kind", spec.topic->kind}, {"subject", spec.topic->subject}});
  auto audienceAnswer = [](const std::string& audience) { return "It's for " + audience + "."; };
  auto toneAnswer = [](const Tone& tone) { return "Make it " + tone.name + "."; };
  auto factAnswer = [](const std::string& fact) { return "It must say that " + fact + "."; };
  task.goal = {
      {"audience", spec.audience, "who the document is for",
       {"who", "audience", "for whom", "reader", "recipient", "addressed"}, audienceAnswer(spec.audience),
       othersThan(audiences(), spec.audience, audienceAnswer)},
      {"tone", spec.tone->name, "the tone it should have",
       {"tone", "style", "formal", "casual", "friendly", "voice"}, toneAnswer(*spec.tone),
       othersThan(tones(), *spec.tone, toneAnswer)},
      {"length", spec.length->name, "how long it should be",
       {"long", "length", "short", "how many", "words", "sentences"}, spec.length->answer,
       othersThan(lengths(), *spec.length, [](const Length& length) { return length.answer; })},
      {"fact", spec.fact, "what it must mention",
       {"detail", "include", "mention", "when", "date", "key information", "what should"}, factAnswer(spec.fact),
       othersThan(spec.topic->facts, spec.fact, factAnswer)},
  };
  SeededRandom style = SeededRandom::forItem(seed, index, 0x5791E);
  task.reference = compose(spec, style);
  return task;
}

std::string DocumentFamily::extractArtefact(const conversation::Messages& conversation) const {
  for (auto it = conversation.rbegin(); it != conversation.rend(); ++it)
    if (it->role == conversation::Role::Assistant) return it->content;
  return "";
}

TaskScore DocumentFamily::score(const TaskInstance& task, const std::string& artefact) const {
  const double bleu = reward::charBleu(task.reference, artefact);
  char detail[64];
  std::snprintf(detail, sizeof detail, "character BLEU-4 %.4f against the reference", bleu);
  return {bleu, detail};
}

bool DocumentFamily::meetsGoal(const TaskInstance& task, const std::string& artefact, const TaskScore&) const {
  const auto goal = task.goalValues();
  if (artefact.find(goal.at("audience")) == std::string::npos || artefact.find(goal.at("fact")) == std::string::npos)
    return false;
  const Tone* tone = toneNamed(goal.at("tone"));
  const std::string firstLine = artefact.substr(0, artefact.find('\n'));
  const bool toneMatches = std::any_of(tone->openings.begin(), tone->openings.end(), [&](const std::string& opening) {
    return fill(opening, {{"audience", goal.at("audience")}}) == firstLine;
  });
  // Body sentences after the lead: the paragraph between the opening and the closing.
  const std::size_t bodyStart = artefact.find("\n\n"), bodyEnd = artefact.rfind("\n\n");
  if (!toneMatches || bodyStart == std::string::npos || bodyEnd <= bodyStart) return false;
  const std::string body = artefact.substr(bodyStart + 2, bodyEnd - bodyStart - 2);
  const auto sentences = std::count(body.begin(), body.end(), '.') + std::count(body.begin(), body.end(), '!');
  return sentences == 1 + lengthNamed(goal.at("length"))->sentences;
}

// The writer knows the attributes in `known`; for the others it guesses, as an assistant
// that answers at once must.
std::string DocumentFamily::writeArtefact(const TaskInstance& task, const std::vector<std::string>& known,
                                          std::uint64_t styleSeed) const {
  SeededRandom guess(styleSeed ^ 0x6E55);
  const auto goal = task.goalValues();
  const Topic* topic = nullptr;
  for (const Topic& t : topics())
    if (task.firstUserMessage.find(t.subject) != std::string::npos) topic = &t;
  if (!topic) return "";
  DocumentSpec spec{topic,
                    knows(known, "audience") ? goal.at("audience") : std::string("everyone"),
                    knows(known, "tone") ? toneNamed(goal.at("tone")) : &guess.pick(tones()),
                    knows(known, "length") ? lengthNamed(goal.at("length")) : lengthNamed("medium"),
                    knows(known, "fact") ? goal.at("fact") : std::string()};
  SeededRandom style(styleSeed);
  return compose(spec, style);
}

} // namespace collab::task
