#include "model/Safetensors.h"

#include "common/Error.h"
#include "common/AtomicFile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace collab::model {

namespace {

using nlohmann::json;

// The reference implementation refuses headers above 100 MB; so do we, before parsing.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

struct DTypeInfo {
  DType dtype;
  std::string_view name;
  std::size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::F64, "F64", 8}, {DType::F32, "F32", 4}, {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8}, {DType::I32, "I32", 4},
    {DType::I16, "I16", 2}, {DType::I8, "I8", 1},   {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1},
};

const DTypeInfo& infoOf(DType dtype) {
  for (const auto& info : kDTypes)
    if (info.dtype == dtype) return info;
  throw std::logic_error("unhandled safetensors dtype");
}

[[noreturn]] void fail(const std::string& source, const std::string& detail) {
  throw InputError(source, 0, detail);
}

DType parseDType(const json& value, const std::string& source, const std::string& tensor) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    for (const auto& info : kDTypes)
      if (info.name == text) return info.dtype;
    fail(source, "tensor '" + tensor + "': unknown dtype \"" + text +
                     "\" (expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
  }
  fail(source, "tensor '" + tensor + "': \"dtype\" must be a string");
}

std::uint64_t nonNegative(const json& value, const std::string& source, const std::string& what) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) return value.get<std::uint64_t>();
  // Numbers are shown as written; anything else by its type: dumping an arbitrarily nested
  // value would recurse as deep as the file nests.
  fail(source, what + ": expected a non-negative integer, found " +
                   (value.is_number() ? value.dump() : std::string("a ") + value.type_name()));
}

TensorRecord parseRecord(const std::string& name, const json& entry, const std::string& source) {
  const std::string where = "tensor '" + name + "'";
  if (!entry.is_object()) fail(source, where + ": expected an object with dtype, shape, data_offsets");
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!entry.contains(key)) fail(source, where + ": missing \"" + key + "\"");

  TensorRecord record;
  record.name = name;
  record.dtype = parseDType(entry["dtype"], source, name);
  const json& shape = entry["shape"];
  if (!shape.is_array()) fail(source, where + ": \"shape\" must be an array");
  // The element count, multiplied left to right as numel() and the reference reader do,
  // must fit in int64 at every step: [2^62, 3, 0] is refused, not an overflow to 0.
  constexpr auto kMaxElements = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t elements = 1;
  bool overflow = false;
  for (const json& dim : shape) {
    const std::uint64_t size = nonNegative(dim, source, where + " shape");
    if (size > kMaxElements) overflow = true;
    else if (size != 0 && elements > kMaxElements / size) overflow = true;
    else elements *= size;
    record.shape.push_back(static_cast<std::int64_t>(size));
  }
  const json& offsets = entry["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2)
    fail(source, where + ": \"data_offsets\" must be [begin, end]");
  record.begin = nonNegative(offsets[0], source, where + " data_offsets[0]");
  record.end = nonNegative(offsets[1], source, where + " data_offsets[1]");
  if (record.end < record.begin)
    fail(source, where + ": data_offsets end " + std::to_string(record.end) + " is before begin " +
                     std::to_string(record.begin));
  const std::size_t width = dtypeSize(record.dtype);
  if (overflow || elements > std::numeric_limits<std::uint64_t>::max() / width)
    fail(source, where + ": shape is too large");
  if (record.end - record.begin != elements * width)
    fail(source, where + ": shape " + shape.dump() + " of " + std::string(dtypeName(record.dtype)) +
                     " needs " + std::to_string(elements * width) + " bytes but data_offsets span " +
                     std::to_string(record.end - record.begin));
  return record;
}

std::map<std::string, std::string> parseMetadata(const json& value, const std::string& source) {
  if (!value.is_object()) fail(source, "\"__metadata__\" must be an object of strings");
  std::map<std::string, std::string> metadata;
  for (const auto& [key, text] : value.items()) {
    if (!text.is_string()) fail(source, "\"__metadata__\" value for \"" + key + "\" must be a string");
    metadata[key] = text.get<std::string>();
  }
  return metadata;
}

