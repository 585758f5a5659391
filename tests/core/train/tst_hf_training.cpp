// Training a Hugging Face checkpoint (policy {"model": DIR}) on CPU, on a tiny random-weight
// Llama made here (tests/data/models/tiny-llama's config and tokenizer, fresh weights, Llama
// 3's chat template): SFT with LoRA lowers the loss and changes only the adapter, the saved
// adapter reloads to the same logits, DPO raises the margins, the loss counts assistant
// tokens only, full fine-tuning writes an HF checkpoint, a resumed stage repeats the
// uninterrupted one's losses, and bad input is named. Includes LibTorch: Q_SLOTS.

#include "TestHelpers.h"
#include "TinyChatModel.h"
#include "SyntheticTrees.h"
#include "common/Error.h"
#include "io/Exporter.h"
#include "model/Checkpoint.h"
#include "model/Lora.h"
#include "model/Safetensors.h"
#include "model/ModelConfig.h"
#include "store/Transaction.h"
#include "train/ChatTokenization.h"
#include "train/ConversationData.h"
#include "train/HfPolicy.h"
#include "train/Losses.h"
#include "train/ResumeRequest.h"
#include "train/TomlConfig.h"
#include "train/TrainConfig.h"
#include "train/TrainingRun.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <sstream>

using namespace collab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(COLLAB_TEST_DATA_DIR) / "models/tiny-llama";

// A tiny Llama with random weights (seed 11) in HF layout, with a chat template.
fs::path makeTinyLlama(const fs::path& directory) {
  model::ModelConfig config = model::ModelConfig::fromFile((kFixture / "config.json").string());
  // Wider weights than transformers' 0.02: with the output head frozen (LoRA), logits of
  // std 0.16 could not move far from uniform, whatever the adapter learnt.
  config.initializerRange = 0.1;
  model::CausalLmImpl lm(config, model::CausalLmImpl::Weights::Unset);
  lm.initialiseRandomly(11);
  model::saveCausalLm(lm, directory.string(), {at::kFloat, kFixture.string(), {}});
  json tokenizerConfig = json::parse(test::readFile(kFixture / "tokenizer_config.json"));
  tokenizerConfig["chat_template"] = test::kLlama3ChatTemplate;
  std::ofstream(directory / "tokenizer_config.json") << tokenizerConfig.dump(2);
  return directory;
}

json message(const char* role, const std::string& content) { return {{"role", role}, {"content", content}}; }

// Four short conversations, one per line.
std::string sftRows() {
  std::string rows;
  const std::vector<std::pair<std::string, std::string>> turns = {
      {"What is the capital of France?", "Paris is the capital of France."},
      {"Add two and three.", "Two plus three is five."},
      {"Name a colour.", "Blue is a colour."},
      {"Write a greeting.", "Hello, nice to meet you!"}};
  for (const auto& [user, assistant] : turns)
    rows += json{{"messages", {message("user", user), message("assistant", assistant)}}}.dump() + "\n";
  return rows;
}

std::string dpoRows() {
  std::string rows;
  const std::vector<std::string> prompts = {"Say hello.", "Greet me.", "Please greet the user.", "Open the chat."};
  for (const auto& prompt : prompts)
    rows += json{{"prompt", {message("user", prompt)}}, {"chosen", "Hello there, how can I help?"},
                 {"rejected", "Go away."}, {"score_chosen", 0.9}, {"score_rejected", 0.1}}.dump() + "\n";
  return rows;
}

struct Events {
  std::vector<json> all;
  std::vector<json> steps(const std::string& stage) const {
    std::vector<json> out;
    for (const auto& e : all)
      if (e["event"] == "step" && e["stage"] == stage) out.push_back(e);
    return out;
  }
};

Events runStages(const train::TrainConfig& config, const train::StopRequested& stop = {},
             const train::ResumePoint* resume = nullptr) {
  Events events;
  train::runTraining(config, nullptr, [&](const json& e) { events.all.push_back(e); }, stop, resume);
  return events;
}

std::map<std::string, at::Tensor> snapshot(model::CausalLmImpl& lm) {
  std::map<std::string, at::Tensor> out;
  for (auto& item : lm.named_parameters()) out.emplace(item.key(), item.value().detach().clone());
  return out;
}

