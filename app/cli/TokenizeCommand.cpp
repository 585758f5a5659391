#include "TokenizeCommand.h"

#include "common/Error.h"
#include "model/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

namespace collab::cli {

namespace {

void printEncoding(const model::Tokenizer& tokenizer, const std::string& text) {
  const model::Encoding e = tokenizer.encode(text);
  nlohmann::json offsets = nlohmann::json::array();
  for (const auto& [begin, end] : e.offsets) offsets.push_back({begin, end});
  const nlohmann::json out = {{"ids", e.ids}, {"tokens", e.tokens}, {"offsets", offsets}, {"text", tokenizer.decode(e.ids)}};
  std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

} // namespace

CLI::App* TokenizeCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "tokenize", "Encode texts with a Hugging Face tokenizer; prints one JSON object per text (ids, tokens, offsets, text)");
  command->add_option("--tokenizer", tokenizer_, "tokenizer.json, GPT-2's encoder.json (vocab.bpe beside it), or a folder holding either")
      ->required();
  auto* text = command->add_option("--text", text_, "The text to encode");
  auto* input = command->add_option("--input", input_, "A file with one JSON string per line (- for stdin)");
  text->excludes(input);
  command->require_option(2);  // --tokenizer and one of --text, --input
  return command;
}

int TokenizeCommand::run() {
  const model::Tokenizer tokenizer = model::Tokenizer::fromPath(tokenizer_);
  if (input_.empty()) {
    try {
      printEncoding(tokenizer, text_);
    } catch (const InputError&) {
      throw;
    } catch (const Error& e) {
      throw InputError("--text", 0, e.what());
    }
    return 0;
  }
  std::ifstream file;
  if (input_ != "-") {
    file.open(input_, std::ios::binary);
    if (!file) throw InputError(input_, 0, "cannot open the file");
  }
  std::istream& in = input_ == "-" ? std::cin : file;
  const std::string source = input_ == "-" ? std::string("<stdin>") : input_;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    nlohmann::json value;
    try {
      value = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(source, number, std::string("expected a JSON string: ") + e.what());
    }
    if (!value.is_string()) throw InputError(source, number, "expected a JSON string, found " + std::string(value.type_name()));
    try {
      printEncoding(tokenizer, value.get<std::string>());
    } catch (const InputError&) {
      throw;
    } catch (const Error& e) {
      throw InputError(source, number, e.what());
    }
  }
  return 0;
}

} // namespace collab::cli
