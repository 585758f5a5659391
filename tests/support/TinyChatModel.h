#pragma once

// A Hugging Face checkpoint that `collab train`, `collab generate --messages` and
// ChatFormat accept: tests/data/models/tiny-llama (random weights, committed) with a chat
// template, which the committed copy lacks.

#include "TestHelpers.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace collab::test {

// Llama 3's chat template, verbatim from Meta-Llama-3-8B-Instruct's tokenizer_config.json.
inline constexpr const char* kLlama3ChatTemplate =
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
    "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

inline const std::filesystem::path& tinyLlamaFixture() {
  static const std::filesystem::path path = std::filesystem::path(COLLAB_TEST_DATA_DIR) / "models/tiny-llama";
  return path;
}

// tiny-llama copied into `directory` (created), its tokenizer_config.json updated with
// `changes` (by default: Llama 3's chat template). Returns `directory`.
inline std::filesystem::path copyTinyLlama(const std::filesystem::path& directory,
                                           const nlohmann::json& changes = {{"chat_template", kLlama3ChatTemplate}}) {
  namespace fs = std::filesystem;
  fs::create_directories(directory);
  for (const auto& entry : fs::directory_iterator(tinyLlamaFixture()))
    fs::copy_file(entry.path(), directory / entry.path().filename(), fs::copy_options::overwrite_existing);
  nlohmann::json config = nlohmann::json::parse(readFile(tinyLlamaFixture() / "tokenizer_config.json"));
  config.update(changes);
  std::ofstream(directory / "tokenizer_config.json") << config.dump(2);
  return directory;
}

// Sets max_position_embeddings of the checkpoint in `directory`: tiny-llama's 256 positions
// are too few for the user simulator's and the judges' prompts, and its weights read any
// position (rotary embeddings have no table).
inline void setContextLength(const std::filesystem::path& directory, int positions) {
  nlohmann::json config = nlohmann::json::parse(readFile(directory / "config.json"));
  config["max_position_embeddings"] = positions;
  std::ofstream(directory / "config.json") << config.dump(2);
}

} // namespace collab::test
