#include "GenerateCommand.h"

#include "MessagesFile.h"
#include "StreamPrinter.h"
#include "common/Error.h"
#include "model/CpuBlas.h"
#include "model/Generator.h"
#include "model/ModelDirectory.h"

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <random>

namespace collab::cli {

namespace {

std::string jsonLine(const nlohmann::json& value) { return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// The reply without the end-of-turn token that stopped it (its text is not the model's answer).
std::string replyText(const model::ModelDirectory& model, const model::GenerationResult& result) {
  if (result.finish != model::FinishReason::StopToken) return result.text;
  return model.decode({result.tokens.begin(), result.tokens.end() - 1});
}

} // namespace

CLI::App* GenerateCommand::addTo(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "generate", "Continue a prompt or a conversation with a local checkpoint (stops on the model's EOS, --stop strings, "
                  "--max-new-tokens)");
  model_.addTo(command);
  auto* prompt = command->add_option("--prompt", prompt_, "Plain text to continue (a BOS is put first when tokenizer_config.json has add_bos_token)");
  auto* messages = command->add_option("--messages", messages_,
                                       "A JSON file: a list of {role, content} messages, or one {\"messages\": [...]} line; "
                                       "rendered with the model's chat template and its generation prompt");
  prompt->excludes(messages);
  command->add_option("--chat-date", chatDate_,
                      "With --messages, the date a Llama 3.1+ template writes in its system turn: \"today\" (as transformers' "
                      "apply_chat_template writes it) or a date such as \"05 Mar 2025\" (default: the template's own)")
      ->needs(messages);
  seedOption_ = command->add_option("--seed", seed_, "Seed of sequence 0; sequence i uses SEED+i (default: a random seed, printed)");
  command->add_option("--max-new-tokens", maxNewTokens_, "At most this many new tokens")->capture_default_str()->check(CLI::PositiveNumber);
  const char* fromConfig = " (default: generation_config.json's, else ";
  temperatureOption_ = command->add_option("--temperature", temperature_, std::string("0 is greedy") + fromConfig + "1)")
                           ->check(CLI::NonNegativeNumber);
  topPOption_ = command->add_option("--top-p", topP_, std::string("Nucleus sampling") + fromConfig + "1: off)")->check(CLI::Range(0.0, 1.0));
  topKOption_ = command->add_option("--top-k", topK_, std::string("Keep the K likeliest tokens") + fromConfig + "0: off)")
                    ->check(CLI::NonNegativeNumber);
  repetitionPenaltyOption_ = command->add_option("--repetition-penalty", repetitionPenalty_, std::string("HF's repetition penalty") + fromConfig + "1: off)")
                                 ->check(CLI::PositiveNumber);
  command->add_option("--stop", stop_, "Stop when the text contains this string (cut from the text); may be repeated");
  command->add_option("--num-return-sequences", sequences_, "How many sequences to draw, in one batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  command->add_flag("--stream", stream_, "Print text as it is drawn (only whole UTF-8 characters)");
  command->add_flag("--verbose", verbose_, "Also print to stderr the CPU threads and the OpenBLAS kernels LibTorch runs on "
                                           "(with a hint when OPENBLAS_CORETYPE would pick faster ones)");
  command->add_flag("--json", json_, "One JSON object per sequence: sequence, text, tokens, finish_reason, prompt_tokens, new_tokens, seconds, seed");
  command->callback([this, command] {
    if (command->count("--prompt") + command->count("--messages") != 1)
      throw CLI::ValidationError("generate", "give one of --prompt TEXT or --messages FILE");
    if (stream_ && !json_ && sequences_ > 1)
      throw CLI::ValidationError("--stream", "prints one sequence as text; add --json to stream several");
  });
  return command;
}

std::vector<std::int64_t> GenerateCommand::promptIds(const model::ModelDirectory& model) const {
  std::vector<std::int64_t> prompt;
  try {
    prompt = messages_.empty() ? model.encodeText(prompt_) : model.encodeChat(readMessagesFile(messages_), chatDate_ == "today" ? model::chatDateToday() : chatDate_);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) { // a conversation the template refuses, text that is not UTF-8
    throw InputError(messages_.empty() ? std::string("--prompt") : messages_, 0, e.what());
  }
  if (prompt.empty()) throw InputError("--prompt", 0, "the prompt encodes to no tokens");
  return prompt;
}

// The command line over generation_config.json over HF's neutral values.
model::SamplingParams GenerateCommand::sampling(const model::ModelDirectory& model) const {
  model::SamplingParams params = model.defaultSampling();
  if (temperatureOption_->count()) params.temperature = temperature_;
  if (topPOption_->count()) params.topP = topP_;
  if (topKOption_->count()) params.topK = topK_;
  if (repetitionPenaltyOption_->count()) params.repetitionPenalty = repetitionPenalty_;
  return params;
}

std::vector<model::GenerationRequest> GenerateCommand::requests(const model::ModelDirectory& model,
                                                                const std::vector<std::int64_t>& prompt) const {
  const std::uint64_t seed = seedOption_->count() ? seed_ : std::random_device{}();
  std::vector<model::GenerationRequest> out(static_cast<std::size_t>(sequences_));
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].prompt = prompt;
    out[i].sampling = sampling(model);
    out[i].seed = seed + i;
    out[i].maxNewTokens = maxNewTokens_;
    out[i].stopTokens = model.stopTokens();
    out[i].stopStrings = stop_;
  }
  return out;
}

