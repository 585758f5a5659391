// `collab train` with a Hugging Face policy, as a subprocess: the GPU presets pass
// `--check` once policy.model names a checkpoint (JSON and TOML), the placeholder path is
// refused naming the field, and a tiny LoRA run from a TOML config prints its steps and
// writes a PEFT adapter and the runs in the project.

#include "TestHelpers.h"
#include "TinyChatModel.h"
#include "store/Project.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kPresets = fs::path(COLLAB_SOURCE_DIR) / "resources/presets";

std::vector<json> jsonLines(const QByteArray& text) {
  std::vector<json> lines;
  for (const auto& line : text.split('\n'))
    if (!line.isEmpty()) lines.push_back(json::parse(line.toStdString()));
  return lines;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) qFatal("'%s' not found", from.c_str());
  return text.replace(at, from.size(), to);
}

} // namespace

class TrainCliHfTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path model_;

  fs::path path(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }
  QString at(const std::string& name) const { return QString::fromStdString(path(name).string()); }

  int run(const QStringList& arguments, QByteArray* out = nullptr, QByteArray* err = nullptr) {
    QProcess process;
    process.setWorkingDirectory(dir_.path());
    process.start(COLLAB_CLI_BIN, arguments);
    if (!process.waitForFinished(300000)) qFatal("collab did not finish");
    if (out) *out = process.readAllStandardOutput();
    if (err) *err = process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
  }

private Q_SLOTS:
  void initTestCase() {
    // tiny-llama with a chat template: a checkpoint a preset can point at.
    model_ = collab::test::copyTinyLlama(path("model"));
  }

  void gpuPresetsPassTheCheck() {
    // Each preset's placeholder folder: the check reads the model's own chat template.
    const std::vector<std::pair<std::string, std::string>> presets = {
        {"llama-3-8b-lora-gpu.json", "/models/Meta-Llama-3-8B-Instruct"},
        {"llama-3-8b-lora-gpu.toml", "/models/Meta-Llama-3-8B-Instruct"},
        {"mistral-7b-lora-gpu.json", "/models/Mistral-7B-Instruct-v0.1"},
        {"llama-3.1-8b-lora-gpu.json", "/models/Llama-3.1-8B-Instruct"},
        {"qwen2.5-0.5b-lora-gpu.json", "/models/Qwen2.5-0.5B-Instruct"}};
    for (const auto& [name, from] : presets) {
      std::string text = collab::test::readFile(kPresets / name);
      collab::test::writeFile(dir_, name.c_str(), replaced(text, from, model_.string()));
      QByteArray out, err;
      QCOMPARE(run({"train", "--config", at(name), "--check"}, &out, &err), 0);
      const auto lines = jsonLines(out);
      QCOMPARE(lines.size(), std::size_t(1));
      QCOMPARE(lines[0]["ok"].get<bool>(), true);
      QCOMPARE(lines[0]["policy"]["model"].get<std::string>(), model_.string());
      QCOMPARE(lines[0]["policy"]["lora"].get<bool>(), true);
      QCOMPARE(lines[0]["device"].get<std::string>(), std::string("cuda"));
      QCOMPARE(lines[0]["stages"].size(), std::size_t(2));
    }
    // As shipped, the model path is a placeholder: refused, naming the file and field.
    QByteArray out, err;
    const QString preset = QString::fromStdString((kPresets / "llama-3-8b-lora-gpu.toml").string());
    QCOMPARE(run({"train", "--config", preset, "--check"}, &out, &err), 3);
    QVERIFY2(err.contains("llama-3-8b-lora-gpu.toml: policy.model: \"/models/Meta-Llama-3-8B-Instruct\" is not a directory"),
             err.constData());
  }

  void tomlSyntaxErrorExitsThree() {
    collab::test::writeFile(dir_, "broken.toml", "name = \"x\"\n[policy\nmodel = \"m\"\n");
    QByteArray out, err;
    QCOMPARE(run({"train", "--config", at("broken.toml"), "--check"}, &out, &err), 3);
    QVERIFY2(err.contains("broken.toml:2:"), err.constData());
  }

  void trainsATinyLoraFromToml() {
    QCOMPARE(run({"init", at("p.collab")}), 0);
    std::string rows;
    for (const char* reply : {"Paris.", "Five.", "Blue.", "Hello!"})
      rows += json{{"messages", {{{"role", "user"}, {"content", "Tell me something."}}, {{"role", "assistant"}, {"content", reply}}}}}.dump() + "\n";
    collab::test::writeFile(dir_, "sft.jsonl", rows);
    collab::test::writeFile(dir_, "tiny.toml",
                            "name = \"tiny\"\noutput = \"out\"\nseed = 2\n\n[policy]\nmodel = \"model\"\n[policy.lora]\nr = 4\n\n"
                            "[[stages]]\nname = \"sft\"\nmethod = \"sft\"\ndata = \"sft.jsonl\"\nepochs = 4\nbatch_size = 2\n"
                            "learning_rate = 1e-2\n");
    QByteArray out, err;
    QCOMPARE(run({"train", "--config", at("tiny.toml"), "--project", at("p.collab")}, &out, &err), 0);
    std::vector<double> losses;
    for (const auto& e : jsonLines(out))
      if (e["event"] == "step") losses.push_back(e["loss"].get<double>());
    QCOMPARE(losses.size(), std::size_t(8));
    QVERIFY(losses.back() < losses.front());
    QVERIFY(fs::exists(path("out/sft/adapter_config.json")));
    QVERIFY(fs::exists(path("out/sft/adapter_model.safetensors")));
    auto project = collab::store::Project::open(path("p.collab"));
    const auto runs = project.runs().list();
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(runs[0].status), QString("finished"));
    QCOMPARE(project.runs().metrics(runs[0].id, "loss").size(), std::size_t(8));
  }
};

QTEST_GUILESS_MAIN(TrainCliHfTest)
#include "tst_train_cli_hf.moc"
