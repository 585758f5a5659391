// The demo chat with the real `collab chat`: a checkpoint trained here (one short SFT
// stage) answers the user's messages; two side by side get the same messages.

#include "demo/ChatPane.h"
#include "demo/ChatSession.h"
#include "demo/ChatWindow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace collab::ui;

class DemoChatTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

  // A checkpoint in OUT/sft: one epoch of SFT on a few tasks, seconds on 2 cores.
  QString train(const QString& out, int seed) {
    const QJsonObject config{{"name", "chat"}, {"seed", seed}, {"output", dir_.filePath(out)}, {"tasks_per_family", 8},
                             {"stages", QJsonArray{QJsonObject{{"name", "sft"}, {"method", "sft"}, {"epochs", 2}, {"batch_size", 4}}}}};
    QFile file(dir_.filePath(out + ".json"));
    if (!file.open(QIODevice::WriteOnly)) return {};
    file.write(QJsonDocument(config).toJson());
    file.close();
    QProcess process;
    process.start(COLLAB_CLI_BIN, {"train", "--config", file.fileName()});
    if (!process.waitForFinished(300'000) || process.exitCode() != 0) return {};
    return dir_.filePath(out + "/sft");
  }

private slots:
  void chatsWithOneAndTwoCheckpoints() {
    const QString a = train("a", 1), b = train("b", 2);
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    ChatWindow window(COLLAB_CLI_BIN);
    window.show();
    window.setCheckpoints(a, b);
    window.setTask("math/1/0");
    QVERIFY(window.sideBySide());
    window.start();
    QTRY_VERIFY_WITH_TIMEOUT(window.left()->session()->ready() && window.right()->session()->ready(), 60'000);
    QCOMPARE(window.left()->session()->task()["id"].toString(), QStringLiteral("math/1/0"));
    const QString first = window.left()->session()->task()["first_user_message"].toString();
    QVERIFY(!first.isEmpty());
    window.send(first);
    QTRY_VERIFY_WITH_TIMEOUT(window.left()->replies() == 1 && window.right()->replies() == 1, 60'000);
    QVERIFY(window.left()->transcript().contains(first));
    QVERIFY(window.left()->transcript().contains("assistant ["));
    window.send("Please go on.");
    QTRY_COMPARE_WITH_TIMEOUT(window.left()->replies(), 2, 60'000);
  }

  void aMissingCheckpointSaysWhy() {
    ChatPane pane(COLLAB_CLI_BIN);
    QSignalSpy failed(pane.session(), &ChatSession::failed);
    pane.start(dir_.filePath("nowhere"), "math/1/0");
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 30'000);
    QVERIFY2(failed.first().first().toString().contains("nowhere"), qPrintable(failed.first().first().toString()));
  }
};

QTEST_MAIN(DemoChatTest)
#include "tst_demo_chat.moc"
