#include "demo/TaskChooser.h"

#include "task/TaskRegistry.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>

namespace collab::ui {

namespace {
constexpr std::uint64_t kTaskSeed = 1; // EpisodeSource::taskSeed: the tasks a run trains and evaluates on

const task::TaskRegistry& registry() {
  static const task::TaskRegistry tasks; // the built-in suite; generating a task is a pure function
  return tasks;
}
} // namespace

TaskChooser::TaskChooser(QWidget* parent)
    : QWidget(parent), family_(new QComboBox), split_(new QComboBox), index_(new QSpinBox), id_(new QLabel) {
  for (const auto& name : registry().names()) family_->addItem(QString::fromStdString(name));
  split_->addItem(tr("train"), QStringLiteral("train"));
  split_->addItem(tr("test"), QStringLiteral("test"));
  split_->setToolTip(tr("train: tasks the checkpoints were trained on; test: held-out tasks"));
  index_->setRange(0, 199);
  index_->setPrefix(tr("task "));
  index_->setToolTip(tr("The n-th task of the family in that split"));
  id_->setStyleSheet(QStringLiteral("color: gray"));
  id_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(family_);
  layout->addWidget(split_);
  layout->addWidget(index_);
  layout->addWidget(id_, 1);
  connect(family_, &QComboBox::currentIndexChanged, this, &TaskChooser::update);
  connect(split_, &QComboBox::currentIndexChanged, this, &TaskChooser::update);
  connect(index_, &QSpinBox::valueChanged, this, &TaskChooser::update);
  update();
}

void TaskChooser::choose(const QString& family, const QString& split, int index) {
  const QSignalBlocker a(family_), b(split_), c(index_);
  family_->setCurrentText(family);
  split_->setCurrentIndex(split_->findData(split));
  index_->setValue(index);
  update();
}

void TaskChooser::update() {
  const auto count = static_cast<std::size_t>(index_->value()) + 1;
  const auto tasks = registry().tasks(family_->currentText().toStdString(), kTaskSeed, count,
                                      split_->currentData().toString().toStdString());
  if (tasks.empty()) return;
  task_ = tasks.back(); // a dataset family may hold fewer: its last task then
  id_->setText(taskId());
  emit taskChanged();
}

QString goalText(const task::TaskInstance& task) {
  QStringList parts;
  for (const auto& attribute : task.goal)
    parts << QString::fromStdString(attribute.key) + QStringLiteral(": ") + QString::fromStdString(attribute.value);
  return parts.join(QStringLiteral(", "));
}

} // namespace collab::ui
