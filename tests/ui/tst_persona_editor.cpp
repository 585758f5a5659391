// The persona editor driven like a user would: typing into the form, moving sliders with
// keys, clicking its buttons, offscreen.

#include "ProjectDump.h"
#include "SampleProject.h"
#include "persona/DefaultPersonas.h"
#include "persona/PersonaJson.h"
#include "personas/PersonaEditor.h"
#include "personas/PersonaForm.h"
#include "personas/PersonaHistoryView.h"
#include "personas/PersonaTrialView.h"
#include "personas/TemplateEditor.h"
#include "personas/TraitEditor.h"
#include "simulate/ConversationSampler.h"
#include "task/TaskRegistry.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QTest>
#include <QTextBrowser>

using namespace collab;
using collab::ui::PersonaEditor;

namespace {

std::filesystem::path personaDir() { return std::filesystem::path(COLLAB_SOURCE_DIR) / "resources/personas"; }

QStringList listTexts(const QListWidget* list) {
  QStringList texts;
  for (int row = 0; row < list->count(); ++row) texts << list->item(row)->text();
  return texts;
}

} // namespace

class PersonaEditorTest : public QObject {
  Q_OBJECT

private slots:
  void init();
  void cleanup();

  void listsTheProjectsPersonasAndShowsTheFirst();
  void templateProblemsAreListedAndUnderlinedAsYouType();
  void personaProblemsNameTheirField();
  void slidersAndCombosEditTraitsAndSaveMakesAVersion();
  void historyShowsTheDiffOfEachVersion();
  void draftsSurviveSwitchingAndRevertDropsThem();
  void duplicateMakesADraftCopy();
  void exportWritesThePersonaFileAndImportReadsIt();
  void importingABadFileNamesTheFileAndField();
  void tryItRepliesInTheBackgroundWithoutWriting();

private:
  ui::TemplateEditor* templateEditor() const { return editor_->form()->templateEditor(); }

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<store::Project> project_;
  std::unique_ptr<PersonaEditor> editor_;
};

void PersonaEditorTest::init() {
  dir_ = std::make_unique<QTemporaryDir>();
  project_ = test::makeProject(dir_->filePath("p.collab"), test::kSampleRows);
  persona::seedPersonas(project_->personas(), {persona::readPersonaFile(personaDir() / "generic-user.json"),
                                               persona::readPersonaFile(personaDir() / "impatient-expert.json")});
  editor_ = std::make_unique<PersonaEditor>();
  editor_->setProject(project_.get());
  editor_->resize(1200, 800);
  editor_->show();
  QVERIFY(QTest::qWaitForWindowExposed(editor_.get()));
}

void PersonaEditorTest::cleanup() {
  editor_.reset();
  project_.reset();
  dir_.reset();
}

void PersonaEditorTest::listsTheProjectsPersonasAndShowsTheFirst() {
  QCOMPARE(listTexts(editor_->personaList()), (QStringList{"generic-user", "impatient-expert"}));
  QCOMPARE(editor_->form()->nameEdit()->text(), QString("generic-user"));
  QCOMPARE(editor_->form()->persona(), persona::readPersonaFile(personaDir() / "generic-user.json"));
  QVERIFY(!editor_->saveButton()->isEnabled()); // nothing changed
  QCOMPARE(editor_->findChild<QLabel*>("personaState")->text(), QString("Saved as the latest version."));
}

void PersonaEditorTest::templateProblemsAreListedAndUnderlinedAsYouType() {
  ui::TemplateEditor* editor = templateEditor();
  editor->setFocus();
  editor->moveCursor(QTextCursor::End);
  const int start = editor->textCursor().position() + 1; // after the newline typed first
  QTest::keyClick(editor, Qt::Key_Return);
  QTest::keyClicks(editor, "See {histroy}.");
  const int line = editor->document()->blockCount();

  const QStringList problems = editor_->form()->problems();
  const QString expected = QString("field `prompt_template`: %1:5 (byte %2): unknown placeholder `{histroy}`; did you mean `{history}`?")
                               .arg(line)
                               .arg(QString(editor->toPlainText()).toUtf8().size() - QByteArray("{histroy}.").size());
  QCOMPARE(problems, QStringList{expected});
  QCOMPARE(editor_->form()->problemList()->item(0)->text(), expected);
  // Underlined where it is, with the message as its tooltip.
  QTRY_COMPARE(editor->formatAt(start + 5).underlineStyle(), QTextCharFormat::WaveUnderline);
  QCOMPARE(editor->formatAt(start + 12).underlineStyle(), QTextCharFormat::WaveUnderline); // the closing brace
  QCOMPARE(editor->formatAt(start + 13).underlineStyle(), QTextCharFormat::NoUnderline);  // the full stop
  QCOMPARE(editor->formatAt(start + 1).underlineStyle(), QTextCharFormat::NoUnderline);
  QCOMPARE(editor->problemAt(start + 7), QString("unknown placeholder `{histroy}`; did you mean `{history}`?"));
  QVERIFY(!editor_->saveButton()->isEnabled());
  QCOMPARE(editor_->findChild<QLabel*>("personaState")->text(), QString("1 problem(s) to fix before saving."));

  // Fixing it clears the list, the underline and the block on saving.
  for (int i = 0; i < 5; ++i) QTest::keyClick(editor, Qt::Key_Backspace); // "roy}." gone
  QTest::keyClicks(editor, "ory}.");
  QVERIFY2(editor_->form()->problems().isEmpty(), qPrintable(editor_->form()->problems().join('\n')));
  QCOMPARE(editor_->form()->problemList()->item(0)->text(), QString("No problems: this persona can be saved and used."));
  QCOMPARE(editor->formatAt(start + 5).fontWeight(), int(QFont::Bold)); // a known placeholder now
  QCOMPARE(editor->formatAt(start + 5).underlineStyle(), QTextCharFormat::NoUnderline);
  QVERIFY(editor_->saveButton()->isEnabled());
}

