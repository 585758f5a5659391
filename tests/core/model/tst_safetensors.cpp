// The safetensors reader and writer, and HF checkpoint directories: round trips are exact,
// and every kind of bad file is refused with a message naming the file and the problem.

#include "common/Error.h"
#include "model/Checkpoint.h"
#include "model/Safetensors.h"
#include "model/TensorFiles.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

using namespace collab::model;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kModels = fs::path(COLLAB_TEST_DATA_DIR) / "models";

// A file made of an 8-byte length, the given header text and `dataBytes` zero bytes.
std::string rawFile(const std::string& header, std::size_t dataBytes, std::uint64_t claimedLength = ~0ull) {
  const std::uint64_t length = claimedLength == ~0ull ? header.size() : claimedLength;
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xff);
  return out + header + std::string(dataBytes, '\0');
}

std::string messageOf(const std::string& bytes) {
  try {
    parseSafetensorsHeader({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, "bad.safetensors");
  } catch (const collab::InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string loadError(const fs::path& dir) {
  try {
    loadCausalLm(dir.string());
  } catch (const collab::Error& e) {
    return e.what();
  }
  return "(loaded)";
}

} // namespace

class SafetensorsTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void writeThenReadIsExact() {
    QTemporaryDir dir;
    const std::string path = (fs::path(dir.path().toStdString()) / "t.safetensors").string();
    const at::Tensor a = at::randn({3, 5});
    const at::Tensor b = at::arange(7, at::kLong);
    saveTensors(path, {{"b", b}, {"a", a}}, at::kFloat, {{"format", "pt"}});
    const SafetensorsFile file(path);
    QCOMPARE(file.header().tensors.size(), std::size_t(2));
    QCOMPARE(file.header().metadata.at("format"), std::string("pt"));
    QCOMPARE(file.header().dataOffset % 8, std::uint64_t(0));
    QVERIFY(at::equal(readTensor(file, *file.find("a")), a));
    QVERIFY(at::equal(readTensor(file, *file.find("b")), b)); // integers keep their type
  }

  void bfloat16IsConvertedExactly() {
    QTemporaryDir dir;
    const std::string path = (fs::path(dir.path().toStdString()) / "t.safetensors").string();
    const at::Tensor original = at::randn({4, 4}).to(at::kBFloat16);
    saveTensors(path, {{"w", original}}, at::kBFloat16);
    const SafetensorsFile file(path);
    QCOMPARE(file.find("w")->dtype, DType::BF16);
    QVERIFY(at::equal(readTensor(file, *file.find("w")).to(at::kFloat), original.to(at::kFloat)));
  }

  void badHeadersAreRefused_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const std::string good = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    auto row = [](const char* name, const std::string& bytes, const char* expected) {
      QTest::newRow(name) << QByteArray(bytes.data(), static_cast<int>(bytes.size())) << QString(expected);
    };
    row("too short", std::string(5, '\0'), "less than the 8-byte header length");
    row("length past the end", rawFile(good, 8, 4096), "runs past the end");
    row("absurd length", rawFile(good, 8, 1ull << 40), "exceeds the 100 MB limit");
    row("not json", rawFile("{not json", 0), "not valid JSON");
    row("not an object", rawFile("[1,2]", 0), "not a JSON object");
    row("unknown dtype", rawFile(R"({"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", 2), "unknown dtype \"F8_E4M3\"");
    row("missing shape", rawFile(R"({"w":{"dtype":"F32","data_offsets":[0,8]}})", 8), "tensor 'w': missing \"shape\"");
    row("negative dim", rawFile(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8), "non-negative integer");
    row("size lies", rawFile(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8), "needs 12 bytes but data_offsets span 8");
    row("end before begin", rawFile(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 8), "is before begin");
    row("truncated data", rawFile(good, 4), "truncated");
    row("overlap", rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8), "overlap");
    row("hole", rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8), "a hole of 4 bytes");
    row("trailing bytes", rawFile(good, 16), "describes 8 bytes of data but the file holds 16");
    row("huge shape", rawFile(R"({"w":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8), "shape is too large");
    // Found by fuzz/fuzz_safetensors_header: the element count overflowed int64 in numel()
    // before the zero dimension made it 0.
    row("shape overflows before a zero", rawFile(R"({"w":{"dtype":"F32","shape":[4611686018427387904,3,0],"data_offsets":[0,0]}})", 0), "shape is too large");
    row("nested dimension", rawFile(R"({"w":{"dtype":"F32","shape":[[[2]]],"data_offsets":[0,8]}})", 8), "shape: expected a non-negative integer, found a array");
    row("metadata not strings", rawFile(R"({"__metadata__":{"a":1},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 8), "must be a string");
  }

  void badHeadersAreRefused() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const std::string message = messageOf(bytes.toStdString());
    QVERIFY2(message.starts_with("bad.safetensors: "), message.c_str());
    QVERIFY2(QString::fromStdString(message).contains(expected), message.c_str());
  }

  void checkpointRoundTripIsExact() {
    QTemporaryDir dir;
    const fs::path out = fs::path(dir.path().toStdString()) / "copy";
    CausalLm original = loadCausalLm((kModels / "tiny-qwen2").string());
    saveCausalLm(*original, out.string(), {at::kFloat, (kModels / "tiny-qwen2").string(), {}});
    for (const char* file : {"config.json", "generation_config.json", "model.safetensors", "tokenizer.json"})
      QVERIFY2(fs::exists(out / file), file);
    CausalLm copy = loadCausalLm(out.string());
    const auto a = original->named_parameters(), b = copy->named_parameters();
    QCOMPARE(a.size(), b.size());
    for (const auto& item : a) QVERIFY2(at::equal(item.value(), b[item.key()]), item.key().c_str());
    QVERIFY(!fs::exists(out.string() + ".partial-" + std::to_string(::getpid())));
  }

  // Loading copies each tensor straight from the mapping into its parameter when the dtypes
  // agree, converts when not (a bfloat16 checkpoint into float32 parameters), and unmaps
  // each file when done with it.
  void loadingCopiesDirectlyOrConverts() {
    QTemporaryDir dir;
    const fs::path halves = fs::path(dir.path().toStdString()) / "bf16";
    CausalLm original = loadCausalLm((kModels / "tiny-llama").string());
    saveCausalLm(*original, halves.string(), {at::kBFloat16, {}, {}});
    CausalLm loaded = loadCausalLm(halves.string());
    for (const auto& item : original->named_parameters())
      QVERIFY2(at::equal(loaded->named_parameters()[item.key()], item.value().to(at::kBFloat16).to(at::kFloat)),
               item.key().c_str());

    CheckpointTensors tensors((kModels / "tiny-llama").string());
    const std::string name = "model.norm.weight";
    at::Tensor direct = at::empty(at::IntArrayRef(tensors.record(name).shape));
    tensors.copyInto(name, direct);
    QVERIFY(at::equal(direct, original->model->norm->weight));
    at::Tensor strided = at::empty({2 * direct.size(0)}).slice(0, 0, 2 * direct.size(0), 2); // not contiguous
    tensors.copyInto(name, strided);
    QVERIFY(at::equal(strided, direct));
    QCOMPARE(tensors.fileCount(), std::size_t{1});
    tensors.close(0);
    QVERIFY_THROWS_EXCEPTION(collab::Error, tensors.read(name));
  }

  void shardedCheckpointsLoad() {
    QTemporaryDir dir;
    const fs::path sharded = fs::path(dir.path().toStdString()) / "sharded";
    fs::create_directories(sharded);
    fs::copy_file(kModels / "tiny-llama" / "config.json", sharded / "config.json");
    const CheckpointTensors whole((kModels / "tiny-llama").string());
    std::vector<std::pair<std::string, at::Tensor>> first, second;
    json map = json::object();
    for (const auto& name : whole.names()) {
      const bool early = name.find("layers.1.") == std::string::npos && name != "lm_head.weight";
      (early ? first : second).emplace_back(name, whole.read(name));
      map[name] = early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
    }
    saveTensors((sharded / "model-00001-of-00002.safetensors").string(), first, at::kFloat);
    saveTensors((sharded / "model-00002-of-00002.safetensors").string(), second, at::kFloat);
    std::ofstream(sharded / "model.safetensors.index.json") << json{{"metadata", json::object()}, {"weight_map", map}}.dump();
    CausalLm a = loadCausalLm((kModels / "tiny-llama").string()), b = loadCausalLm(sharded.string());
    QVERIFY(at::equal(a->outputWeight(), b->outputWeight()));
    QVERIFY(at::equal(a->model->layers[1]->mlp->down_proj->weight, b->model->layers[1]->mlp->down_proj->weight));
  }

  void badCheckpointsAreRefused() {
    QTemporaryDir dir;
    const fs::path base = fs::path(dir.path().toStdString());
    const CheckpointTensors tensors((kModels / "tiny-llama").string());
    auto variant = [&](const char* name, auto edit) {
      const fs::path d = base / name;
      fs::create_directories(d);
      fs::copy_file(kModels / "tiny-llama" / "config.json", d / "config.json");
      std::vector<std::pair<std::string, at::Tensor>> all;
      for (const auto& n : tensors.names()) all.emplace_back(n, tensors.read(n));
      edit(all, d);
      saveTensors((d / "model.safetensors").string(), all, at::kFloat);
      return loadError(d);
    };
    auto contains = [](const std::string& message, const char* part) {
      return message.find(part) != std::string::npos;
    };
    std::string m = variant("missing", [](auto& all, auto&) { all.pop_back(); });
    QVERIFY2(contains(m, "weight(s) missing"), m.c_str());
    m = variant("extra", [](auto& all, auto&) { all.emplace_back("model.layers.9.mlp.up_proj.weight", at::zeros({2})); });
    QVERIFY2(contains(m, "model.safetensors: unexpected tensor 'model.layers.9.mlp.up_proj.weight'"), m.c_str());
    m = variant("shape", [](auto& all, auto&) {
      for (auto& [n, t] : all)
        if (n == "model.norm.weight") t = at::ones({63});
    });
    QVERIFY2(contains(m, "tensor 'model.norm.weight' has shape [63] but the config implies [64]"), m.c_str());
    m = variant("architecture", [](auto&, const fs::path& d) {
      std::ofstream(d / "config.json") << R"({"model_type": "gpt_neox", "vocab_size": 10})";
    });
    QVERIFY2(contains(m, "config.json: model_type \"gpt_neox\" is not supported"), m.c_str());
    m = variant("config", [](auto&, const fs::path& d) { std::ofstream(d / "config.json") << "{ oops"; });
    QVERIFY2(contains(m, "config.json: not valid JSON"), m.c_str());
    m = variant("gqa", [](auto&, const fs::path& d) {
      auto c = json::parse(std::ifstream(kModels / "tiny-llama" / "config.json"));
      c["num_key_value_heads"] = 3;
      std::ofstream(d / "config.json") << c.dump();
    });
    QVERIFY2(contains(m, "num_attention_heads (4) is not a multiple of num_key_value_heads (3)"), m.c_str());
    const fs::path empty = base / "empty";
    fs::create_directories(empty);
    fs::copy_file(kModels / "tiny-llama" / "config.json", empty / "config.json");
    m = loadError(empty);
    QVERIFY2(contains(m, "no model.safetensors"), m.c_str());
  }

  void failedSaveKeepsThePreviousCheckpoint() {
    QTemporaryDir dir;
    const fs::path out = fs::path(dir.path().toStdString()) / "ckpt";
    CausalLm model = loadCausalLm((kModels / "tiny-llama").string());
    saveCausalLm(*model, out.string());
    const auto before = fs::file_size(out / "model.safetensors");
    {
      at::NoGradGuard noGrad;
      model->model->norm->weight.fill_(2.0f);
    }
    QVERIFY_THROWS_EXCEPTION(std::exception, saveCausalLm(*model, out.string(), {at::kFloat, {}, {"/nonexistent/file"}}));
    QCOMPARE(fs::file_size(out / "model.safetensors"), before);
    CausalLm reloaded = loadCausalLm(out.string());
    QVERIFY(reloaded->model->norm->weight[0].item<float>() != 2.0f);
    int leftovers = 0;
    for (const auto& entry : fs::directory_iterator(dir.path().toStdString())) leftovers += entry.path().filename() != "ckpt";
    QCOMPARE(leftovers, 0);
  }
};

QTEST_APPLESS_MAIN(SafetensorsTest)
#include "tst_safetensors.moc"
