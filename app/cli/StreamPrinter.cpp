#include "StreamPrinter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace collab::cli {

StreamPrinter::StreamPrinter(const model::ModelDirectory& model, std::size_t sequences, const std::vector<std::string>& stopStrings, bool json)
    : model_(model), json_(json) {
  for (std::size_t i = 0; i < sequences; ++i)
    streamers_.emplace_back([this](const std::vector<std::int64_t>& ids) { return model_.decode(ids); }, stopStrings);
}

void StreamPrinter::token(std::size_t sequence, std::int64_t token) {
  const auto& stops = model_.stopTokens();
  if (std::find(stops.begin(), stops.end(), token) == stops.end()) print(sequence, streamers_[sequence].push(token));
}

void StreamPrinter::finish(std::size_t sequence, const std::string& text) { print(sequence, streamers_[sequence].finish(text)); }

void StreamPrinter::print(std::size_t sequence, const std::string& text) {
  if (text.empty()) return;
  if (json_)
    std::cout << nlohmann::json({{"sequence", sequence}, {"delta", text}}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << '\n';
  else
    std::cout << text;
  std::cout.flush();
}

} // namespace collab::cli
