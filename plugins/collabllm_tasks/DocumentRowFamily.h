#pragma once

#include "RowFamily.h"

namespace collab::plugins::collabllm {

// Document editing (CollabLLM's MediumDocEdit-style rows): the final document is the last
// assistant message, scored by character BLEU-4 against the row's completion, as the
// reference calls NLTK's sentence_bleu on raw strings.
class DocumentRowFamily : public RowFamily {
public:
  DocumentRowFamily(std::string name, std::vector<DatasetRow> rows) : RowFamily(std::move(name), "bleu", std::move(rows)) {}
  std::string extractArtefact(const conversation::Messages& conversation) const override;
  task::TaskScore score(const task::TaskInstance& task, const std::string& artefact) const override;
};

} // namespace collab::plugins::collabllm
