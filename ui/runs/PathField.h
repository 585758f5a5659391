#pragma once

#include <QString>
#include <QWidget>

class QLineEdit;
class QPushButton;

namespace collab::ui {

// A path typed in, or picked with "Browse…": a folder (QFileDialog::getExistingDirectory)
// or a file to read (QFileDialog::getOpenFileName with `filter`). The dialog starts where
// the typed path is. A relative path is read from the base folder when one is set.
class PathField : public QWidget {
  Q_OBJECT

public:
  enum class Kind { Folder, File };

  // `caption`: the file dialog's title.
  PathField(Kind kind, QString caption, QString filter = {}, QWidget* parent = nullptr);

  // The path typed, made absolute from the base folder when it is relative.
  QString path() const;
  void setPath(const QString& path);
  void setBaseFolder(const QString& folder) { baseFolder_ = folder; }
  void setPlaceholderText(const QString& text);
  QLineEdit* lineEdit() const { return edit_; }
  QPushButton* browseButton() const { return browse_; }

signals:
  void pathChanged(const QString& path);

private:
  void browse();
  QString startFolder() const;

  Kind kind_;
  QString caption_, filter_;
  QString baseFolder_;
  QLineEdit* edit_;
  QPushButton* browse_;
};

} // namespace collab::ui
