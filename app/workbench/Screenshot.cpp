#include "Screenshot.h"

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
} // namespace

QString saveScreenshot(QWidget& window, const QString& file) {
  window.setFixedSize(kScreenshotSize);
  window.show();
  QEventLoop settle;
  QTimer::singleShot(kSettleMs, &settle, &QEventLoop::quit);
  settle.exec();
  const QPixmap picture = window.grab();
  if (picture.isNull()) return QCoreApplication::translate("Screenshot", "the window could not be drawn");
  if (!picture.save(file, "PNG"))
    return QCoreApplication::translate("Screenshot", "%1: cannot write the PNG file").arg(file);
  return {};
}

} // namespace collab::workbench
