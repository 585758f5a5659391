// Resumable checkpoints on disk: a checkpoint appears whole or not at all, the newest is
// kept, a failed or interrupted write (a full disk, a kill) leaves the previous one
// intact and says why; the trainer state and the DPO pairs read back exactly.

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "train/CheckpointFolder.h"
#include "train/PreferenceFile.h"
#include "train/StageCheckpoint.h"

#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <sys/resource.h>

namespace fs = std::filesystem;
using namespace collab;
using train::CheckpointFolder;

namespace {

std::string contentOf(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> entriesOf(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Writes a checkpoint whose one file says which step it is.
std::string writeStep(const CheckpointFolder& folder, std::int64_t step, std::size_t bytes = 16) {
  return folder.write(step, [&](const std::string& directory) {
    writeFileAtomically((fs::path(directory) / "weights").string(), "step " + std::to_string(step) + std::string(bytes, '.'));
  });
}

// RLIMIT_FSIZE for the scope: writes past `bytes` fail with EFBIG (SIGXFSZ ignored), as
// they do with ENOSPC on a full disk.
class FileSizeLimit {
public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }

private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

} // namespace

class CheckpointsTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  std::string folderPath(const char* name) const { return dir_.filePath(name).toStdString(); }

private Q_SLOTS:
  void keepsTheNewestWholeCheckpoint() {
    const CheckpointFolder folder(CheckpointFolder::forStage(folderPath("out/sft")));
    QCOMPARE(folder.directory(), folderPath("out/sft.checkpoints"));
    QVERIFY(!folder.latest());
    QCOMPARE(writeStep(folder, 3), folderPath("out/sft.checkpoints/checkpoint-3"));
    writeStep(folder, 12);
    QCOMPARE(entriesOf(folder.directory()), (std::vector<std::string>{"checkpoint-12"}));
    QCOMPARE(*folder.latest(), folder.pathOf(12));
    QVERIFY(contentOf(fs::path(*folder.latest()) / "weights").starts_with("step 12"));
  }

  void aFailedWriteLeavesThePreviousCheckpoint() {
    const CheckpointFolder folder(folderPath("failing"));
    writeStep(folder, 5);
    try {
      folder.write(10, [](const std::string& directory) {
        writeFileAtomically((fs::path(directory) / "weights").string(), "half");
        throw Error("disk on fire");
      });
      QFAIL("the failure was swallowed");
    } catch (const Error& e) {
      QCOMPARE(std::string(e.what()), "cannot write checkpoint " + folder.pathOf(10) + ": disk on fire");
    }
    QCOMPARE(entriesOf(folder.directory()), (std::vector<std::string>{"checkpoint-5"}));
    QVERIFY(contentOf(fs::path(*folder.latest()) / "weights").starts_with("step 5"));
  }

  void aFullDiskNamesTheFileAndTheError() {
    const CheckpointFolder folder(folderPath("full"));
    writeStep(folder, 4, 100);
    {
      FileSizeLimit limit(4096);
      try {
        writeStep(folder, 8, 64 * 1024);
        QFAIL("a write past RLIMIT_FSIZE succeeded");
      } catch (const Error& e) {
        const std::string message = e.what();
        QVERIFY2(message.starts_with("cannot write checkpoint " + folder.pathOf(8) + ": "), e.what());
        QVERIFY2(message.find("/weights: cannot write: " + std::string(std::strerror(EFBIG))) != std::string::npos, e.what());
      }
    }
    QCOMPARE(entriesOf(folder.directory()), (std::vector<std::string>{"checkpoint-4"}));
    QCOMPARE(contentOf(fs::path(folder.pathOf(4)) / "weights").size(), std::size_t(106));
  }

  void debrisOfAKilledWriterIsIgnoredThenRemoved() {
    const CheckpointFolder folder(folderPath("killed"));
    writeStep(folder, 2);
    fs::create_directories(folder.directory() + "/checkpoint-7.partial-99999/x");
    std::ofstream(folder.directory() + "/checkpoint-7.partial-99999.vocab") << "";
    QCOMPARE(*folder.latest(), folder.pathOf(2));
    folder.removeDebris();
    QCOMPARE(entriesOf(folder.directory()), (std::vector<std::string>{"checkpoint-2"}));
    folder.clear();
    QVERIFY(!fs::exists(folder.directory()));
  }

  void stepsAreReadFromNames() {
    QCOMPARE(CheckpointFolder::stepOf("checkpoint-25"), std::optional<std::int64_t>(25));
    QCOMPARE(CheckpointFolder::stepOf("checkpoint-0"), std::optional<std::int64_t>(0));
    for (const char* name : {"checkpoint-", "checkpoint-2x", "checkpoint-3.partial-1", "model-3", "checkpoint--1"})
      QVERIFY2(!CheckpointFolder::stepOf(name), name);
  }

  void trainerStateReadsBack() {
    train::TrainerState state{"dpo", 7, {25, 2, 3}, 44, 91, {{"name", "x"}, {"output", "/o"}}, {}};
    const std::string directory = folderPath("state");
    fs::create_directories(directory);
    writeFileAtomically(directory + "/trainer_state.json", state.toJson().dump());
    const train::TrainerState back = train::TrainerState::read(directory);
    QCOMPARE(back.toJson(), state.toJson());
    std::ofstream(directory + "/trainer_state.json") << R"({"format": "collab-trainer-state/1", "stage": "dpo"})";
    try {
      train::TrainerState::read(directory);
      QFAIL("a trainer state without its fields was read");
    } catch (const InputError& e) {
      QCOMPARE(std::string(e.what()), directory + "/trainer_state.json: run: missing or of the wrong type");
    }
  }

  // An online stage's round boundary reads back; a file without it (SFT, offline DPO, a
  // file written before online stages resumed) reads as it did, and a broken one names
  // the file and the field.
  void onlineTrainerStateReadsBack() {
    train::TrainerState state{"ppo", 3, {42, 0, 0}, 0, 0, {{"name", "x"}}, {}};
    state.online = train::TrainerState::Rounds{5, 1234, 0xfedcba9876543210ull};
    const std::string directory = folderPath("online-state");
    fs::create_directories(directory);
    const std::string file = directory + "/trainer_state.json";
    writeFileAtomically(file, state.toJson().dump());
    const train::TrainerState back = train::TrainerState::read(directory);
    QVERIFY(back.online);
    QCOMPARE(back.online->done, 5);
    QCOMPARE(back.online->sampleCalls, std::uint64_t(1234));
    QCOMPARE(back.online->referenceFingerprint, 0xfedcba9876543210ull);
    QCOMPARE(back.position.step, std::int64_t(42)); // no total to check it against
    QCOMPARE(back.toJson(), state.toJson());
    QCOMPARE(state.toJson()["online"]["reference_fingerprint"], "fedcba9876543210");

    state.online.reset();
    state.maxSteps = 50;
    writeFileAtomically(file, state.toJson().dump());
    QVERIFY(!train::TrainerState::read(directory).online);

    nlohmann::json broken = state.toJson();
    broken["online"] = {{"rounds_done", 2}, {"sample_calls", 7}, {"reference_fingerprint", "12ab"}};
    writeFileAtomically(file, broken.dump());
    try {
      train::TrainerState::read(directory);
      QFAIL("a short fingerprint was read");
    } catch (const InputError& e) {
      QCOMPARE(std::string(e.what()), file + ": online.reference_fingerprint: expected 16 hex digits, found \"12ab\"");
    }
    broken["online"].erase("sample_calls");
    writeFileAtomically(file, broken.dump());
    try {
      train::TrainerState::read(directory);
      QFAIL("a round boundary without its draw count was read");
    } catch (const InputError& e) {
      QCOMPARE(std::string(e.what()), file + ": online.sample_calls: missing or of the wrong type");
    }
  }

  void preferencesReadBackBitForBit() {
    train::PreferenceData data;
    data.pairs = {{{1, 2, 3}, {4, 5}, {6}}, {{7}, {8}, {9, 10}}};
    data.reference = {{-1.0 / 3.0, -2.718281828459045}, {-1e-30, -123456.789012345678}};
    data.summary = {{"event", "data"}, {"pairs", 2}};
    const std::string path = folderPath("preferences.json");
    train::writePreferenceData(path, data);
    const train::PreferenceData back = train::readPreferenceData(path);
    QCOMPARE(back.pairs.size(), std::size_t(2));
    QCOMPARE(back.pairs[1].rejected, (std::vector<std::int64_t>{9, 10}));
    QCOMPARE(back.reference.chosen, data.reference.chosen); // exact: no digits lost in the JSON
    QCOMPARE(back.reference.rejected, data.reference.rejected);
    QCOMPARE(back.summary, data.summary);
  }
};

QTEST_APPLESS_MAIN(CheckpointsTest)
#include "tst_checkpoints.moc"
