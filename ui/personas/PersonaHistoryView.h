#pragma once

#include "persona/Persona.h"
#include "store/PersonaRepository.h"

#include <QWidget>

#include <optional>
#include <vector>

class QListWidget;
class QTextBrowser;

namespace collab::ui {

// The saved versions of one persona, newest first, and what each changed: selecting a
// version shows the line diff of its persona file against the version before it, or, for
// the "unsaved changes" row, of the form against the newest saved version.
class PersonaHistoryView : public QWidget {
  Q_OBJECT

public:
  explicit PersonaHistoryView(QWidget* parent = nullptr);

  // `versions` oldest first, as the repository returns them; `draft` when the form differs.
  void showHistory(std::vector<store::PersonaVersion> versions, std::optional<persona::Persona> draft);
  void clear();

  QListWidget* versionList() const { return list_; }
  QTextBrowser* diffView() const { return diff_; }

private:
  void showDiff(int row);

  std::vector<store::PersonaVersion> versions_;
  std::optional<persona::Persona> draft_;
  QListWidget* list_;
  QTextBrowser* diff_;
};

// The diff of two persona files as HTML: removed lines red, added lines green.
QString diffHtml(const std::string& before, const std::string& after);

} // namespace collab::ui
