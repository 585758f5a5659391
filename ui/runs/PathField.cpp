#include "runs/PathField.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace collab::ui {

PathField::PathField(Kind kind, QString caption, QString filter, QWidget* parent)
    : QWidget(parent), kind_(kind), caption_(std::move(caption)), filter_(std::move(filter)), edit_(new QLineEdit), browse_(new QPushButton(tr("Browse…"))) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(edit_, 1);
  row->addWidget(browse_);
  setFocusProxy(edit_);
  connect(edit_, &QLineEdit::textChanged, this, &PathField::pathChanged);
  connect(browse_, &QPushButton::clicked, this, &PathField::browse);
}

QString PathField::path() const {
  const QString typed = edit_->text().trimmed();
  if (typed.isEmpty() || baseFolder_.isEmpty()) return typed;
  return QDir::cleanPath(QDir(baseFolder_).absoluteFilePath(typed));
}

void PathField::setPath(const QString& path) {
  edit_->setText(path);
}

void PathField::setPlaceholderText(const QString& text) {
  edit_->setPlaceholderText(text);
}

// The typed path's nearest existing folder, so that a placeholder such as
// /models/Meta-Llama-3-8B-Instruct still opens near where the checkpoint should be.
QString PathField::startFolder() const {
  QFileInfo at(path());
  while (!path().isEmpty() && !at.isDir() && at.absolutePath() != at.absoluteFilePath()) at = QFileInfo(at.absolutePath());
  return at.isDir() ? at.absoluteFilePath() : QDir::homePath();
}

void PathField::browse() {
  const QString chosen = kind_ == Kind::Folder
                             ? QFileDialog::getExistingDirectory(this, caption_, startFolder())
                             : QFileDialog::getOpenFileName(this, caption_, startFolder(), filter_);
  if (!chosen.isEmpty()) setPath(QDir::toNativeSeparators(chosen));
}

} // namespace collab::ui
