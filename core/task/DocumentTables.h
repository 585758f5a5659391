#pragma once

// The vocabulary the document tasks are made of: what a document is about, and how
// each tone opens, states and closes it. Two phrasings each, so that a writer who knows
// the goal still words it differently from the reference.

#include <string>
#include <vector>

namespace collab::task::documents {

struct Topic {
  std::string kind;    // "announcement", "reminder"...
  std::string subject; // "the new on-call rotation"
  std::vector<std::string> facts;   // what must be mentioned; one is the hidden goal
  std::vector<std::string> details; // sentences any version may use
};

struct Tone {
  std::string name;
  std::vector<std::string> openings; // {audience}
  std::vector<std::string> leads;    // {subject}, {fact}
  std::vector<std::string> closings;
};

struct Length {
  std::string name;
  int sentences; // body sentences after the lead
  std::string answer;
};

const std::vector<Topic>& topics();
const std::vector<Tone>& tones();
const std::vector<std::string>& audiences();
const std::vector<Length>& lengths();

} // namespace collab::task::documents
