#include "store/FullTextQuery.h"

#include <sstream>

namespace collab::store {

std::string toFullTextQuery(const std::string& userText) {
  std::istringstream words(userText);
  std::string word;
  std::string query;
  while (words >> word) {
    if (!query.empty()) query += ' ';
    query += '"';
    for (char c : word) {
      if (c == '"') query += '"'; // FTS5 escapes a quote by doubling it
      query += c;
    }
    query += '"';
  }
  if (!query.empty()) query += '*';
  return query;
}

} // namespace collab::store
