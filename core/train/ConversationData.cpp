#include "train/ConversationData.h"

#include "common/Error.h"
#include "io/ChatMessages.h"
#include "io/Exporter.h"
#include "io/JsonlReader.h"

#include <fstream>
#include <functional>
#include <sstream>

namespace collab::train {

namespace {

using conversation::Role;
using io::Json;

// Reads every row of `in` with `parse`, turning a field error into "SOURCE:LINE: ...".
template <typename Row>
std::vector<Row> readRows(std::istream& in, const std::string& source, const std::function<Row(const Json&)>& parse) {
  io::JsonlReader reader(in, source);
  std::vector<Row> rows;
  while (auto json = reader.next()) {
    try {
      rows.push_back(parse(*json));
    } catch (const io::FieldError& e) {
      throw InputError(source, reader.line(), e.what());
    }
    rows.back().origin = source + ":" + std::to_string(reader.line());
  }
  return rows;
}

// A reply of a preference row: text, or a list of exactly one assistant message.
conversation::Message reply(const Json& row, const char* key) {
  const Json& value = io::requireField(row, key);
  if (value.is_string()) return {Role::Assistant, value.get<std::string>()};
  const conversation::Messages messages = io::parseMessages(value, key);
  if (messages.size() != 1 || messages.front().role != Role::Assistant)
    io::throwExpected(key, "a string or a list of one assistant message", value);
  return messages.front();
}

std::ifstream openFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open");
  return in;
}

std::string exported(store::Project& project, const io::ExportOptions& options) {
  std::ostringstream out;
  io::exportJsonl(project, out, options);
  return out.str();
}

} // namespace

std::vector<SftConversation> readSftConversations(std::istream& in, const std::string& source) {
  return readRows<SftConversation>(in, source, [](const Json& row) {
    SftConversation c{io::parseMessages(io::requireField(row, "messages"), "messages"), ""};
    bool assistant = false;
    for (const auto& m : c.messages) assistant = assistant || m.role == Role::Assistant;
    if (!assistant) io::throwExpected("messages", "a conversation with at least one assistant message", row["messages"]);
    return c;
  });
}

std::vector<PreferenceConversation> readPreferenceConversations(std::istream& in, const std::string& source) {
  return readRows<PreferenceConversation>(in, source, [](const Json& row) {
    return PreferenceConversation{io::parsePromptOrText(io::requireField(row, "prompt"), "prompt"), reply(row, "chosen"),
                                  reply(row, "rejected"), ""};
  });
}

std::vector<SftConversation> readSftFile(const std::string& path) {
  std::ifstream in = openFile(path);
  return readSftConversations(in, path);
}

std::vector<PreferenceConversation> readPreferenceFile(const std::string& path) {
  std::ifstream in = openFile(path);
  return readPreferenceConversations(in, path);
}

std::vector<SftConversation> projectConversations(store::Project& project) {
  io::ExportOptions options;
  options.format = io::ExportFormat::Sft;
  std::istringstream rows(exported(project, options));
  std::vector<SftConversation> all = readRows<SftConversation>(rows, project.path().string() + " (best paths)", [](const Json& row) {
    return SftConversation{io::parseMessages(row.at("messages"), "messages"), ""};
  });
  // A tree with no assistant turn yet (a prompt awaiting replies) has nothing to learn from.
  std::erase_if(all, [](const SftConversation& c) {
    for (const auto& m : c.messages)
      if (m.role == Role::Assistant) return false;
    return true;
  });
  return all;
}

std::vector<PreferenceConversation> projectPreferences(store::Project& project, double minGap, bool humanPreferences) {
  io::ExportOptions options;
  options.format = io::ExportFormat::Dpo;
  options.minGap = minGap;
  options.humanPreferences = humanPreferences;
  std::istringstream rows(exported(project, options));
  return readPreferenceConversations(rows, project.path().string() + " (preference pairs)");
}

} // namespace collab::train