void GenerateCommand::print(const model::ModelDirectory& model, const std::vector<model::GenerationRequest>& batch,
                            const std::vector<model::GenerationResult>& results, double seconds, StreamPrinter* printer) const {
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string text = replyText(model, results[i]);
    if (printer) printer->finish(i, text);
    if (json_) {
      std::cout << jsonLine({{"sequence", i}, {"text", text}, {"tokens", results[i].tokens},
                             {"finish_reason", model::finishReasonName(results[i].finish)},
                             {"prompt_tokens", batch[i].prompt.size()}, {"new_tokens", results[i].tokens.size()},
                             {"seconds", seconds}, {"seed", batch[i].seed}})
                << '\n';
      continue;
    }
    if (!printer && results.size() > 1) std::cout << "--- sequence " << i << " ---\n";
    std::cout << (printer ? "" : text) << '\n';
    std::cerr << "collab: sequence " << i << ": " << results[i].tokens.size() << " new tokens ("
              << model::finishReasonName(results[i].finish) << "), seed " << batch[i].seed << ", " << seconds << " s\n";
  }
}

int GenerateCommand::run() {
  model::ModelDirectory model = model_.open();
  const std::vector<model::GenerationRequest> batch = requests(model, promptIds(model));
  model::GenerationHooks hooks;
  hooks.decode = [&model](const std::vector<std::int64_t>& ids) { return model.decode(ids); };
  std::unique_ptr<StreamPrinter> printer;
  if (stream_) {
    printer = std::make_unique<StreamPrinter>(model, batch.size(), stop_, json_);
    hooks.onToken = [&printer](std::size_t sequence, std::int64_t token) { printer->token(sequence, token); };
  }
  if (verbose_) {
    const std::string core = model::openBlasCoreName();
    std::cerr << "collab: " << at::get_num_threads() << " CPU thread(s), OpenBLAS kernels: "
              << (core.empty() ? std::string("none (not OpenBLAS)") : core) << '\n';
    if (const std::string advice = model::openBlasCoreAdvice(); !advice.empty()) std::cerr << "collab: " << advice << '\n';
  }
  const auto start = std::chrono::steady_clock::now();
  const std::vector<model::GenerationResult> results = model::generate(model.model(), batch, hooks);
  print(model, batch, results, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), printer.get());
  return 0;
}

} // namespace collab::cli
