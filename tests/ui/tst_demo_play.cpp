// The demo's streaming, auto-play and saving, with the real `collab chat` and `collab play`
// children on two tiny checkpoints trained here (one run, two short SFT stages), driven
// through the workbench's own windows: the act grows before the reply; two checkpoints play
// a task against the same simulated user to the end, with the summaries `collab play` gives
// on a terminal; the finished demos are saved as trees that read back turn for turn and
// show in the conversation list.

#include "ConversationListModel.h"
#include "MainWindow.h"
#include "ProjectDocument.h"
#include "demo/AutoPlayWindow.h"
#include "demo/ChatPane.h"
#include "demo/ChatSession.h"
#include "demo/ChatWindow.h"
#include "demo/PlayPane.h"
#include "demo/PlaySession.h"
#include "demo/TaskChooser.h"
#include "runs/RunPanels.h"
#include "store/Project.h"

#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace collab;
using namespace collab::ui;

class DemoPlayTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString base_, trained_;
  std::unique_ptr<MainWindow> window_;

  // One run, two checkpoints: OUT/base (one epoch of SFT on math tasks) and OUT/trained
  // (two more epochs from it). Seconds on 2 cores.
  bool train() {
    const QJsonArray stages{QJsonObject{{"name", "base"}, {"method", "sft"}, {"epochs", 1}, {"batch_size", 4}},
                            QJsonObject{{"name", "trained"}, {"method", "sft"}, {"epochs", 2}, {"batch_size", 4}}};
    const QJsonObject config{{"name", "play"}, {"seed", 3}, {"output", dir_.filePath("play")}, {"families", QJsonArray{"math"}},
                             {"tasks_per_family", 8}, {"stages", stages}};
    QFile file(dir_.filePath("play.json"));
    if (!file.open(QIODevice::WriteOnly)) return false;
    file.write(QJsonDocument(config).toJson());
    file.close();
    QProcess process;
    process.start(COLLAB_CLI_BIN, {"train", "--config", file.fileName()});
    if (!process.waitForFinished(120'000) || process.exitCode() != 0) {
      qWarning() << process.readAllStandardError();
      return false;
    }
    base_ = dir_.filePath("play/base");
    trained_ = dir_.filePath("play/trained");
    return true;
  }

  // What `collab play` prints as its last line for these settings, run as on a terminal.
  static QJsonObject cliSummary(const PlaySettings& settings) {
    QProcess process;
    process.start(COLLAB_CLI_BIN, settings.arguments());
    if (!process.waitForFinished(60'000) || process.exitCode() != 0) return {};
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
  }

  store::Project& project() { return *window_->project(); }

  // With COLLAB_DEMO_SCREENSHOTS=DIR, a picture of the window as the test left it, to look at.
  static void picture(QWidget* window, const char* name) {
    const QString folder = qEnvironmentVariable("COLLAB_DEMO_SCREENSHOTS");
    if (!folder.isEmpty()) window->grab().save(QDir(folder).filePath(QString(name) + ".png"));
  }

  // The turns of the tree along the branch whose nodes match `turns` one by one.
  static bool branchReadsBack(store::Project& project, qint64 tree, const std::vector<simulate::AuthoredTurn>& turns,
                              const std::string& userAuthor, QString* why) {
    std::optional<conversation::NodeId> parent;
    for (std::size_t i = 0; i < turns.size(); ++i) {
      const auto candidates = parent ? project.nodes().children(*parent) : project.nodes().roots(tree);
      const auto& want = turns[i];
      const std::string author = want.message.role == conversation::Role::User ? userAuthor : want.author;
      auto match = std::find_if(candidates.begin(), candidates.end(), [&](const conversation::Node& n) {
        return n.role == want.message.role && n.content == want.message.content && n.author == author;
      });
      if (match == candidates.end()) {
        *why = QStringLiteral("turn %1 (%2: %3) not found").arg(i).arg(QString::fromStdString(author), QString::fromStdString(want.message.content));
        return false;
      }
      parent = match->id;
    }
    return true;
  }

private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY(train());
    qputenv("COLLAB_CLI", COLLAB_CLI_BIN); // the windows' children
    window_ = std::make_unique<MainWindow>();
    window_->setProject(std::make_unique<store::Project>(store::Project::create(dir_.filePath("demo.collab").toStdString())));
  }

  void theActGrowsBeforeTheReply() {
    ChatWindow* chat = window_->runs()->chatWindow();
    chat->setCheckpoints(trained_);
    chat->setTask("math/1/0");
    chat->show();
    chat->start();
    ChatPane* pane = chat->left();
    QTRY_VERIFY_WITH_TIMEOUT(pane->session()->ready(), 30'000);
    // What the pane shows each time a word arrives, before anything else is handled.
    QStringList seen;
    QList<int> repliesThen;
    connect(pane->session(), &ChatSession::tokenStreamed, this, [&] {
      if (seen.isEmpty()) picture(chat, "demo-chat-streaming");
      seen << pane->transcript();
      repliesThen << pane->replies();
    });
    auto* input = chat->findChild<QLineEdit*>("chatInput");
    QVERIFY(input);
    QVERIFY(!input->text().isEmpty()); // the task's first message, offered
    const QString first = input->text();
    QTest::keyClick(input, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(pane->replies(), 1, 30'000);
    QVERIFY(!seen.isEmpty());
    QCOMPARE(repliesThen.first(), 0);
    QVERIFY2(seen.first().contains("choosing what to do") && seen.first().contains("assistant ["), qPrintable(seen.first()));
    QVERIFY(!pane->transcript().contains("choosing what to do")); // the reply replaced it
    QVERIFY(pane->transcript().contains(first));
    picture(chat, "demo-chat");

    // Saved: one tree, the presenter's turn by a human, the reply by the checkpoint.
    QSignalSpy saved(chat, &ChatWindow::treeSaved);
    QVERIFY(chat->saveButton()->isEnabled());
    QTest::mouseClick(chat->saveButton(), Qt::LeftButton);
    QCOMPARE(saved.count(), 1);
    const qint64 tree = saved.first().first().toLongLong();
    QString why;
    QVERIFY2(branchReadsBack(project(), tree, pane->turns(), window_->document()->annotator().toStdString(), &why), qPrintable(why));
    QCOMPARE(pane->turns().at(1).author, std::string("policy:play/trained"));
    chat->close();
  }

  void twoCheckpointsPlayToTheEndAsOnTheCommandLine() {
    AutoPlayWindow* play = window_->runs()->autoPlayWindow();
    window_->runs()->showAutoPlay();
    play->setCheckpoints(base_, trained_);
    // The second held-out math task, as a presenter picks it.
    TaskChooser* task = play->taskChooser();
    task->familyBox()->setFocus();
    while (task->familyBox()->currentText() != "math") QTest::keyClick(task->familyBox(), Qt::Key_Down);
    QTest::keyClick(task->splitBox(), Qt::Key_Down);
    QCOMPARE(task->splitBox()->currentData().toString(), QString("test"));
    task->indexBox()->selectAll();
    QTest::keyClicks(task->indexBox(), "1");
    QCOMPARE(task->task().split, std::string("test"));
    QVERIFY(task->taskId().startsWith("math/1/"));
    const int expert = play->personaBox()->findText("impatient-expert", Qt::MatchStartsWith);
    QVERIFY(expert >= 0);
    play->personaBox()->setCurrentIndex(expert);
    play->exchangesBox()->selectAll();
    QTest::keyClicks(play->exchangesBox(), "4");
    QCOMPARE(play->exchangesBox()->value(), 4);
    QVERIFY(!play->saveButton()->isEnabled());

    QTest::mouseClick(play->playButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(play->finished(), 60'000);
    picture(play, "demo-auto-play");
    for (PlayPane* pane : {play->left(), play->right()}) {
      const QJsonObject shown = pane->session()->summary();
      const QJsonObject cli = cliSummary(pane->session()->settings());
      QVERIFY(!cli.isEmpty());
      for (const char* key : {"task_score", "turns", "assistant_turns", "tokens", "terminated", "artefact"})
        QCOMPARE(shown.value(key), cli.value(key));
      QVERIFY(pane->summaryText().contains(QString::number(cli.value("tokens").toInt()) + " tokens"));
      QCOMPARE(static_cast<int>(pane->turns().size()), cli.value("turns").toInt());
      QVERIFY(cli.value("assistant_turns").toInt() <= 4);
      QCOMPARE(pane->turns().front().message.content, task->task().firstUserMessage);
    }
  }

  void theFinishedPairIsSavedAndListed() {
    AutoPlayWindow* play = window_->runs()->autoPlayWindow();
    QVERIFY(play->saveButton()->isEnabled());
    QSignalSpy saved(play, &AutoPlayWindow::treeSaved);
    QTest::mouseClick(play->saveButton(), Qt::LeftButton);
    QCOMPARE(saved.count(), 1);
    const qint64 tree = saved.first().first().toLongLong();
    const auto record = project().trees().find(tree);
    QVERIFY(record);
    QCOMPARE(record->source, std::string("demo:play"));
    QVERIFY(record->personaVersionId);
    const auto persona = project().personas().findVersion(*record->personaVersionId);
    QVERIFY(persona);
    const std::string simulator = "simulator:rule/impatient-expert@v" + std::to_string(persona->version);
    QString why;
    for (PlayPane* pane : {play->left(), play->right()})
      QVERIFY2(branchReadsBack(project(), tree, pane->turns(), simulator, &why), qPrintable(why));
    QCOMPARE(project().nodes().roots(tree).size(), std::size_t(1)); // the task's first message, shared
    // Each side's task score on its last turn.
    int taskScores = 0;
    for (const auto& score : project().scores().forTree(tree)) taskScores += score.kind == "task";
    QCOMPARE(taskScores, 2);

    // The conversation list shows it, with its task and persona.
    ConversationListModel* list = window_->conversationModel();
    bool listed = false;
    for (int row = 0; row < list->rowCount(); ++row)
      if (list->summaryAt(row).tree.id == tree) {
        listed = true;
        QCOMPARE(list->summaryAt(row).persona, persona->name + "@v" + std::to_string(persona->version));
        QVERIFY(list->summaryAt(row).task.starts_with("math/1/"));
        QCOMPARE(list->summaryAt(row).branches, std::int64_t(2));
      }
    QVERIFY(listed);
    QCOMPARE(window_->document()->currentTree(), std::optional<conversation::TreeId>(tree)); // on screen
    QTest::qWait(50); // the status bar's message laid out before the picture
    picture(play, "demo-auto-play-saved");
    picture(window_.get(), "demo-saved-in-main-window");
  }

  void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(DemoPlayTest)
#include "tst_demo_play.moc"
