#include "backend/LenientJson.h"

#include <cctype>

namespace collab::backend {

namespace {

// The body of the first ``` fence, when the reply has one; else the reply.
std::string unfenced(const std::string& reply) {
  const std::size_t open = reply.find("```");
  if (open == std::string::npos) return reply;
  const std::size_t bodyStart = reply.find('\n', open);
  if (bodyStart == std::string::npos) return reply;
  const std::size_t close = reply.find("```", bodyStart);
  return reply.substr(bodyStart + 1, close == std::string::npos ? std::string::npos : close - bodyStart - 1);
}

// From the first '{' to the '}' that closes it (strings of either quote skipped), so that
// text after the object is left out. Empty when there is no complete object.
std::string firstObject(const std::string& text) {
  const std::size_t start = text.find('{');
  if (start == std::string::npos) return "";
  int depth = 0;
  char quote = 0;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return text.substr(start, i - start + 1);
    }
  }
  return "";
}

std::size_t skipSpace(const std::string& text, std::size_t i) {
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

bool startsWord(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }

// Rewrites hand-written JSON into strict JSON, outside and inside strings.
std::string strictJson(const std::string& text) {
  std::string out;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == '\\' && i + 1 < text.size()) {
        const char next = text[++i];
        if (next == '\'') out += '\''; // \' is not a JSON escape
        else (out += '\\') += next;
      } else if (c == quote) {
        out += '"';
        quote = 0;
      } else if (c == '"') {
        out += "\\\""; // a double quote inside a single-quoted string
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += c;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      out += '"';
    } else if (c == ',') {
      const std::size_t next = skipSpace(text, i + 1);
      if (next < text.size() && (text[next] == '}' || text[next] == ']')) continue; // trailing comma
      out += c;
    } else if (startsWord(c)) {
      std::size_t end = i;
      while (end < text.size() && (startsWord(text[end]) || std::isdigit(static_cast<unsigned char>(text[end])))) ++end;
      const std::string word = text.substr(i, end - i);
      const std::size_t after = skipSpace(text, end);
      if (word == "True") out += "true";
      else if (word == "False") out += "false";
      else if (word == "None") out += "null";
      else if (after < text.size() && text[after] == ':') out += "\"" + word + "\""; // an unquoted key
      else out += word;
      i = end - 1;
    } else {
      out += c;
    }
  }
  return out;
}

} // namespace

std::optional<nlohmann::json> parseLenientJson(const std::string& reply, std::string* problem) {
  auto fail = [&](const std::string& why) -> std::optional<nlohmann::json> {
    if (problem) *problem = why;
    return std::nullopt;
  };
  std::string object = firstObject(unfenced(reply));
  if (object.empty()) object = firstObject(reply); // the object was outside the fence
  if (object.empty()) return fail("expected a JSON object, found none (no '{' with its closing '}')");
  nlohmann::json parsed = nlohmann::json::parse(object, nullptr, false);
  if (parsed.is_discarded()) parsed = nlohmann::json::parse(strictJson(object), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return fail("expected a JSON object, found a '{...}' that does not parse even leniently");
  return parsed;
}

} // namespace collab::backend
