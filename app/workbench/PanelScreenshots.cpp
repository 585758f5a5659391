#include "PanelScreenshots.h"

#include "Appearance.h"
#include "ConversationListModel.h"
#include "ConversationPanel.h"
#include "MainWindow.h"
#include "TreePanel.h"
#include "TreeView.h"

#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QPixmap>
#include <QTableView>
#include <QTimer>

namespace collab::workbench {

namespace {

constexpr QSize kWindowSize(1280, 800);
constexpr int kSettleMs = 250;

void settle() {
  QEventLoop loop;
  QTimer::singleShot(kSettleMs, &loop, &QEventLoop::quit);
  loop.exec();
}

QString save(QWidget* widget, const QDir& folder, const QString& name) {
  const QPixmap picture = widget->grab();
  const QString file = folder.filePath(name);
  if (picture.isNull()) return QCoreApplication::translate("Screenshot", "%1 could not be drawn").arg(name);
  if (!picture.save(file, "PNG")) return QCoreApplication::translate("Screenshot", "%1: cannot write the PNG file").arg(file);
  return {};
}

// The first simulated conversation: it has candidates, futures and every reward part.
void showRichestConversation(ui::MainWindow& window) {
  ui::ConversationListModel* model = window.conversationModel();
  for (int row = 0; row < model->rowCount(); ++row) {
    if (model->summaryAt(row).tree.source.rfind("simulate:", 0) != 0) continue;
    QTableView* table = window.conversationPanel()->view();
    table->selectionModel()->setCurrentIndex(model->index(row, 0),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table->scrollTo(model->index(row, 0));
    return;
  }
}

// A panel at a size it is read at: floated out of the window, pictured, docked again.
QString floatAndSave(ui::MainWindow& window, const char* dock, QSize size, const QDir& folder, const QString& name) {
  QDockWidget* panel = window.dock(QLatin1String(dock));
  panel->setFloating(true);
  panel->resize(size);
  panel->show();
  settle();
  const QString error = save(panel, folder, name);
  panel->setFloating(false);
  panel->raise();
  settle();
  return error;
}

} // namespace

QString savePanelScreenshots(ui::MainWindow& window, const QString& folderPath) {
  const QDir folder(folderPath);
  if (!QDir().mkpath(folderPath))
    return QCoreApplication::translate("Screenshot", "%1: cannot create the folder").arg(folderPath);
  window.setFixedSize(kWindowSize);
  window.show();
  settle();
  showRichestConversation(window);
  settle();
  QString error = save(&window, folder, QStringLiteral("window.png"));
  struct Shot {
    const char* dock;
    QSize size;
    const char* file;
  };
  for (const Shot& shot : {Shot{"conversationsDock", {560, 640}, "conversations.png"}, Shot{"inspectorDock", {520, 480}, "turn.png"},
                           Shot{"rewardDock", {1200, 340}, "reward.png"}, Shot{"compareDock", {820, 640}, "compare.png"},
                           Shot{"readerDock", {560, 720}, "reader.png"}})
    if (error.isEmpty()) error = floatAndSave(window, shot.dock, shot.size, folder, QLatin1String(shot.file));
  if (error.isEmpty()) error = save(window.treePanel(), folder, QStringLiteral("tree.png"));
  if (error.isEmpty()) {
    ui::TreeView* view = window.treePanel()->view();
    view->fitTree();
    view->zoomBy(0.3 / view->zoom()); // below the text level of detail
    settle();
    error = save(window.treePanel(), folder, QStringLiteral("tree-far.png"));
  }
  if (error.isEmpty()) {
    ui::applyTheme(ui::Theme::Dark);
    window.treePanel()->view()->fitTree();
    settle();
    error = save(&window, folder, QStringLiteral("window-dark.png"));
    ui::applyTheme(ui::Theme::Light);
  }
  return error;
}

} // namespace collab::workbench
