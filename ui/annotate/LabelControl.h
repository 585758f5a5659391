#pragma once

#include "annotation/AnnotationValue.h"
#include "annotation/LabelSchema.h"

#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

class QLabel;

namespace collab::ui {

// A sibling candidate as the ranking and pairwise controls show it.
struct Candidate {
  conversation::NodeId id = 0;
  QString text;
};

// The control for answering one label of the schema: option buttons, a ranking list, an
// A/B chooser or a text field (one subclass per way of answering). Controls only say what
// the annotator chose; the annotation panel stores it.
class LabelControl : public QWidget {
  Q_OBJECT

public:
  LabelControl(annotation::LabelDefinition label, QWidget* parent);

  const annotation::LabelDefinition& label() const { return label_; }
  // Shows the stored answer (none: nothing chosen).
  virtual void load(const std::optional<annotation::Json>& value) = 0;
  // Ranking and pairwise controls judge these; others ignore them.
  virtual void setCandidates(const std::vector<Candidate>&) {}
  // Creates the keyboard shortcuts of the label's options, active anywhere in `scope`.
  virtual void addShortcuts(QWidget* scope) = 0;
  // Whether the control can be answered now (a ranking needs two candidates...).
  virtual bool isAnswerable() const { return true; }
  // Whether keys may answer it now: enabled (an item is shown) and not marked unavailable.
  // Not "visible": controls made after the panel is shown become visible a moment later.
  bool acceptsKeys() const { return isEnabled() && available_; }

signals:
  void answered(const annotation::Json& value);
  void cleared();

protected:
  // The label's name and question, above the control's own widgets.
  QWidget* body() const { return body_; }
  void setUnavailable(const QString& why);

private:
  annotation::LabelDefinition label_;
  bool available_ = true;
  QLabel* title_;
  QLabel* unavailable_;
  QWidget* body_;
};

// The control for `label`, by its kind.
LabelControl* createLabelControl(const annotation::LabelDefinition& label, QWidget* parent);

// "Yes  (Y)": an option's text with its shortcut in the portable form the user typed it.
QString optionCaption(const annotation::LabelOption& option);

} // namespace collab::ui
