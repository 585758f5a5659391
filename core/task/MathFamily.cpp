#include "task/MathFamily.h"

#include "task/Fill.h"
#include "task/SeededRandom.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

namespace collab::task {

namespace {

using Values = std::map<std::string, double>;

// One number the user knows: its range (low + step * k) and how it is asked and told.
struct Variable {
  std::string key;
  double low, step;
  int steps;
  std::string description;
  std::vector<std::string> cues;
  std::string answer; // "{value}" is the number
};

struct Problem {
  std::string question;
  std::vector<Variable> variables;
  int decimals;
  std::string unit;
  std::function<double(const Values&)> solve;
};

double annuityPayment(const Values& v) {
  const double r = v.at("rate") / 1200.0, n = v.at("months"), p = v.at("principal");
  return r == 0 ? p / n : p * r / (1 - std::pow(1 + r, -n));
}

double tilesNeeded(const Values& v) {
  const double tile = v.at("tile") / 100.0;
  const double base = std::ceil(v.at("width") * v.at("length") / (tile * tile) - 1e-9);
  return std::ceil(base * (1 + v.at("waste") / 100.0) - 1e-9);
}

double savings(const Values& v) {
  const double r = v.at("rate") / 1200.0, n = v.at("years") * 12, d = v.at("deposit");
  return r == 0 ? d * n : d * (std::pow(1 + r, n) - 1) / r;
}

const std::vector<Problem>& problems() {
  static const std::vector<Problem> all = {
      {"What's the monthly payment on my loan?",
       {{"principal", 5000, 500, 71, "the amount borrowed", {"amount", "principal", "borrow", "how much"}, "I'm borrowing {value}."},
        {"rate", 2, 0.5, 21, "the annual interest rate", {"rate", "interest", "apr", "percent"}, "The rate is {value}% a year."},
        {"months", 12, 12, 6, "the term in months", {"term", "months", "years", "how long", "duration"}, "It runs for {value} months."}},
       2, "per month", annuityPayment},
      {"How many tiles do I need for my floor?",
       {{"width", 1.5, 0.1, 36, "the floor's width in metres", {"width", "dimensions", "size", "wide", "measure"}, "It's {value} m wide."},
        {"length", 1.5, 0.1, 36, "the floor's length in metres", {"length", "dimensions", "size", "long", "measure"}, "It's {value} m long."},
        {"tile", 20, 10, 5, "the tile side in cm", {"tile size", "tiles", "tile"}, "The tiles are {value} cm square."},
        {"waste", 5, 5, 3, "the extra percentage for cuts", {"extra", "waste", "spare", "breakage"}, "Add {value}% extra."}},
       0, "tiles", tilesNeeded},
      {"How long will my drive take, in minutes?",
       {{"distance", 50, 10, 56, "the distance in km", {"distance", "far", "km", "kilometres"}, "It's {value} km."},
        {"speed", 60, 5, 13, "the average speed in km/h", {"speed", "fast", "km/h"}, "I average {value} km/h."},
        {"stops", 0, 1, 5, "the number of stops", {"stops", "breaks", "stop"}, "I'll make {value} stops."},
        {"stop_minutes", 10, 5, 5, "minutes per stop", {"stops", "breaks", "minutes"}, "Each stop takes {value} minutes."}},
       0, "minutes",
       [](const Values& v) { return std::round(v.at("distance") / v.at("speed") * 60 + v.at("stops") * v.at("stop_minutes")); }},
      {"How much flour do I need for my party?",
       {{"servings", 2, 1, 7, "the servings the recipe makes", {"recipe", "serves", "servings", "makes"}, "The recipe serves {value}."},
        {"guests", 2, 1, 19, "how many people will eat", {"guests", "people", "how many", "party"}, "We'll be {value} people."},
        {"flour", 100, 25, 29, "grams of flour in the recipe", {"flour", "grams", "recipe"}, "It uses {value} g of flour."}},
       1, "grams", [](const Values& v) { return std::round(v.at("flour") * v.at("guests") / v.at("servings") * 10) / 10; }},
      {"How much will I have saved?",
       {{"deposit", 50, 50, 20, "the monthly deposit", {"deposit", "each month", "monthly", "how much"}, "I put in {value} a month."},
        {"rate", 0, 0.5, 13, "the annual interest rate", {"rate", "interest", "percent"}, "The account pays {value}% a year."},
        {"years", 1, 1, 10, "for how many years", {"years", "how long", "when"}, "For {value} years."}},
       2, "saved", savings},
  };
  return all;
}

std::string format(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Numbers as the user says them: "18000", "6.5", never "6.500000".
std::string spoken(double value) {
  std::string text = format(value, 2);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

const Problem* problemFor(const TaskInstance& task) {
  for (const Problem& p : problems())
    if (p.question == task.firstUserMessage) return &p;
  return nullptr;
}

// "1,234": three digits after the comma and no fourth, so "1,2,3" stays a list.
bool isThousandsGroup(const std::string& text, std::size_t start) {
  for (std::size_t k = start; k < start + 3; ++k)
    if (k >= text.size() || !std::isdigit(static_cast<unsigned char>(text[k]))) return false;
  return start + 3 == text.size() || !std::isdigit(static_cast<unsigned char>(text[start + 3]));
}

int decimalsOf(const std::string& reference) {
  const auto dot = reference.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(reference.size() - dot - 1);
}

} // namespace

TaskInstance MathFamily::generate(std::uint64_t seed, std::uint64_t index) const {
  SeededRandom rng = SeededRandom::forItem(seed, index, 0x3A7);
  const Problem& problem = rng.pick(problems());
  TaskInstance task;
  task.id = taskId(name(), seed, index);
  task.family = name();
  task.split = splitFor(seed, index);
  task.metric = metric();
  task.firstUserMessage = problem.question;
  Values values;
  for (const Variable& v : problem.variables) {
    const double value = v.low + v.step * static_cast<double>(rng.below(static_cast<std::uint64_t>(v.steps)));
    values[v.key] = value;
    // Misremembered numbers are the neighbours in the variable's range.
    std::vector<std::string> wrong;
    for (const double other : {value + v.step, value - v.step})
      if (other >= v.low - 1e-9 && other <= v.low + v.step * (v.steps - 1) + 1e-9)
        wrong.push_back(fill(v.answer, {{"value", spoken(other)}}));
    task.goal.push_back({v.key, spoken(value), v.description, v.cues, fill(v.answer, {{"value", spoken(value)}}), wrong});
  }
  task.reference = format(problem.solve(values), problem.decimals);
  return task;
}

std::string MathFamily::extractArtefact(const conversation::Messages& conversation) const {
  for (auto it = conversation.rbegin(); it != conversation.rend(); ++it)
    if (it->role == conversation::Role::Assistant && lastNumber(it->content)) return it->content;
  return "";
}

TaskScore MathFamily::score(const TaskInstance& task, const std::string& artefact) const {
  const std::optional<double> answer = lastNumber(artefact);
  if (!answer) return {0.0, "no number in the final answer"};
  const int decimals = decimalsOf(task.reference);
  const bool correct = format(*answer, decimals) == task.reference;
  return {correct ? 1.0 : 0.0, "answered " + format(*answer, decimals) + ", expected " + task.reference};
}

// Known numbers are used; unknown ones are guessed as the middle of their range, the way
// an assistant that does not ask has to assume "typical" values.
std::string MathFamily::writeArtefact(const TaskInstance& task, const std::vector<std::string>& known,
                                      std::uint64_t) const {
  const Problem* problem = problemFor(task);
  if (!problem) return "";
  Values values;
  for (const Variable& v : problem->variables) {
    const bool isKnown = std::find(known.begin(), known.end(), v.key) != known.end();
    values[v.key] = isKnown ? std::stod(task.attribute(v.key)->value) : v.low + v.step * (v.steps / 2);
  }
  return "That comes to " + format(problem->solve(values), problem->decimals) + " " + problem->unit + ".";
}

std::optional<double> lastNumber(const std::string& text) {
  std::optional<double> last;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    std::string digits;
    while (i < text.size()) {
      const char c = text[i];
      const bool groupComma = c == ',' && isThousandsGroup(text, i + 1);
      const bool decimalPoint = c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
                                digits.find('.') == std::string::npos;
      if (std::isdigit(static_cast<unsigned char>(c)) || decimalPoint) {
        digits += c;
      } else if (!groupComma) {
        break;
      }
      ++i;
    }
    last = std::stod(digits);
  }
  return last;
}

} // namespace collab::task