void PersonaEditorTest::personaProblemsNameTheirField() {
  QLineEdit* name = editor_->form()->nameEdit();
  name->selectAll();
  QTest::keyClick(name, Qt::Key_Backspace);
  ui::TemplateEditor* editor = templateEditor();
  editor->selectAll();
  QTest::keyClicks(editor, "Just chat about {task} {}");
  QCOMPARE(editor_->form()->problems(),
           (QStringList{"field `name`: expected a name, found an empty one",
                        "field `prompt_template`: 1:24 (byte 23): empty placeholder `{}`; write `{{}}` for literal braces",
                        "field `prompt_template`: missing required placeholder `{goal}` (the hidden goal only the user knows)",
                        "field `prompt_template`: missing required placeholder `{history}` (the conversation so far)"}));
  QCOMPARE(editor_->findChild<QLabel*>("personaState")->text(), QString("4 problem(s) to fix before saving."));
  QVERIFY(!editor_->saveButton()->isEnabled());
}

void PersonaEditorTest::slidersAndCombosEditTraitsAndSaveMakesAVersion() {
  ui::TraitEditor* traits = editor_->form()->traitEditor();
  QSlider* patience = traits->slider("patience");
  const double before = editor_->form()->persona().traits.patience;
  patience->setFocus();
  QTest::keyClick(patience, Qt::Key_Right);
  QTest::keyClick(patience, Qt::Key_Right);
  QCOMPARE(editor_->form()->persona().traits.patience, std::round((before + 0.02) * 100) / 100);
  QComboBox* tone = traits->combo(persona::kToneTrait);
  tone->setCurrentIndex(tone->findText("formal"));
  QVERIFY(editor_->form()->persona().traits.tone == persona::Tone::Formal);
  QVERIFY(editor_->isDraft("generic-user"));
  QCOMPARE(listTexts(editor_->personaList()).first(), QString("generic-user •"));

  QTest::mouseClick(editor_->saveButton(), Qt::LeftButton);
  const auto saved = project_->personas().latest("generic-user");
  QCOMPARE(saved->version, 2);
  QVERIFY(saved->traitsJson.find("\"tone\":\"formal\"") != std::string::npos);
  QVERIFY(!editor_->isDraft("generic-user"));
  QCOMPARE(listTexts(editor_->personaList()).first(), QString("generic-user"));
  QVERIFY(!editor_->saveButton()->isEnabled());
}

void PersonaEditorTest::historyShowsTheDiffOfEachVersion() {
  QComboBox* tone = editor_->form()->traitEditor()->combo(persona::kToneTrait);
  tone->setCurrentIndex(tone->findText("hostile"));
  // Unsaved: the newest row compares the form with the saved version.
  QListWidget* versions = editor_->history()->versionList();
  QCOMPARE(listTexts(versions).first(), QString("unsaved changes"));
  QString diff = editor_->history()->diffView()->toPlainText();
  QVERIFY2(diff.contains("-     \"tone\": \"casual\","), qPrintable(diff));
  QVERIFY2(diff.contains("+     \"tone\": \"hostile\","), qPrintable(diff));

  QCOMPARE(editor_->save(), QString());
  QCOMPARE(versions->count(), 2);
  QVERIFY(versions->item(0)->text().startsWith("v2 · "));
  versions->setCurrentRow(0); // v2 against v1
  diff = editor_->history()->diffView()->toPlainText();
  QVERIFY2(diff.contains("+     \"tone\": \"hostile\","), qPrintable(diff));
  QCOMPARE(diff.count(QRegularExpression("^[+-] ", QRegularExpression::MultilineOption)), 2);
  versions->setCurrentRow(1); // v1: everything added
  QVERIFY(editor_->history()->diffView()->toPlainText().contains("+   \"name\": \"generic-user\","));
}

