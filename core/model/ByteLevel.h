#pragma once

#include <optional>
#include <string>
#include <string_view>

// GPT-2's reversible map between bytes and printable characters ("Ġ" is the space byte):
// byte-level vocabularies spell every byte sequence with these 256 characters.
namespace collab::model::byte_level {

// The UTF-8 text of the character that stands for byte b.
const std::string& charOf(unsigned char b);

// The bytes a vocabulary string spells, or nothing when it uses a character outside the
// 256 (such a token cannot come out of byte-level BPE).
std::optional<std::string> toBytes(std::string_view token);

} // namespace collab::model::byte_level
