#pragma once

#include "conversation/Node.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace collab::store {

// A label put on a turn (or on a whole conversation when nodeId is empty).
struct Annotation {
  std::int64_t id = 0;
  conversation::TreeId treeId = 0;
  std::optional<conversation::NodeId> nodeId;
  std::string annotator;
  std::string label;
  std::string valueJson = "null";
  std::string createdAt;
};

// An annotator's free note on a turn or conversation, apart from the labels.
struct AnnotationNote {
  conversation::TreeId treeId = 0;
  std::optional<conversation::NodeId> nodeId;
  std::string annotator;
  std::string text;
  std::string createdAt;
};

// "chosen is better than rejected", said by an annotator or carried in by a dataset.
struct Preference {
  std::int64_t id = 0;
  conversation::TreeId treeId = 0;
  conversation::NodeId chosen = 0;
  conversation::NodeId rejected = 0;
  std::string annotator;
  std::string source;
  std::string createdAt;
};

// Which items the annotation queue walks: assistant turns of the conversation proper
// (not sampled futures), or whole conversations.
enum class QueueLevel { AssistantTurns, Conversations };

// The labels that count as "annotated" for the queue, as JSON arrays of label names:
// `itemLabels` are put on the item itself; `groupLabels` (ranking, pairwise) on the
// parent of an assistant turn, judging all its candidates at once.
struct QueueLabels {
  std::string itemLabelsJson = "[]";
  std::string groupLabelsJson = "[]";
};

class AnnotationRepository {
public:
  explicit AnnotationRepository(SQLite::Database& db) : db_(db) {}

  std::int64_t add(const Annotation& annotation);
  // Replaces what this annotator said for this label on this item (there is one answer
  // per annotator, item and label), in one transaction.
  std::int64_t set(const Annotation& annotation);
  // Returns whether there was something to remove.
  bool remove(conversation::TreeId tree, std::optional<conversation::NodeId> node, const std::string& annotator,
              const std::string& label);
  std::vector<Annotation> forTree(conversation::TreeId tree);
  // Of one item exactly (a node, or the conversation itself when `node` is empty).
  std::vector<Annotation> forItem(conversation::TreeId tree, std::optional<conversation::NodeId> node);
  std::optional<Annotation> find(conversation::TreeId tree, std::optional<conversation::NodeId> node,
                                 const std::string& annotator, const std::string& label);
  // Every annotation in id order; stops when `visit` returns false.
  void forEach(const std::function<bool(const Annotation&)>& visit);
  std::vector<std::string> annotators();

  // An empty text removes the note.
  void setNote(const AnnotationNote& note);
  std::optional<AnnotationNote> note(conversation::TreeId tree, std::optional<conversation::NodeId> node,
                                     const std::string& annotator);
  void forEachNote(const std::function<bool(const AnnotationNote&)>& visit);

  // The label schema as JSON, newest version; nothing when the project has not set one.
  std::optional<std::string> labelSchemaJson();
  void addLabelSchemaVersion(const std::string& schemaJson);

  std::int64_t queueSize(QueueLevel level);
  std::int64_t annotatedCount(QueueLevel level, const std::string& annotator, const QueueLabels& labels);
  // The first item after (tree, node) in (tree id, node id) order that `annotator` has not
  // annotated; the node is empty at conversation level.
  struct QueueItem {
    conversation::TreeId tree = 0;
    std::optional<conversation::NodeId> node;
  };
  std::optional<QueueItem> nextUnannotated(QueueLevel level, const std::string& annotator, const QueueLabels& labels,
                                           conversation::TreeId afterTree, conversation::NodeId afterNode);

  std::int64_t addPreference(const Preference& preference);
  std::vector<Preference> preferences(conversation::TreeId tree);
  std::int64_t count();
  std::int64_t preferenceCount();

private:
  SQLite::Database& db_;
};

} // namespace collab::store
