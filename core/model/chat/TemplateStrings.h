#pragma once

#include <initializer_list>
#include <optional>
#include <string>

// The string operations chat templates apply to message contents, with Python's semantics
// (Jinja calls Python's str methods), and the reading of a template's text that recognising
// it needs.
namespace collab::model::chat {

// Jinja's trim filter: Python's str.strip() with no argument, which strips Unicode whitespace.
std::string pythonStrip(const std::string& s);
// Python's str.lstrip(chars) / rstrip(chars) / strip(chars).
std::string stripChars(std::string s, const char* chars, bool left, bool right);
// Python's str.split(sep)[-1] and str.split(sep)[0].
std::string afterLast(const std::string& s, const std::string& sep);
std::string beforeFirst(const std::string& s, const std::string& sep);

// The template with each "\n" escape read as the newline it stands for inside a Jinja
// string literal: the same template is saved with either form (Llama 3's first template has
// raw newlines in its literals, the later ones escapes), and both render alike.
std::string withNewlineEscapesRead(const std::string& chatTemplate);

// True when every fragment occurs in the text.
bool containsAll(const std::string& text, std::initializer_list<const char*> fragments);

// The text between a `before` and the next `after` that holds none of the characters in
// `forbidden` (e.g. quotes and backslashes: a literal's contents, which we do not unescape),
// trying each `before` in turn.
std::optional<std::string> textBetween(const std::string& text, const std::string& before, const std::string& after,
                                       const char* forbidden);

} // namespace collab::model::chat