// Mean NLL of the assistant tokens, computed here from the logits and ChatFormat's mask.
double assistantNll(train::HfPolicy& policy, const std::vector<train::SftConversation>& rows) {
  at::NoGradGuard noGrad;
  policy.model().eval();
  double total = 0.0, count = 0.0;
  for (const auto& row : rows) {
    const auto encoding = policy.chatFormat().encode(policy.tokenizer(), train::chatMessages(row.messages));
    const at::Tensor ids = at::tensor(std::vector<std::int64_t>(encoding.ids.begin(), encoding.ids.end()), at::kLong).unsqueeze(0);
    const at::Tensor logprobs = at::log_softmax(policy.model().logits(policy.model().forward({ids, {}, {}})), -1)[0];
    for (std::size_t t = 1; t < encoding.ids.size(); ++t)
      if (encoding.assistantMask[t]) {
        total -= logprobs[static_cast<long>(t - 1)][static_cast<long>(encoding.ids[t])].item<double>();
        count += 1.0;
      }
  }
  return total / count;
}

// log p(chosen) - log p(rejected) summed over the pairs.
double preferenceGap(train::HfPolicy& policy, const std::vector<train::PreferenceExample>& pairs) {
  at::NoGradGuard noGrad;
  policy.model().eval();
  std::vector<train::TokenSequence> rows;
  for (const auto& p : pairs) rows.push_back(train::continuationSequence(p.prompt, p.chosen));
  for (const auto& p : pairs) rows.push_back(train::continuationSequence(p.prompt, p.rejected));
  const at::Tensor logps = train::sequenceLogProbs(policy.model(), train::TokenBatch::of(rows));
  const auto n = static_cast<long>(pairs.size());
  return (logps.narrow(0, 0, n) - logps.narrow(0, n, n)).sum().item<double>();
}

template <typename F>
QString errorOf(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return "(no error)";
}

} // namespace

class HfTrainingTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path model_;

  fs::path path(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }

  json loraConfig(const std::string& output, json stages) const {
    return {{"name", "tiny"}, {"seed", 5}, {"output", path(output).string()},
            {"policy", {{"model", model_.string()}, {"lora", {{"r", 4}, {"alpha", 8}, {"dropout", 0.1}}}}},
            {"stages", std::move(stages)}};
  }
  train::TrainConfig config(const json& value) const { return train::TrainConfig::fromJson(value, "test.json", dir_.path().toStdString()); }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    model_ = makeTinyLlama(path("tiny-llama-chat"));
    write("sft.jsonl", sftRows());
    write("dpo.jsonl", dpoRows());
  }

  void loraSftLowersTheLossAndTrainsOnlyTheAdapter() {
    const train::TrainConfig c = config(loraConfig("out-sft", json::array({{{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"},
                                                                            {"epochs", 1}, {"batch_size", 2}, {"learning_rate", 1e-2}}})));
    train::HfPolicy policy = train::HfPolicy::load(*c.hf, {}, "", 1);
    const auto rows = train::readSftFile(path("sft.jsonl").string());
    const train::ChatTokenization tokens(policy.chatFormat(), policy.tokenizer(), 2048);
    std::vector<train::TokenSequence> data;
    for (const auto& row : rows) data.push_back(*tokens.sft(row));
    const double before = assistantNll(policy, rows);
    const auto initial = snapshot(policy.model());
    // A fresh adapter (B = 0) leaves the model equal to the base.
    train::HfPolicy base = train::HfPolicy::load({model_.string(), {}, 2048}, {}, "", 1);
    QCOMPARE(before, assistantNll(base, rows));

    train::LoopSettings loop;
    loop.epochs = 30;
    loop.batchSize = 2;
    loop.optimiser.learningRate = 1e-2;
    loop.optimiser.totalSteps = train::stepsFor(data.size(), loop);
    train::trainSft(policy.model(), data, loop);
    const double after = assistantNll(policy, rows);
    qInfo("assistant NLL %.4f -> %.4f", before, after);
    QVERIFY2(after < 0.7 * before, qPrintable(QString("NLL %1 -> %2").arg(before).arg(after)));

    int adapters = 0, changed = 0;
    for (auto& item : policy.model().named_parameters()) {
      const bool adapter = item.key().find(".lora_") != std::string::npos;
      const bool same = at::equal(item.value(), initial.at(item.key()));
      if (!adapter) QVERIFY2(same, item.key().c_str()); // the base, bit for bit
      adapters += adapter;
      changed += adapter && !same;
      QCOMPARE(item.value().requires_grad(), adapter);
    }
    QCOMPARE(adapters, 2 * 7 * 2); // A and B on 7 projections in 2 layers
    QVERIFY(changed >= adapters / 2); // every B leaves zero; A moves too

    // Saved as a PEFT adapter, reloaded two ways: the same logits as the model in memory.
    policy.save(path("adapter").string());
    QVERIFY(fs::exists(path("adapter/adapter_config.json")) && fs::exists(path("adapter/adapter_model.safetensors")));
    QVERIFY(!fs::exists(path("adapter/model.safetensors")));
    const json adapterConfig = json::parse(test::readFile(path("adapter/adapter_config.json")));
    QCOMPARE(adapterConfig["r"].get<int>(), 4);
    QCOMPARE(adapterConfig["base_model_name_or_path"].get<std::string>(), model_.string());
    const at::Tensor ids = at::tensor(std::vector<std::int64_t>(data[0].ids.begin(), data[0].ids.end()), at::kLong).unsqueeze(0);
    at::NoGradGuard noGrad;
    policy.model().eval();
    const at::Tensor expected = policy.model().logits(policy.model().forward({ids, {}, {}}));
    train::HfPolicy reloaded = train::HfPolicy::load(*c.hf, {}, path("adapter").string(), 99);
    reloaded.model().eval();
    QVERIFY(at::equal(reloaded.model().logits(reloaded.model().forward({ids, {}, {}})), expected));
    model::CausalLm plain = model::loadCausalLm(model_.string());
    model::loadLoraAdapter(*plain, path("adapter").string());
    plain->eval();
    QVERIFY(at::equal(plain->logits(plain->forward({ids, {}, {}})), expected));
  }

  void sftStageRunsFromTheConfig() {
    const train::TrainConfig c = config(loraConfig("out-run", json::array({{{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"},
                                                                           {"epochs", 10}, {"batch_size", 2}, {"learning_rate", 1e-2}}})));
    const Events events = runStages(c);
    const auto steps = events.steps("sft");
    QCOMPARE(steps.size(), std::size_t(20));
    qInfo("loss %.4f -> %.4f", steps.front()["loss"].get<double>(), steps.back()["loss"].get<double>());
    QVERIFY2(steps.back()["loss"].get<double>() < 0.8 * steps.front()["loss"].get<double>(),
             (steps.front()["loss"].dump() + " -> " + steps.back()["loss"].dump()).c_str());
    bool sawData = false;
    for (const auto& e : events.all)
      if (e["event"] == "data") {
        sawData = true;
        QCOMPARE(e["sequences"].get<int>(), 4);
        QCOMPARE(e["from_file"].get<int>(), 4);
      }
    QVERIFY(sawData);
    QVERIFY(fs::exists(path("out-run/sft/adapter_config.json")));
    // The final adapter is what a resumable checkpoint of the last step also holds.
    QVERIFY(test::readFile(path("out-run/sft/adapter_model.safetensors")) ==
            test::readFile(path("out-run/sft.checkpoints/checkpoint-20/adapter_model.safetensors")));
  }

  void dpoRaisesTheMargins() {
    const train::TrainConfig c = config(loraConfig("out-dpo", json::array({{{"name", "dpo"}, {"method", "dpo"}, {"data", "dpo.jsonl"},
                                                                           {"epochs", 10}, {"batch_size", 2}, {"learning_rate", 5e-3},
                                                                           {"beta", 0.1}}})));
    const Events events = runStages(c);
    const auto steps = events.steps("dpo");
    QCOMPARE(steps.size(), std::size_t(20));
    for (const char* key : {"rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected"})
      QVERIFY2(steps.back().contains(key), key);
    qInfo("margins %.4f -> %.4f", steps.front()["rewards/margins"].get<double>(), steps.back()["rewards/margins"].get<double>());
    QVERIFY(steps.back()["rewards/margins"].get<double>() > 0.5);
    QVERIFY(steps.back()["rewards/margins"].get<double>() > steps.front()["rewards/margins"].get<double>());
    QCOMPARE(steps.back()["rewards/accuracies"].get<double>(), 1.0);
    QVERIFY(steps.back()["loss"].get<double>() < steps.front()["loss"].get<double>());

    // Independently of the trainer's metrics: the saved adapter prefers the chosen replies
    // more than the base does.
    train::HfPolicy base = train::HfPolicy::load({model_.string(), {}, 2048}, {}, "", 0);
    const train::ChatTokenization tokens(base.chatFormat(), base.tokenizer(), 2048);
    std::vector<train::PreferenceExample> pairs;
    for (const auto& row : train::readPreferenceFile(path("dpo.jsonl").string())) pairs.push_back(tokens.preference(row));
    train::HfPolicy trained = train::HfPolicy::load(*c.hf, {}, path("out-dpo/dpo").string(), 0);
    QVERIFY(preferenceGap(trained, pairs) > preferenceGap(base, pairs) + 1.0);
  }

  void sftThenDpoChainsTheAdapter() {
    const train::TrainConfig c = config(loraConfig("out-chain", json::array({
        {{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"}, {"epochs", 2}, {"batch_size", 4}, {"learning_rate", 1e-2}},
        {{"name", "dpo"}, {"method", "dpo"}, {"data", "dpo.jsonl"}, {"epochs", 2}, {"batch_size", 4}, {"learning_rate", 1e-3}}})));
    const Events events = runStages(c);
    const auto dpo = events.steps("dpo");
    QCOMPARE(dpo.size(), std::size_t(2));
    // The reference is the SFT policy the stage starts from: at the first step (before any
    // update, no dropout difference aside) the rewards are near zero, not the SFT's shift.
    QVERIFY(std::abs(dpo.front()["rewards/chosen"].get<double>()) < 0.5);
    QVERIFY(fs::exists(path("out-chain/dpo/adapter_config.json")));
  }

  // project_data: the project's best paths (sft) and MR pairs (dpo), recorded as runs.
  void trainsOnTheProjectsData() {
    test::ScratchProjects projects;
    store::Project project = projects.next();
    {
      store::Transaction transaction(project.database());
      for (int i = 0; i < 3; ++i) test::addSyntheticTree(project, 20, 40 + static_cast<std::uint64_t>(i));
      transaction.commit();
    }
    std::ostringstream pairs;
    io::ExportOptions options;
    options.minGap = 0.02;
    const std::size_t exportedPairs = io::exportJsonl(project, pairs, options).rowsWritten;
    QVERIFY(exportedPairs > 0);

    json value = loraConfig("out-project", json::array({
        {{"name", "sft"}, {"method", "sft"}, {"project_data", true}, {"epochs", 1}, {"batch_size", 2}, {"learning_rate", 1e-3}},
        {{"name", "dpo"}, {"method", "dpo"}, {"project_data", true}, {"human_preferences", true}, {"min_gap", 0.02},
         {"data", "dpo.jsonl"}, {"epochs", 1}, {"batch_size", 4}, {"learning_rate", 1e-3}}}));
    value["policy"]["max_length"] = 256; // synthetic turns are long; the tiny model needs no more
    Events events;
    train::runTraining(config(value), &project, [&](const json& e) { events.all.push_back(e); });
    std::vector<json> data;
    for (const auto& e : events.all)
      if (e["event"] == "data") data.push_back(e);
    QCOMPARE(data.size(), std::size_t(2));
    QCOMPARE(data[0]["from_project"].get<int>(), 3); // one best path per tree
    QCOMPARE(data[1]["from_file"].get<int>(), 4);
    QCOMPARE(data[1]["from_project"].get<std::size_t>(), exportedPairs);
    QCOMPARE(data[1]["pairs"].get<std::size_t>(), exportedPairs + 4);
    const auto runs = project.runs().list();
    QCOMPARE(runs.size(), std::size_t(2));
    for (const auto& run : runs) {
      QCOMPARE(QString::fromStdString(run.status), QString("finished"));
      QVERIFY(!project.runs().metrics(run.id, "loss").empty());
      QCOMPARE(project.runs().checkpoints(run.id).size(), std::size_t(1));
    }
  }

  void lossCountsAssistantTokensOnly() {
    train::HfPolicy policy = train::HfPolicy::load({model_.string(), {}, 2048}, {}, "", 0);
    const train::ChatTokenization tokens(policy.chatFormat(), policy.tokenizer(), 2048);
    // A user turn after the last assistant turn: its tokens are context for nothing, so
    // only a loss that (wrongly) counted them would move when they change.
    const auto conversation = [](const std::string& lastUser, const std::string& reply) {
      return train::SftConversation{{{conversation::Role::User, "Hi there."},
                                     {conversation::Role::Assistant, reply},
                                     {conversation::Role::User, lastUser}},
                                    "test"};
    };
    const auto loss = [&](const train::SftConversation& c) {
      at::NoGradGuard noGrad;
      const train::TokenSequence s = *tokens.sft(c);
      return train::sftLoss(policy.model(), train::TokenBatch::of({s})).loss.item<double>();
    };
    const double reference = loss(conversation("Thanks, that is all.", "Hello! How can I help?"));
    // (Equal up to float rounding: a longer sequence may take other matmul kernels.)
    QVERIFY(std::abs(loss(conversation("Something else entirely, and longer.", "Hello! How can I help?")) - reference) < 1e-5);
    QVERIFY(std::abs(loss(conversation("Thanks, that is all.", "Goodbye, see you later.")) - reference) > 1e-2);

    // The targets are ChatFormat's assistant mask: the reply and its <|eot_id|>.
    const train::TokenSequence s = *tokens.sft(conversation("Thanks.", "Hello!"));
    std::string targetText;
    for (std::size_t t = 0; t < s.ids.size(); ++t)
      if (s.target[t]) targetText += policy.tokenizer().decode({static_cast<std::uint32_t>(s.ids[t])});
    QCOMPARE(QString::fromStdString(targetText), QString("Hello!<|eot_id|>"));

    // A preference reply is the tokens after the generation prompt up to its <|eot_id|>.
    const train::PreferenceExample pair = tokens.preference(
        {{{conversation::Role::User, "Hi."}}, {conversation::Role::Assistant, "Yes."}, {conversation::Role::Assistant, "No!"}, "test"});
    const auto text = [&](const std::vector<std::int64_t>& ids) {
      return QString::fromStdString(policy.tokenizer().decode({ids.begin(), ids.end()}));
    };
    QCOMPARE(text(pair.chosen), QString("Yes.<|eot_id|>"));
    QCOMPARE(text(pair.rejected), QString("No!<|eot_id|>"));
    QVERIFY(text(pair.prompt).endsWith("<|start_header_id|>assistant<|end_header_id|>\n\n"));
  }

  void fullFineTuningWritesAnHfCheckpoint() {
    json value = loraConfig("out-full", json::array({{{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"}, {"epochs", 5},
                                                      {"batch_size", 4}, {"learning_rate", 3e-3}}}));
    value["policy"].erase("lora");
    const train::TrainConfig c = config(value);
    const Events events = runStages(c);
    const auto steps = events.steps("sft");
    QVERIFY(steps.back()["loss"].get<double>() < steps.front()["loss"].get<double>());
    for (const char* file : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"})
      QVERIFY2(fs::exists(path("out-full/sft") / file), file);
    // Every weight trained: the checkpoint differs from the base in the embeddings too.
    model::CausalLm base = model::loadCausalLm(model_.string());
    model::CausalLm trained = model::loadCausalLm(path("out-full/sft").string());
    QVERIFY(!at::equal(base->model->embed_tokens->weight, trained->model->embed_tokens->weight));
    QVERIFY(!at::equal(base->model->layers[0]->self_attn->q_proj->weight, trained->model->layers[0]->self_attn->q_proj->weight));
  }

  // dtype bf16 (what a GPU run uses), here on the CPU: the frozen base is held in bf16, the
  // adapters in float32, and training still lowers the loss; the adapter is saved float32.
  void loraOnABf16Base() {
    json value = loraConfig("out-bf16", json::array({{{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"}, {"epochs", 5},
                                                      {"batch_size", 2}, {"learning_rate", 1e-2}}}));
    value["dtype"] = "bf16";
    const train::TrainConfig c = config(value);
    train::HfPolicy policy = train::HfPolicy::load(*c.hf, model::DeviceSettings::parse(c.device, c.dtype), "", 1);
    for (auto& item : policy.model().named_parameters())
      QCOMPARE(item.value().scalar_type(), item.key().find(".lora_") != std::string::npos ? at::kFloat : at::kBFloat16);
    const Events events = runStages(c);
    const auto steps = events.steps("sft");
    QCOMPARE(steps.size(), std::size_t(10));
    QVERIFY2(steps.back()["loss"].get<double>() < steps.front()["loss"].get<double>() - 0.5,
             (steps.front()["loss"].dump() + " -> " + steps.back()["loss"].dump()).c_str());
    const model::SafetensorsFile adapter(path("out-bf16/sft/adapter_model.safetensors").string());
    for (const auto& record : adapter.header().tensors) QCOMPARE(record.dtype, model::DType::F32);
  }

  // A stage stopped after step 3 and resumed from its checkpoint repeats the uninterrupted
  // stage's losses bit for bit: LoRA with dropout on (its draws seeded by step), and full
  // fine-tuning (its resumable checkpoints keep the float32 weights).
  // On a bf16 base too: the adapter read back from the checkpoint is float32, as trained
  // (read into bf16 adapters first, it lost up to 4e-4 and the losses parted).
  void resumeRepeatsTheLosses_data() {
    QTest::addColumn<bool>("lora");
    QTest::addColumn<QString>("dtype");
    QTest::newRow("lora") << true << "auto";
    QTest::newRow("full") << false << "auto";
    QTest::newRow("lora-bf16") << true << "bf16";
  }
  void resumeRepeatsTheLosses() {
    QFETCH(bool, lora);
    QFETCH(QString, dtype);
    const std::string tag = std::string(lora ? "lora" : "full") + "-" + dtype.toStdString();
    const json stages = json::array({{{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"}, {"epochs", 3}, {"batch_size", 2},
                                      {"learning_rate", lora ? 1e-2 : 1e-3}, {"checkpoint_every", 2}}});
    const auto configFor = [&](const std::string& output) {
      json value = loraConfig(output, stages);
      if (!lora) value["policy"].erase("lora");
      value["dtype"] = dtype.toStdString();
      return config(value);
    };
    const Events whole = runStages(configFor("out-whole-" + tag));
    // The stop writes checkpoint-3; the resumed run trains steps 4..6.
    Events first;
    train::runTraining(configFor("out-stopped-" + tag), nullptr, [&](const json& e) { first.all.push_back(e); },
                       [&first] { return first.steps("sft").size() >= 3; });
    QCOMPARE(first.steps("sft").size(), std::size_t(3));
    const fs::path checkpoint = path("out-stopped-" + tag + "/sft.checkpoints/checkpoint-3");
    QVERIFY(fs::exists(checkpoint / (lora ? "adapter_model.safetensors" : "model.safetensors")));
    if (!lora) QCOMPARE(json::parse(test::readFile(checkpoint / "config.json"))["torch_dtype"].get<std::string>(), std::string("float32"));
    const train::ResumeRequest request = train::resumePath(path("out-stopped-" + tag + "/sft").string(), nullptr);
    const Events rest = runStages(request.config, {}, &request.point);
    std::vector<double> resumed;
    for (const auto& e : first.steps("sft")) resumed.push_back(e["loss"].get<double>());
    for (const auto& e : rest.steps("sft")) resumed.push_back(e["loss"].get<double>());
    const auto all = whole.steps("sft");
    QCOMPARE(resumed.size(), all.size());
    for (std::size_t i = 0; i < all.size(); ++i) QCOMPARE(resumed[i], all[i]["loss"].get<double>());
  }

  // The GPU presets pass the checks a run makes (`collab train --check`) once policy.model
  // names a checkpoint, here the tiny one, and say the reference settings; the TOML
  // version of a preset reads as the same config as its JSON.
  void gpuPresetsCheckWithAModel() {
    const fs::path presets = fs::path(COLLAB_SOURCE_DIR) / "resources/presets";
    std::map<std::string, train::TrainConfig> read;
    for (const char* name : {"llama-3-8b-lora-gpu.json", "llama-3-8b-lora-gpu.toml", "mistral-7b-lora-gpu.json"}) {
      const fs::path file = presets / name;
      json value = file.extension() == ".toml" ? train::readTomlFile(file.string()) : json::parse(test::readFile(file));
      value["policy"]["model"] = model_.string();
      const train::TrainConfig c = train::TrainConfig::fromJson(value, file.string(), presets.string());
      QVERIFY(c.hf.has_value() && c.hf->lora.has_value());
      QCOMPARE(c.hf->lora->rank, std::int64_t(32));
      QCOMPARE(c.hf->lora->alpha, 16.0);
      QCOMPARE(c.hf->lora->dropout, 0.1);
      QCOMPARE(c.hf->lora->targets.size(), std::size_t(7));
      QCOMPARE(QString::fromStdString(c.device), QString("cuda"));
      QCOMPARE(QString::fromStdString(c.dtype), QString("bf16"));
      QCOMPARE(c.stages.size(), std::size_t(2));
      QCOMPARE(c.stages[0].learningRate, 1e-5);
      QCOMPARE(c.stages[1].learningRate, 5e-6);
      QCOMPARE(c.stages[1].beta, 0.1);
      QVERIFY(c.stages[0].projectData && c.stages[1].projectData && c.stages[1].humanPreferences);
      read.emplace(name, c);
    }
    const json fromJson = read.at("llama-3-8b-lora-gpu.json").resolvedJson();
    const json fromToml = read.at("llama-3-8b-lora-gpu.toml").resolvedJson();
    QVERIFY2(fromJson == fromToml, (fromJson.dump() + "\n" + fromToml.dump()).c_str());
  }

  void badInputIsNamed() {
    // A missing model directory.
    json value = loraConfig("out-bad", json::array({{{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"}}}));
    value["policy"]["model"] = "no-such-model";
    QString error = errorOf([&] { config(value); });
    QVERIFY2(error.contains("test.json") && error.contains("policy.model") && error.contains("no-such-model"), qPrintable(error));

    // An unknown LoRA target.
    value = loraConfig("out-bad", json::array({{{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"}}}));
    value["policy"]["lora"]["targets"] = {"q_proj", "qkv_proj"};
    error = errorOf([&] { config(value); });
    QVERIFY2(error.contains("policy.lora.targets") && error.contains("\"qkv_proj\"") && error.contains("gate_proj"), qPrintable(error));

    // Stages a Hugging Face policy cannot train, and a stage without data.
    value = loraConfig("out-bad", json::array({{{"name", "ppo"}, {"method", "ppo"}, {"data", "sft.jsonl"}}}));
    QVERIFY(errorOf([&] { config(value); }).contains("stages[0].method"));
    value = loraConfig("out-bad", json::array({{{"name", "sft"}, {"method", "sft"}}}));
    QVERIFY(errorOf([&] { config(value); }).contains("stages[0].data"));
    value = loraConfig("out-bad", json::array({{{"name", "sft"}, {"method", "sft"}, {"data", "missing.jsonl"}}}));
    QVERIFY(errorOf([&] { config(value); }).contains("missing.jsonl"));

    // A malformed JSONL row, named with its line.
    const fs::path broken = write("broken.jsonl", sftRows().substr(0, sftRows().find('\n') + 1) + "{\"messages\": [\n");
    error = errorOf([&] { train::readSftFile(broken.string()); });
    QVERIFY2(error.startsWith(QString::fromStdString(broken.string() + ":2: invalid JSON")), qPrintable(error));
    const fs::path noAssistant = write("user-only.jsonl", "\n" + json{{"messages", {message("user", "hi")}}}.dump() + "\n");
    error = errorOf([&] { train::readSftFile(noAssistant.string()); });
    QVERIFY2(error.startsWith(QString::fromStdString(noAssistant.string() + ":2:")) && error.contains("assistant"), qPrintable(error));
    const fs::path badReply = write("bad-reply.jsonl", json{{"prompt", "hi"}, {"chosen", {message("user", "x")}}, {"rejected", "y"}}.dump());
    error = errorOf([&] { train::readPreferenceFile(badReply.string()); });
    QVERIFY2(error.startsWith(QString::fromStdString(badReply.string() + ":1:")) && error.contains("chosen"), qPrintable(error));

    // A stage that wants the project's data, run without one.
    value = loraConfig("out-bad", json::array({{{"name", "sft"}, {"method", "sft"}, {"project_data", true}}}));
    error = errorOf([&] { runStages(config(value)); });
    QVERIFY2(error.contains("--project"), qPrintable(error));

    // The built-in policy takes no data fields.
    QVERIFY(errorOf([&] {
              config({{"output", "x"}, {"stages", {{{"name", "sft"}, {"method", "sft"}, {"data", "sft.jsonl"}}}}});
            }).contains("only a Hugging Face policy"));
  }
};

QTEST_GUILESS_MAIN(HfTrainingTest)
#include "tst_hf_training.moc"
