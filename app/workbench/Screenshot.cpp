#include "Screenshot.h"

#include "MainWindow.h"
#include "ToolPanels.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPixmap>
#include <QTimer>
#include <QWidget>

namespace collab::workbench {

namespace {
constexpr QSize kScreenshotSize(1280, 800);
// Long enough for the zero-timer layouts that follow show(), short enough not to notice.
constexpr int kSettleMs = 250;

void settle() {
  QEventLoop loop;
  QTimer::singleShot(kSettleMs, &loop, &QEventLoop::quit);
  loop.exec();
}
} // namespace

QString saveScreenshot(ui::MainWindow& window, const QString& file, const QString& panel) {
  window.setFixedSize(kScreenshotSize);
  window.show();
  settle();
  QWidget* subject = &window;
  if (!panel.isEmpty()) {
    subject = window.tools()->showPanel(panel);
    if (!subject) return QCoreApplication::translate("Screenshot", "%1: no such panel, or no project to show it with").arg(panel);
    if (subject != &window) subject->setFixedSize(subject->size()); // a panel's own window keeps its own size
    settle();
  }
  const QPixmap picture = subject->grab();
  if (picture.isNull()) return QCoreApplication::translate("Screenshot", "the window could not be drawn");
  if (!picture.save(file, "PNG"))
    return QCoreApplication::translate("Screenshot", "%1: cannot write the PNG file").arg(file);
  return {};
}

} // namespace collab::workbench
