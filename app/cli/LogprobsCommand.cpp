#include "LogprobsCommand.h"

#include "common/Error.h"
#include "model/Logprobs.h"
#include "model/ModelDirectory.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace collab::cli {

namespace {

using nlohmann::json;

json alternatives(const model::ModelDirectory& model, const model::TokenLogprob& entry) {
  json top = json::array();
  for (const auto& [id, logprob] : entry.top) top.push_back({{"id", id}, {"token", model.decode({id})}, {"logprob", logprob}});
  return top;
}

json report(const model::ModelDirectory& model, const std::vector<std::int64_t>& ids, const std::vector<model::TokenLogprob>& scored) {
  json tokens = json::array(), logprobs = json::array({nullptr}), ranks = json::array({nullptr}), top = json::array({nullptr});
  double sum = 0.0;
  for (std::int64_t id : ids) tokens.push_back(model.decode({id}));
  for (const model::TokenLogprob& entry : scored) {
    logprobs.push_back(entry.logprob);
    ranks.push_back(entry.rank);
    top.push_back(alternatives(model, entry));
    sum += entry.logprob;
  }
  return {{"ids", ids}, {"tokens", tokens}, {"logprobs", logprobs}, {"ranks", ranks}, {"top", top}, {"sum_logprob", sum}};
}

// One line per token: position, the token (JSON-quoted, so spaces and newlines show), its
// log-probability and rank, then the alternatives.
void printTable(const json& r) {
  for (std::size_t i = 0; i < r["ids"].size(); ++i) {
    std::cout << i << '\t' << r["tokens"][i].dump(-1, ' ', false, json::error_handler_t::replace);
    if (i == 0) {
      std::cout << "\t(first token: no prediction)\n";
      continue;
    }
    char line[64];
    std::snprintf(line, sizeof line, "\t%.4f\trank %lld\t", r["logprobs"][i].get<double>(), r["ranks"][i].get<long long>());
    std::cout << line;
    for (const json& alt : r["top"][i]) std::cout << ' ' << alt["token"].dump(-1, ' ', false, json::error_handler_t::replace)
                                                << '(' << alt["logprob"].get<double>() << ')';
    std::cout << '\n';
  }
  std::cout << "sum of log-probabilities: " << r["sum_logprob"].get<double>() << '\n';
}

} // namespace

CLI::App* LogprobsCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "logprobs", "Score a text with a local checkpoint: per token its log-probability, rank and the top-K alternatives");
  model_.addTo(command);
  command->add_option("--text", text_, "The text to score (a BOS is put first when tokenizer_config.json has add_bos_token)")
      ->required();
  command->add_option("--top", top_, "How many alternatives to list per position")->capture_default_str()->check(CLI::Range(0, 1000));
  command->add_flag("--json", json_, "One JSON object: ids, tokens, and per position logprobs, ranks, top [{id, token, logprob}] "
                                     "(entry 0 null), sum_logprob");
  return command;
}

int LogprobsCommand::run() {
  model::ModelDirectory model = model_.open();
  std::vector<std::int64_t> ids;
  try {
    ids = model.encodeText(text_);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    throw InputError("--text", 0, e.what());
  }
  if (ids.empty()) throw InputError("--text", 0, "the text encodes to no tokens");
  const json r = report(model, ids, model::tokenLogprobs(model.model(), ids, top_));
  if (json_) std::cout << r.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
  else printTable(r);
  return 0;
}

} // namespace collab::cli
