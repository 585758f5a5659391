#include "Appearance.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace collab::ui {

namespace {

constexpr const char* kThemeKey = "appearance/theme";

QPalette darkPalette() {
  QPalette palette;
  const QColor window(0x2b, 0x2e, 0x33), base(0x1f, 0x22, 0x26), text(0xe6, 0xe8, 0xeb), muted(0x80, 0x86, 0x8f);
  palette.setColor(QPalette::Window, window);
  palette.setColor(QPalette::WindowText, text);
  palette.setColor(QPalette::Base, base);
  palette.setColor(QPalette::AlternateBase, window);
  palette.setColor(QPalette::ToolTipBase, base);
  palette.setColor(QPalette::ToolTipText, text);
  palette.setColor(QPalette::Text, text);
  palette.setColor(QPalette::Button, window);
  palette.setColor(QPalette::ButtonText, text);
  palette.setColor(QPalette::BrightText, Qt::red);
  palette.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
  palette.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xcf));
  palette.setColor(QPalette::HighlightedText, Qt::white);
  palette.setColor(QPalette::PlaceholderText, muted);
  for (QPalette::ColorRole role : {QPalette::Text, QPalette::WindowText, QPalette::ButtonText})
    palette.setColor(QPalette::Disabled, role, muted);
  return palette;
}

} // namespace

void applyTheme(Theme theme) {
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QApplication::setPalette(theme == Theme::Dark ? darkPalette() : QApplication::style()->standardPalette());
}

Theme savedTheme() {
  return QSettings().value(QLatin1String(kThemeKey)).toString() == QLatin1String("dark") ? Theme::Dark : Theme::Light;
}

void saveTheme(Theme theme) {
  QSettings().setValue(QLatin1String(kThemeKey), theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light"));
}

QString themeName(Theme theme) { return theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light"); }

} // namespace collab::ui
