#pragma once

#include <QString>

namespace collab::ui {

// Who is annotating, kept in the application settings (QSettings key
// "annotation/annotator") so that every annotation made on this machine says who made it.
// Until one is set, the login name is used.
class AnnotatorIdentity {
public:
  static constexpr const char* kSettingsKey = "annotation/annotator";

  static QString current();
  static void set(const QString& name);
};

} // namespace collab::ui
