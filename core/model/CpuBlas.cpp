#include "model/CpuBlas.h"

#include <array>
#include <cstdlib>
#include <string_view>

#include <dlfcn.h>

namespace collab::model {

std::string openBlasCoreName() {
  // Looked up rather than linked: LibTorch may use another BLAS, and then it is absent.
  using CoreName = char* (*)();
  auto* symbol = ::dlsym(RTLD_DEFAULT, "openblas_get_corename");
  if (!symbol) return {};
  const char* name = reinterpret_cast<CoreName>(symbol)();
  return name ? std::string(name) : std::string();
}

namespace {

// The newest instruction set this CPU has that OpenBLAS has kernels for ("SkylakeX" for
// AVX-512, "Haswell" for AVX2), or null.
const char* bestCoreForThisCpu() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return nullptr;
}

} // namespace

bool openBlasOnOlderKernels() {
  const std::string core = openBlasCoreName();
  if (core.empty()) return false;
  // Kernel sets that already use AVX2 or AVX-512.
  constexpr std::array<std::string_view, 7> modern = {"Haswell", "SkylakeX", "Cooperlake", "SapphireRapids",
                                                      "Zen", "Skylake", "Cannonlake"};
  for (std::string_view m : modern)
    if (core == m) return false;
  return bestCoreForThisCpu() != nullptr;
}

std::string openBlasCoreAdvice() {
  if (std::getenv("OPENBLAS_CORETYPE") || !openBlasOnOlderKernels()) return {};
  const std::string_view better = bestCoreForThisCpu();
  return "OpenBLAS runs its " + openBlasCoreName() + " kernels on this CPU, which supports " +
         (better == "SkylakeX" ? "AVX-512" : "AVX2") + "; start with OPENBLAS_CORETYPE=" + std::string(better) +
         " for faster CPU matrix products";
}

} // namespace collab::model
