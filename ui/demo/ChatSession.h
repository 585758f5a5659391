#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>

namespace collab::ui {

class JsonLinesChild;

// One `collab chat --checkpoint DIR` child: the user's messages go to its stdin as JSON
// lines; the act words as the model draws them, the act and the reply come back as
// events. The model runs in that process, never in the GUI's.
class ChatSession : public QObject {
  Q_OBJECT

public:
  ChatSession(QString collabProgram, QObject* parent = nullptr);

  void start(const QString& checkpoint, const QString& taskId, quint64 seed = 0);
  void send(const QString& userMessage);
  void reset();
  void close();
  bool ready() const { return ready_; }
  bool waiting() const { return waiting_; }
  QString checkpoint() const { return checkpoint_; }
  quint64 seed() const { return seed_; }
  QJsonObject task() const { return task_; }

signals:
  void started(const QJsonObject& task);
  void tokenStreamed(const QString& word); // one act word, before the reply it leads to
  void actChosen(const QString& act);
  void replied(const QString& text, double seconds);
  void failed(const QString& message);

private:
  void handle(const QJsonObject& event);

  JsonLinesChild* child_;
  QString checkpoint_;
  quint64 seed_ = 0;
  QJsonObject task_;
  bool ready_ = false;
  bool waiting_ = false;
};

} // namespace collab::ui
