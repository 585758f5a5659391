#pragma once

#include <string>

namespace collab::store {

// Turns what a user typed into an FTS5 query that cannot be a syntax error: every word
// is quoted (so AND, NEAR, quotes and stars are plain text) and the last one matches
// as a prefix, as in a search-as-you-type box. Empty input gives an empty string.
std::string toFullTextQuery(const std::string& userText);

} // namespace collab::store
