#pragma once

// Keyboard shortcuts of label options, as text: modifiers and one key joined by `+`
// ("Y", "3", "Shift+B", "Ctrl+Alt+F2"), in the portable syntax of QKeySequence so the
// GUI can use the text as it is. The core checks and compares them without Qt.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace collab::annotation {

// The canonical spelling ("ctrl + y" -> "Ctrl+Y"; modifiers in the order Ctrl, Alt,
// Shift, Meta; letters upper case; named keys as Qt spells them), or nothing when the
// text is not a shortcut: an unknown key or modifier, a modifier without a key, two keys.
std::optional<std::string> normalizeShortcut(std::string_view text);

// Keys the annotation panel keeps for itself (moving a candidate in a ranking, walking
// the queue); a label option may not take them.
const std::vector<std::string>& reservedShortcuts();

} // namespace collab::annotation
