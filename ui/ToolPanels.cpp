#include "ToolPanels.h"

#include "ConversationPanel.h"
#include "MainWindow.h"
#include "ProjectDocument.h"
#include "annotate/AgreementView.h"
#include "annotate/AnnotationPanel.h"
#include "annotate/LabelSchemaDialog.h"
#include "annotation/LabelSchemaStore.h"
#include "personas/PersonaEditor.h"
#include "runs/RunPanels.h"

#include "io/Exporter.h"
#include "store/Project.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QMessageBox>
#include <QListView>
#include <QMenuBar>
#include <QScrollArea>
#include <QStatusBar>

#include <filesystem>
#include <fstream>

namespace collab::ui {

ToolPanels::ToolPanels(MainWindow* window)
    : QObject(window), window_(window), personaEditor_(new PersonaEditor(window)),
      annotationPanel_(new AnnotationPanel), agreementView_(new AgreementView(window)),
      annotationDock_(new QDockWidget(tr("Annotation"), window)) {
  // Windows of their own, owned by the main window (closed with it).
  personaEditor_->setWindowFlag(Qt::Window);
  personaEditor_->resize(1280, 800);
  agreementView_->setWindowFlag(Qt::Window);

  annotationDock_->setObjectName(QStringLiteral("annotationDock"));
  // In a scroll area: the panel keeps its layout when the side column is short.
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(annotationPanel_);
  annotationDock_->setWidget(scroll);
  window->addDockWidget(Qt::RightDockWidgetArea, annotationDock_);
  annotationDock_->hide();

  createMenus();
  connect(window, &MainWindow::projectAboutToChange, this, &ToolPanels::projectAboutToChange);
  connect(window, &MainWindow::projectChanged, this, &ToolPanels::projectChanged);
  connect(window->conversationPanel(), &ConversationPanel::currentTreeChanged, this, &ToolPanels::conversationChanged);
  connect(window->document(), &ProjectDocument::currentNodeChanged, this, &ToolPanels::turnChanged);
  connect(annotationPanel_, &AnnotationPanel::agreementRequested, this, &ToolPanels::showAgreement);
  connect(annotationPanel_, &AnnotationPanel::annotationsChanged, agreementView_, [this] {
    if (agreementView_->isVisible()) agreementView_->refresh();
  });
  connect(agreementView_, &AgreementView::itemActivated, this, &ToolPanels::showItem);
  connect(agreementView_, &AgreementView::annotationsMerged, annotationPanel_, &AnnotationPanel::reloadSchema);
  projectChanged();
}

void ToolPanels::createMenus() {
  QMenu* annotate = window_->menuBar()->addMenu(tr("&Annotate"));
  QAction* toggle = annotationDock_->toggleViewAction();
  toggle->setText(tr("Annotation &panel"));
  toggle->setShortcut(QKeySequence(tr("Ctrl+Shift+A")));
  annotate->addAction(toggle);
  annotate->addAction(tr("Label &schema…"), this, [this] {
    showAnnotationPanel();
    annotationPanel_->editSchema();
  });
  annotate->addAction(tr("&Agreement and merging…"), this, &ToolPanels::showAgreement);
  annotate->addSeparator();
  annotate->addAction(tr("&Export DPO pairs with human preferences…"), this, &ToolPanels::chooseExportFile);
  QMenu* tools = window_->menuBar()->addMenu(tr("&Tools"));
  tools->addAction(tr("&Personas…"), QKeySequence(tr("Ctrl+Shift+P")), this, &ToolPanels::showPersonaEditor);
}

void ToolPanels::projectAboutToChange() {
  annotationPanel_->flush();
  annotationPanel_->setProject(nullptr);
  personaEditor_->setProject(nullptr);
  agreementView_->setProject(nullptr);
}

void ToolPanels::projectChanged() {
  store::Project* project = window_->project();
  project_ = project;
  tree_.reset();
  annotationPanel_->setProject(project);
  personaEditor_->setProject(project);
  agreementView_->setProject(project);
  if (const auto tree = window_->conversationPanel()->currentTree()) conversationChanged(tree);
}

void ToolPanels::conversationChanged(std::optional<conversation::TreeId> tree) {
  tree_ = project_ ? tree : std::nullopt;
  personaEditor_->setConversation(tree_, std::nullopt);
  if (tree_) annotationPanel_->showItem(*tree_, std::nullopt);
}

void ToolPanels::turnChanged(std::optional<conversation::NodeId> node) {
  if (!tree_ || !node) return;
  personaEditor_->setConversation(tree_, node);
  annotationPanel_->showItem(*tree_, node);
}

void ToolPanels::showItem(conversation::TreeId tree, std::optional<conversation::NodeId> node) {
  showAnnotationPanel();
  annotationPanel_->setLevel(node ? annotation::LabelLevel::Turn : annotation::LabelLevel::Conversation);
  annotationPanel_->showItem(tree, node);
}

void ToolPanels::showPersonaEditor() {
  personaEditor_->show();
  personaEditor_->raise();
  personaEditor_->activateWindow();
}

void ToolPanels::showAnnotationPanel() {
  const bool wasHidden = annotationDock_->isHidden();
  // The first time, a tab beside the reader: the panel needs the height of the side
  // column, which a third stacked dock would not get. Tabbed when shown, not before, so
  // that the hidden panel takes no room from the reader.
  QDockWidget* reader = window_->dock(QStringLiteral("readerDock"));
  if (!placed_ && wasHidden && reader && !reader->isHidden() && !reader->isFloating()) window_->tabifyDockWidget(reader, annotationDock_);
  placed_ = true;
  annotationDock_->show();
  annotationDock_->raise();
  // Labelling wants the side column's height: the turn inspector below gives most of it.
  QDockWidget* inspector = window_->dock(QStringLiteral("inspectorDock"));
  if (wasHidden && inspector && window_->dockWidgetArea(inspector) == window_->dockWidgetArea(annotationDock_))
    window_->resizeDocks({annotationDock_, inspector}, {560, 110}, Qt::Vertical);
}

void ToolPanels::showAgreement() {
  agreementView_->refresh();
  agreementView_->show();
  agreementView_->raise();
  agreementView_->activateWindow();
}

QString ToolPanels::exportPreferencePairs(const QString& path) {
  if (!project_) return tr("Open a project first.");
  annotationPanel_->flush();
  const std::filesystem::path target(path.toStdU16String());
  std::filesystem::path partial = target;
  partial += ".partial";
  io::ExportOptions options;
  options.format = io::ExportFormat::Dpo;
  options.humanPreferences = true;
  try {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) return tr("%1: cannot open for writing").arg(QString::fromStdString(partial.string()));
    const io::ExportReport report = io::exportJsonl(*project_, out, options);
    out.close();
    if (!out) throw std::runtime_error(target.string() + ": write failed (disk full?); nothing was written");
    std::filesystem::rename(partial, target);
    window_->statusBar()->showMessage(tr("Wrote %1 pairs to %2").arg(report.rowsWritten).arg(path), 10000);
    return {};
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    return QString::fromStdString(e.what());
  }
}

