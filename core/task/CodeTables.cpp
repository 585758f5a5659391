#include "task/CodeTables.h"

namespace collab::task::code {

namespace {

std::vector<std::string> integers(int low, int high) {
  std::vector<std::string> values;
  for (int i = low; i <= high; ++i) values.push_back(std::to_string(i));
  return values;
}

} // namespace

const std::vector<Function>& functions() {
  static const std::vector<Function> all = {
      {"parse_duration",
       {"Write a Python function parse_duration(text) that turns a duration like '1h30m' into seconds.",
        "I need parse_duration(text) in Python: '2h15m' should give 8100 seconds."},
       {{"units", {"hms", "dhms"}, "which units it accepts", {"unit", "days", "which", "format"},
         "Units: {value} (d = days, h, m, s)."},
        {"invalid", {"raise", "none"}, "what to do with bad input", {"invalid", "error", "bad input", "wrong", "empty"},
         "On bad or empty input: {value} (raise = ValueError, none = return None)."}},
       R"py(import re

def parse_duration(text):
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    allowed = "<<units>>"
    parts = re.findall(r"(\d+)([a-z])", text) if isinstance(text, str) else []
    if not parts or "".join(n + u for n, u in parts) != text or any(u not in allowed for _, u in parts):
        if "<<invalid>>" == "raise":
            raise ValueError("bad duration: %r" % (text,))
        return None
    return sum(int(n) * units[u] for n, u in parts)
)py",
       R"([["1h30m"],["45s"],["2h"],["1h0m5s"],["3d"],["1d2h"],[""],["5x"],["h"],["10m10"],["90m"]])"},
      {"slugify",
       {"Write slugify(title) in Python to turn a post title into a URL slug.",
        "Can you give me a Python slugify(title) function for blog URLs?"},
       {{"separator", {"-", "_", "."}, "the word separator", {"separator", "dash", "underscore", "hyphen", "join"},
         "Join words with '{value}'."},
        {"max_length", integers(10, 80), "the longest slug allowed", {"length", "long", "limit", "max", "characters"},
         "At most {value} characters, cut at a separator."},
        {"case", {"lower", "keep"}, "the letter case", {"case", "lowercase", "capital", "upper"},
         "Case: {value}."}},
       R"py(import re

def slugify(title):
    words = re.findall(r"[A-Za-z0-9]+", title)
    if "<<case>>" == "lower":
        words = [w.lower() for w in words]
    slug = ""
    for word in words:
        candidate = word if not slug else slug + "<<separator>>" + word
        if len(candidate) > <<max_length>>:
            break
        slug = candidate
    return slug
)py",
       R"([["Hello World"],["  Multiple   Spaces here "],["C++ & Rust: a comparison of 2 languages"],["Ünïcode Títle"],[""],["A very long title that keeps going and going well past any sensible limit"],["MiXeD CaSe Words"],["one"]])"},
      {"clamp_scores",
       {"Write clamp_scores(values) in Python that clamps a list of scores into the valid range.",
        "I need a Python function clamp_scores(values) for cleaning up score lists."},
       {{"low", integers(-50, 0), "the lowest valid score", {"range", "minimum", "lowest", "bounds", "valid"},
         "The lowest valid score is {value}."},
        {"high", integers(50, 150), "the highest valid score", {"range", "maximum", "highest", "bounds", "valid"},
         "The highest valid score is {value}."},
        {"non_numeric", {"skip", "raise"}, "what to do with values that are not numbers",
         {"not numbers", "non-numeric", "strings", "invalid", "error"}, "Non-numeric values: {value} (raise = TypeError)."}},
       R"py(def clamp_scores(values):
    result = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            if "<<non_numeric>>" == "raise":
                raise TypeError("not a number: %r" % (v,))
            continue
        result.append(min(max(v, <<low>>), <<high>>))
    return result
)py",
       R"([[[1, 2, 3]], [[-50, 50, 500]], [[0, 100, 101, -1]], [["7", 3]], [[]], [[2.5, -20.5, 99.9]], [[true, 4]]])"},
      {"format_price",
       {"Write format_price(amount) in Python for showing prices in our shop.",
        "Please write a Python function format_price(amount) that formats an amount of money."},
       {{"currency", {"$", "€", "£"}, "the currency symbol", {"currency", "symbol", "dollars", "euros", "pounds"},
         "Use {value}."},
        {"decimals", {"2", "0"}, "how many decimals", {"decimals", "cents", "round", "digits"}, "{value} decimals."},
        {"thousands", {",", " ", ""}, "the thousands separator", {"thousands", "separator", "comma", "grouping"},
         "Thousands separator: '{value}'."}},
       R"py(def format_price(amount):
    text = format(round(amount, <<decimals>>), ",.<<decimals>>f").replace(",", "<<thousands>>")
    return "<<currency>>" + text
)py",
       R"([[0], [5], [1234.5], [1234567.891], [999.999], [-42.1], [0.005]])"},
  };
  return all;
}

} // namespace collab::task::code
