#include "persona/Persona.h"

namespace collab::persona {

namespace {

constexpr std::size_t kMaxNameBytes = 80;

void checkName(const std::string& name, std::vector<PersonaProblem>& problems) {
  if (name.empty()) {
    problems.push_back({"name", "expected a name, found an empty one"});
    return;
  }
  if (name.front() == ' ' || name.back() == ' ')
    problems.push_back({"name", "`" + name + "` starts or ends with a space"});
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      // A name is shown in lists and menus, one line each.
      problems.push_back({"name", "contains a line break or control character"});
      break;
    }
  if (name.size() > kMaxNameBytes)
    problems.push_back(
        {"name", std::to_string(name.size()) + " bytes long, at most " + std::to_string(kMaxNameBytes) + " allowed"});
}

} // namespace

std::vector<PersonaProblem> validate(const Persona& persona) {
  std::vector<PersonaProblem> problems;
  checkName(persona.name, problems);
  for (auto& [trait, detail] : traitProblems(persona.traits)) problems.push_back({"traits." + trait, detail});
  const PromptTemplate prompt(persona.promptTemplate);
  for (const auto& problem : prompt.problems())
    problems.push_back({"prompt_template", problem.message()});
  return problems;
}

} // namespace collab::persona
