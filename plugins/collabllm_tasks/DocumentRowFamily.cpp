#include "DocumentRowFamily.h"

#include "reward/SentenceBleu.h"
#include "task/DocumentFamily.h"

#include <cstdio>

namespace collab::plugins::collabllm {

std::string DocumentRowFamily::extractArtefact(const conversation::Messages& conversation) const {
  return task::DocumentFamily().extractArtefact(conversation);
}

task::TaskScore DocumentRowFamily::score(const task::TaskInstance& task, const std::string& artefact) const {
  const double bleu = reward::charBleu(task.reference, artefact);
  char detail[64];
  std::snprintf(detail, sizeof detail, "character BLEU-4 %.4f against the reference", bleu);
  return {bleu, detail};
}

} // namespace collab::plugins::collabllm