void ToolPanels::chooseExportFile() {
  const QString path = QFileDialog::getSaveFileName(window_, tr("Export DPO pairs"), QStringLiteral("pairs.jsonl"),
                                                    tr("JSON Lines (*.jsonl)"));
  if (path.isEmpty()) return;
  if (const QString error = exportPreferencePairs(path); !error.isEmpty())
    QMessageBox::critical(window_, tr("Export failed"), error);
}

QStringList ToolPanels::panelNames() {
  return QStringList{QStringLiteral("annotation"), QStringLiteral("personas"), QStringLiteral("agreement"),
                     QStringLiteral("label-schema")} +
         RunPanels::panelNames();
}

QWidget* ToolPanels::showPanel(const QString& name) {
  if (name == QLatin1String("annotation")) {
    showAnnotationPanel();
    window_->resizeDocks({annotationDock_}, {520}, Qt::Horizontal);
    return window_;
  }
  if (name == QLatin1String("personas")) {
    showPersonaEditor();
    return personaEditor_;
  }
  if (name == QLatin1String("agreement")) {
    showAgreement();
    return agreementView_;
  }
  if (name == QLatin1String("label-schema") && project_) {
    auto* dialog = new LabelSchemaDialog(annotation::currentLabelSchema(*project_), window_);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
  }
  return window_->runs() ? window_->runs()->showPanel(name) : nullptr; // the training runs' panels
}

} // namespace collab::ui
