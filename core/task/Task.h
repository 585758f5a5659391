#pragma once

#include <map>
#include <string>
#include <vector>

namespace collab::task {

// One thing the user wants but does not say at first (the audience of a note, the rate
// of a loan...). The assistant can only learn it by asking about it: `cues` are the
// words a question must contain for a simulated user to answer it.
struct GoalAttribute {
  std::string key;
  std::string value;
  std::string description;       // "who the note is for"
  std::vector<std::string> cues; // "who", "audience", "for whom"...
  // How the user states it when asked, e.g. "It's for the backend team, 12 engineers."
  std::string answer;
  // The same statement with another value ("It's for the sales team."): what a user who
  // misremembers, or has not made up their mind yet, says instead.
  std::vector<std::string> wrongAnswers;
};

// A task: what the user first says, and the hidden goal behind it.
struct TaskInstance {
  std::string id;     // "<family>/<seed>/<index>": the same id is the same task everywhere
  std::string family; // "documents", "math", "code", a plugin's name
  std::string split;  // "train" or "test"
  std::string firstUserMessage;
  std::vector<GoalAttribute> goal;
  std::string reference; // the artefact that fully meets the goal (document, answer, code)
  std::string metric;    // "bleu", "accuracy", "pass_rate"

  const GoalAttribute* attribute(const std::string& key) const;
  std::map<std::string, std::string> goalValues() const;
};

// A task metric on a final artefact, in [0, 1], with a word on how it was reached.
struct TaskScore {
  double value = 0.0;
  std::string detail;
};

} // namespace collab::task
