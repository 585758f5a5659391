#include "backend/LenientJson.h"

#include <QtTest>

using collab::backend::parseLenientJson;

class TestLenientJson : public QObject {
  Q_OBJECT

private slots:
  void readsWhatLlmsWrite_data() {
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("expected"); // strict JSON of the object read
    QTest::newRow("plain") << "{\"response\": \"hi\"}" << "{\"response\":\"hi\"}";
    QTest::newRow("fenced") << "```json\n{\"response\": \"hi\"}\n```" << "{\"response\":\"hi\"}";
    QTest::newRow("fence without language") << "Here:\n```\n{\"a\": 1}\n```\nDone." << "{\"a\":1}";
    QTest::newRow("object after the fence") << "```\nnotes\n```\n{\"a\": 1}" << "{\"a\":1}";
    QTest::newRow("text around") << "Sure! {\"thought\": \"ok\", \"response\": \"yes\"} Hope this helps."
                                 << "{\"response\":\"yes\",\"thought\":\"ok\"}";
    QTest::newRow("braces inside strings") << "{\"response\": \"use {curly} braces }\"} trailing }"
                                           << "{\"response\":\"use {curly} braces }\"}";
    QTest::newRow("single quotes") << "{'thought': 'it\\'s fine', 'response': 'He said \"hi\"'}"
                                   << "{\"response\":\"He said \\\"hi\\\"\",\"thought\":\"it's fine\"}";
    QTest::newRow("python literals") << "{'ok': True, 'no': False, 'x': None}" << "{\"no\":false,\"ok\":true,\"x\":null}";
    QTest::newRow("trailing commas") << "{\"a\": 1, \"b\": [1, 2,],}" << "{\"a\":1,\"b\":[1,2]}";
    QTest::newRow("unquoted keys") << "{thought: \"x\", response: \"y\"}" << "{\"response\":\"y\",\"thought\":\"x\"}";
    QTest::newRow("raw line break in a string") << "{\"response\": \"line one\nline two\"}"
                                                << "{\"response\":\"line one\\nline two\"}";
    QTest::newRow("apostrophe in a double-quoted string") << "{\"response\": \"don't\", 'n': 2}"
                                                         << "{\"n\":2,\"response\":\"don't\"}";
    QTest::newRow("nested") << "{\"a\": {\"b\": [1, {\"c\": true}]}}" << "{\"a\":{\"b\":[1,{\"c\":true}]}}";
  }

  void readsWhatLlmsWrite() {
    QFETCH(QString, reply);
    QFETCH(QString, expected);
    std::string problem;
    const auto parsed = parseLenientJson(reply.toStdString(), &problem);
    QVERIFY2(parsed.has_value(), problem.c_str());
    QCOMPARE(QString::fromStdString(parsed->dump()), expected);
  }

  void saysWhyNothingCouldBeRead_data() {
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("problem");
    QTest::newRow("prose") << "I think the user wants a shorter note." << "expected a JSON object, found none";
    QTest::newRow("unclosed") << "{\"response\": \"cut off" << "expected a JSON object, found none";
    QTest::newRow("broken") << "{\"response\": }" << "does not parse even leniently";
    QTest::newRow("empty") << "" << "expected a JSON object, found none";
  }

  void saysWhyNothingCouldBeRead() {
    QFETCH(QString, reply);
    QFETCH(QString, problem);
    std::string why;
    QVERIFY(!parseLenientJson(reply.toStdString(), &why));
    QVERIFY2(QString::fromStdString(why).contains(problem), why.c_str());
  }
};

QTEST_GUILESS_MAIN(TestLenientJson)
#include "tst_lenient_json.moc"
