#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-
// endian header length N, N bytes of JSON describing each tensor (dtype, shape, byte
// range within the data that follows), then the data. Torch-free on purpose: the header
// is untrusted input and is parsed and checked here, where it can be fuzzed alone.
namespace collab::model {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

std::size_t dtypeSize(DType dtype);
std::string_view dtypeName(DType dtype);

// One tensor as the header describes it; [begin, end) is relative to the data section.
struct TensorRecord {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;

  std::int64_t numel() const;
};

struct SafetensorsHeader {
  std::vector<TensorRecord> tensors; // in data order
  std::map<std::string, std::string> metadata;
  std::uint64_t dataOffset = 0; // where the data section starts in the file
};

// Parses the header of a whole safetensors file held in `file`, and checks everything the
// data access relies on: the header fits in the file, is a JSON object, every dtype is
// known, every byte range matches its shape and lies inside the data, and the ranges
// neither overlap nor leave holes. Problems raise InputError naming `source` and the tensor.
SafetensorsHeader parseSafetensorsHeader(std::span<const std::byte> file, const std::string& source);

// A safetensors file mapped read-only into memory.
class SafetensorsFile {
public:
  explicit SafetensorsFile(const std::string& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::string& path() const { return path_; }
  const SafetensorsHeader& header() const { return header_; }
  const TensorRecord* find(std::string_view name) const;
  // The tensor's bytes in the mapping; throws collab::Error once the file is unmapped.
  std::span<const std::byte> bytes(const TensorRecord& tensor) const;
  // Hands the whole pages of the tensor's bytes back to the kernel (madvise DONTNEED):
  // they leave the process's resident set, and are read from the file again if touched.
  // For a loader done with the tensor; a hint, and a no-op when unmapped.
  void release(const TensorRecord& tensor) const;
  // Unmaps the file; the header stays readable, bytes() does not.
  void unmap();

private:
  std::string path_;
  const std::byte* map_ = nullptr;
  std::size_t size_ = 0;
  bool unmapped_ = false;
  SafetensorsHeader header_;
};

// A tensor to write: raw little-endian bytes in row-major order.
struct TensorBytes {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::span<const std::byte> data;
};

// Writes a safetensors file atomically (a temporary file renamed over `path`), tensors
// sorted by name as the reference writer does, header padded to 8 bytes. A failed write
// leaves any previous file at `path` untouched.
void writeSafetensors(const std::string& path, const std::vector<TensorBytes>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace collab::model
