#include "ProjectDump.h"
#include "TestHelpers.h"
#include "io/Exporter.h"
#include "io/Importer.h"
#include "io/JsonFields.h"

#include <QtTest>

#include <sstream>

using namespace collab;
using namespace collab::io;
using collab::test::qs;

namespace {

std::string demoRows() {
  return collab::test::readFile(std::filesystem::path(COLLAB_SOURCE_DIR) / "resources/demo/demo-collabllm.jsonl");
}

void importText(store::Project& project, const std::string& text, ImportFormat format) {
  std::istringstream in(text);
  ImportOptions options;
  options.format = format;
  importJsonl(project, in, "rows.jsonl", options);
}

std::string exportText(store::Project& project, ExportOptions options) {
  std::ostringstream out;
  exportJsonl(project, out, options);
  return out.str();
}

ExportOptions optionsFor(ExportFormat format) {
  ExportOptions options;
  options.format = format;
  return options;
}

std::vector<Json> parseLines(const std::string& text) {
  std::vector<Json> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) rows.push_back(Json::parse(line));
  return rows;
}

} // namespace

class TestIoExport : public QObject {
  Q_OBJECT
  collab::test::ScratchProjects scratch_;
  store::Project freshProject() { return scratch_.next(); }

private slots:
  void collabllmRoundTripKeepsTheProjectContent() {
    auto first = freshProject();
    importText(first, demoRows(), ImportFormat::Collabllm);
    QVERIFY(first.trees().count() >= 5);
    const std::string exported = exportText(first, optionsFor(ExportFormat::Collabllm));

    auto second = freshProject();
    importText(second, exported, ImportFormat::Collabllm);
    QCOMPARE(qs(collab::test::projectDump(second)), qs(collab::test::projectDump(first)));
    // And once more: export of the re-import is byte-identical.
    QCOMPARE(qs(exportText(second, optionsFor(ExportFormat::Collabllm))), qs(exported));
  }

  void dpoPairsAreBestAgainstWorstPerTurn() {
    auto project = freshProject();
    const std::string rows =
        R"({"prompt":[{"role":"user","content":"q"}],"completion":"a","conv_id":"c","score":0.9})" "\n"
        R"({"prompt":[{"role":"user","content":"q"}],"completion":"b","conv_id":"c","score":0.5})" "\n"
        R"({"prompt":[{"role":"user","content":"q"}],"completion":"c","conv_id":"c","score":0.1})" "\n"
        R"({"prompt":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"more"}],"completion":"d","conv_id":"c","score":0.40})" "\n"
        R"({"prompt":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"more"}],"completion":"e","conv_id":"c","score":0.39})" "\n";
    importText(project, rows, ImportFormat::Collabllm);

    auto pairs = parseLines(exportText(project, optionsFor(ExportFormat::Dpo)));
    QCOMPARE(pairs.size(), std::size_t(2));
    QCOMPARE(pairs[0]["chosen"][0]["content"].get<std::string>(), std::string("a"));
    QCOMPARE(pairs[0]["rejected"][0]["content"].get<std::string>(), std::string("c"));
    QCOMPARE(pairs[0]["prompt"].size(), std::size_t(1));
    QCOMPARE(pairs[0]["score_chosen"].get<double>(), 0.9);
    QCOMPARE(pairs[1]["prompt"].size(), std::size_t(3));

    ExportOptions gap = optionsFor(ExportFormat::Dpo);
    gap.minGap = 0.05;
    pairs = parseLines(exportText(project, gap));
    QCOMPARE(pairs.size(), std::size_t(1)); // 0.40 vs 0.39 is below the gap
  }

  void trlPreferenceRowsComeBackFromPreferences() {
    auto project = freshProject();
    const std::string row =
        R"({"prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"assistant","content":"Hello!"}],"rejected":[{"role":"assistant","content":"Go away."}]})";
    importText(project, row + "\n", ImportFormat::TrlPreference);
    ExportOptions options = optionsFor(ExportFormat::Dpo);
    options.fromPreferences = true;
    auto pairs = parseLines(exportText(project, options));
    QCOMPARE(pairs.size(), std::size_t(1));
    Json expected = Json::parse(row);
    expected["annotator"] = "dataset";
    QCOMPARE(qs(pairs[0].dump()), qs(expected.dump()));
  }

  void sftExportsTheBestPathAndSftRoundTrips() {
    auto project = freshProject();
    const std::string rows =
        R"({"messages":[{"content":"Be brief.","role":"system"},{"content":"Hi","role":"user"},{"content":"Hello.","role":"assistant"}]})" "\n"
        R"({"messages":[{"content":"2+2?","role":"user"},{"content":"4","role":"assistant"}]})" "\n";
    importText(project, rows, ImportFormat::TrlSft);
    QCOMPARE(qs(exportText(project, optionsFor(ExportFormat::Sft))), qs(rows));

    auto demo = freshProject();
    importText(demo, demoRows(), ImportFormat::Collabllm);
    const auto best = parseLines(exportText(demo, optionsFor(ExportFormat::Sft)));
    QCOMPARE(best.size(), std::size_t(demo.trees().count()));
    // The demo's best first responses ask before answering.
    const std::string firstReply = best[1]["messages"][1]["content"];
    QVERIFY2(firstReply.find('?') != std::string::npos, firstReply.c_str());
  }

  void messagesAllPathsListsEveryLeaf() {
    auto project = freshProject();
    importText(project, demoRows(), ImportFormat::Collabllm);
    ExportOptions options = optionsFor(ExportFormat::Messages);
    const auto bestOnly = parseLines(exportText(project, options));
    options.allPaths = true;
    const auto all = parseLines(exportText(project, options));
    QVERIFY(all.size() > bestOnly.size());
    for (const Json& row : all) QVERIFY(row["messages"].size() >= 2);
  }
};

QTEST_GUILESS_MAIN(TestIoExport)
#include "tst_io_export.moc"
