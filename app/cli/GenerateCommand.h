#pragma once

#include "CliCommand.h"
#include "ModelOptions.h"

#include <cstdint>
#include <string>
#include <vector>

// Declared only: main.cpp includes this header and should not parse LibTorch's.
namespace collab::model {
struct GenerationRequest;
struct GenerationResult;
struct SamplingParams;
class ModelDirectory;
} // namespace collab::model

namespace collab::cli {

class StreamPrinter;

// collab generate --model DIR (--prompt TEXT | --messages FILE) [sampling options]
//                 [--num-return-sequences N] [--device D] [--dtype T] [--stream] [--json]
// Continues a prompt (or a conversation rendered with the model's chat template, with its
// generation prompt) with the checkpoint in DIR. Stops on the model's EOS ids, --stop
// strings or --max-new-tokens. Prints the text of each sequence, or with --json one object
// per sequence {sequence, text, tokens, finish_reason, prompt_tokens, new_tokens, seconds,
// seed}; --stream prints text as it is drawn (with --json: {sequence, delta} lines first).
class GenerateCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::vector<std::int64_t> promptIds(const model::ModelDirectory& model) const;
  model::SamplingParams sampling(const model::ModelDirectory& model) const;
  std::vector<model::GenerationRequest> requests(const model::ModelDirectory& model, const std::vector<std::int64_t>& prompt) const;
  void print(const model::ModelDirectory& model, const std::vector<model::GenerationRequest>& batch,
             const std::vector<model::GenerationResult>& results, double seconds, StreamPrinter* printer) const;

  ModelOptions model_;
  std::string prompt_;
  std::string messages_;
  std::string chatDate_; // "today", a date such as "05 Mar 2025", or empty: the template's default
  std::uint64_t seed_ = 0;
  CLI::Option* seedOption_ = nullptr;
  std::int64_t maxNewTokens_ = 128;
  double temperature_ = 1.0;
  CLI::Option* temperatureOption_ = nullptr;
  double topP_ = 1.0;
  CLI::Option* topPOption_ = nullptr;
  std::int64_t topK_ = 0;
  CLI::Option* topKOption_ = nullptr;
  double repetitionPenalty_ = 1.0;
  CLI::Option* repetitionPenaltyOption_ = nullptr;
  std::vector<std::string> stop_;
  int sequences_ = 1;
  bool stream_ = false;
  bool json_ = false;
  bool verbose_ = false;
};

} // namespace collab::cli