// The byte ranges, sorted, must tile the data section exactly: no overlap, no hole.
void checkLayout(std::vector<TensorRecord>& tensors, std::uint64_t dataSize, const std::string& source) {
  std::sort(tensors.begin(), tensors.end(),
            [](const TensorRecord& a, const TensorRecord& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  std::uint64_t expected = 0;
  for (const auto& tensor : tensors) {
    if (tensor.begin < expected)
      fail(source, "tensor '" + tensor.name + "': bytes [" + std::to_string(tensor.begin) + ", " +
                       std::to_string(tensor.end) + ") overlap the previous tensor");
    if (tensor.begin > expected)
      fail(source, "tensor '" + tensor.name + "': a hole of " + std::to_string(tensor.begin - expected) +
                       " bytes before it in the data section");
    expected = tensor.end;
  }
  if (expected != dataSize)
    fail(source, "the header describes " + std::to_string(expected) + " bytes of data but the file holds " +
                     std::to_string(dataSize) + (expected > dataSize ? " (truncated file?)" : ""));
}

} // namespace

std::size_t dtypeSize(DType dtype) { return infoOf(dtype).size; }
std::string_view dtypeName(DType dtype) { return infoOf(dtype).name; }

std::int64_t TensorRecord::numel() const {
  std::int64_t n = 1;
  for (auto dim : shape) n *= dim;
  return n;
}

SafetensorsHeader parseSafetensorsHeader(std::span<const std::byte> file, const std::string& source) {
  if (file.size() < 8) fail(source, "not a safetensors file: " + std::to_string(file.size()) + " bytes, less than the 8-byte header length");
  std::uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i) headerSize = (headerSize << 8) | std::to_integer<std::uint64_t>(file[i]);
  if (headerSize > kMaxHeaderBytes)
    fail(source, "header length " + std::to_string(headerSize) + " exceeds the 100 MB limit (not a safetensors file?)");
  if (headerSize > file.size() - 8)
    fail(source, "header length " + std::to_string(headerSize) + " runs past the end of the " +
                     std::to_string(file.size()) + "-byte file (truncated?)");
  const char* text = reinterpret_cast<const char*>(file.data() + 8);
  if (headerSize == 0 || text[0] != '{') fail(source, "the header is not a JSON object");

  json header = json::parse(text, text + headerSize, nullptr, false);
  if (header.is_discarded() || !header.is_object()) fail(source, "the header is not valid JSON");

  SafetensorsHeader parsed;
  parsed.dataOffset = 8 + headerSize;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") parsed.metadata = parseMetadata(entry, source);
    else parsed.tensors.push_back(parseRecord(name, entry, source));
  }
  checkLayout(parsed.tensors, file.size() - parsed.dataOffset, source);
  return parsed;
}

SafetensorsFile::SafetensorsFile(const std::string& path) : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    fail(path, "not a regular file");
  }
  size_ = static_cast<std::size_t>(info.st_size);
  if (size_ > 0) {
    void* map = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      ::close(fd);
      fail(path, std::string("cannot map: ") + std::strerror(errno));
    }
    map_ = static_cast<const std::byte*>(map);
  }
  ::close(fd);
  try {
    header_ = parseSafetensorsHeader({map_, size_}, path);
  } catch (...) {
    if (map_) ::munmap(const_cast<std::byte*>(map_), size_);
    throw;
  }
}

SafetensorsFile::~SafetensorsFile() { unmap(); }

void SafetensorsFile::unmap() {
  if (map_) ::munmap(const_cast<std::byte*>(map_), size_);
  map_ = nullptr;
  unmapped_ = true;
}

void SafetensorsFile::release(const TensorRecord& tensor) const {
  if (!map_) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(map_ + header_.dataOffset + tensor.begin);
  const auto end = reinterpret_cast<std::uintptr_t>(map_ + header_.dataOffset + tensor.end);
  // Only the pages wholly inside the tensor: its neighbours may still be wanted.
  const std::uintptr_t first = (begin + page - 1) / page * page, last = end / page * page;
  if (first < last) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

const TensorRecord* SafetensorsFile::find(std::string_view name) const {
  for (const auto& tensor : header_.tensors)
    if (tensor.name == name) return &tensor;
  return nullptr;
}

std::span<const std::byte> SafetensorsFile::bytes(const TensorRecord& tensor) const {
  if (unmapped_) throw Error(path_ + ": tensor '" + tensor.name + "' read after the file was unmapped");
  return {map_ + header_.dataOffset + tensor.begin, static_cast<std::size_t>(tensor.end - tensor.begin)};
}

void writeSafetensors(const std::string& path, const std::vector<TensorBytes>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::vector<const TensorBytes*> ordered;
  for (const auto& tensor : tensors) ordered.push_back(&tensor);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->name < b->name; });

  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (const TensorBytes* tensor : ordered) {
    const std::uint64_t end = offset + tensor->data.size();
    header[tensor->name] = {{"dtype", dtypeName(tensor->dtype)}, {"shape", tensor->shape}, {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');

  AtomicFile out(path);
  std::byte length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<std::byte>((text.size() >> (8 * i)) & 0xff);
  out.write(length, 8);
  out.write(text.data(), text.size());
  for (const TensorBytes* tensor : ordered) out.write(tensor->data.data(), tensor->data.size());
  out.commit();
}

} // namespace collab::model
