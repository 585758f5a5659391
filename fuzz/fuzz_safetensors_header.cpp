// libFuzzer target: parseSafetensorsHeader on arbitrary bytes, as if they were a whole
// file. Refusing the input with collab::InputError is the expected outcome; any other
// exception, a sanitizer report, or an accepted header that breaks the contract the tensor
// readers rely on (SafetensorsFile::bytes, readTensor) is a bug.

#include "common/Error.h"
#include "model/Safetensors.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

namespace {

[[noreturn]] void broken(const char* what, const collab::model::TensorRecord& t) {
  std::fprintf(stderr, "contract broken: %s (tensor '%s')\n", what, t.name.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace collab::model;
  const std::span<const std::byte> file(reinterpret_cast<const std::byte*>(data), size);
  SafetensorsHeader header;
  try {
    header = parseSafetensorsHeader(file, "fuzz.safetensors");
  } catch (const collab::InputError&) {
    return 0;
  }
  if (header.dataOffset > size) std::abort();
  const std::uint64_t dataSize = size - header.dataOffset;
  for (const TensorRecord& t : header.tensors) {
    if (t.begin > t.end || t.end > dataSize) broken("byte range outside the data section", t);
    for (std::int64_t dim : t.shape)
      if (dim < 0) broken("negative dimension", t);
    const std::int64_t numel = t.numel();  // UBSan checks this product for overflow
    if (static_cast<std::uint64_t>(numel) * dtypeSize(t.dtype) != t.end - t.begin) broken("size disagrees with shape", t);
  }
  return 0;
}