void PersonaEditorTest::draftsSurviveSwitchingAndRevertDropsThem() {
  QTest::keyClicks(editor_->form()->descriptionEdit(), " Likes tea.");
  const QString edited = editor_->form()->descriptionEdit()->toPlainText();
  QVERIFY(editor_->selectPersona("impatient-expert"));
  QCOMPARE(editor_->form()->nameEdit()->text(), QString("impatient-expert"));
  QCOMPARE(listTexts(editor_->personaList()), (QStringList{"generic-user •", "impatient-expert"}));
  QVERIFY(editor_->selectPersona("generic-user"));
  QCOMPARE(editor_->form()->descriptionEdit()->toPlainText(), edited);
  QCOMPARE(project_->personas().history("generic-user").size(), std::size_t(1)); // nothing saved

  editor_->revert();
  QVERIFY(!editor_->isDraft("generic-user"));
  QVERIFY(!editor_->form()->descriptionEdit()->toPlainText().endsWith("Likes tea."));
}

void PersonaEditorTest::duplicateMakesADraftCopy() {
  QTest::mouseClick(editor_->findChild<QPushButton*>("personaDuplicate"), Qt::LeftButton);
  QCOMPARE(editor_->currentName(), QString("generic-user-copy"));
  QCOMPARE(editor_->form()->nameEdit()->text(), QString("generic-user-copy"));
  QVERIFY(listTexts(editor_->personaList()).contains("generic-user-copy •"));
  QVERIFY(editor_->selectPersona("generic-user"));
  QCOMPARE(editor_->duplicate(), QString()); // a second copy gets the next free name
  QCOMPARE(editor_->currentName(), QString("generic-user-copy-2"));
  QVERIFY(!project_->personas().latest("generic-user-copy")); // drafts are not in the project
  QVERIFY(editor_->selectPersona("generic-user-copy"));
  QCOMPARE(editor_->save(), QString());
  QCOMPARE(project_->personas().latest("generic-user-copy")->version, 1);
  QCOMPARE(project_->personas().names().size(), std::size_t(3));
}

void PersonaEditorTest::exportWritesThePersonaFileAndImportReadsIt() {
  const QString file = dir_->filePath("expert.json");
  QVERIFY(editor_->selectPersona("impatient-expert"));
  QCOMPARE(editor_->exportFile(file), QString());
  const persona::Persona exported = persona::readPersonaFile(test::fsPath(file));
  QCOMPARE(exported, persona::readPersonaFile(personaDir() / "impatient-expert.json"));

  // Imported under another name, it is a new persona's draft.
  persona::Persona renamed = exported;
  renamed.name = "impatient-researcher";
  persona::writePersonaFile(test::fsPath(dir_->filePath("researcher.json")), renamed);
  QCOMPARE(editor_->importFile(dir_->filePath("researcher.json")), QString());
  QCOMPARE(editor_->currentName(), QString("impatient-researcher"));
  QVERIFY(editor_->isDraft("impatient-researcher"));
  QCOMPARE(editor_->save(), QString());
  QCOMPARE(project_->personas().latest("impatient-researcher")->version, 1);
}

void PersonaEditorTest::importingABadFileNamesTheFileAndField() {
  const QString file = dir_->filePath("bad.json");
  QFile out(file);
  QVERIFY(out.open(QIODevice::WriteOnly));
  out.write("{\"name\": \"x\", \"traits\": {\"patience\": 1.5}, \"prompt_template\": \"{goal} {history}\"}");
  out.close();
  const QString error = editor_->importFile(file);
  QVERIFY2(error.contains(file + ": field `traits.patience`: expected a number in [0, 1], found 1.5"), qPrintable(error));
  QCOMPARE(listTexts(editor_->personaList()), (QStringList{"generic-user", "impatient-expert"}));
}

void PersonaEditorTest::tryItRepliesInTheBackgroundWithoutWriting() {
  const task::TaskRegistry registry;
  const auto task = registry.tasks("math", 7, 1, "test").front();
  const auto sampled = simulate::sampleConversation(*project_, registry.family("math"), task, simulate::SamplerSettings{});
  const std::string before = test::projectDump(*project_);
  editor_->setConversation(sampled.tree, std::nullopt);
  ui::PersonaTrialView* trial = editor_->trial();
  QVERIFY(trial->tryButton()->isEnabled());
  QTest::mouseClick(trial->tryButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(!trial->isRunning(), 20000);
  const QString output = trial->output()->toPlainText();
  QVERIFY2(output.startsWith("Reply"), qPrintable(output));
  QVERIFY2(output.contains("Prompt for an LLM-backed simulator"), qPrintable(output));
  QVERIFY(output.contains("What you actually want (only you know this; the assistant has to find it out):"));
  QVERIFY(output.contains("USER: " + QString::fromStdString(task.firstUserMessage)));
  QCOMPARE(QString::fromStdString(test::projectDump(*project_)), QString::fromStdString(before));
  QCOMPARE(project_->personas().history("generic-user").size(), std::size_t(1));

  // A conversation without a built-in task: the prompt, and why there is no rule reply.
  editor_->setConversation(1, std::nullopt);
  QTest::mouseClick(trial->tryButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(!trial->isRunning(), 20000);
  QVERIFY2(trial->output()->toPlainText().contains("built-in tasks only"), qPrintable(trial->output()->toPlainText()));
}

QTEST_MAIN(PersonaEditorTest)
#include "tst_persona_editor.moc"
