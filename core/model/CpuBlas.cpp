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

std::string openBlasCoreAdvice() {
  if (std::getenv("OPENBLAS_CORETYPE")) return {};
  const std::string core = openBlasCoreName();
  if (core.empty()) return {};
  // Kernel sets that already use AVX2 or AVX-512.
  constexpr std::array<std::string_view, 7> modern = {"Haswell", "SkylakeX", "Cooperlake", "SapphireRapids",
                                                      "Zen", "Skylake", "Cannonlake"};
  for (std::string_view m : modern)
    if (core == m) return {};
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  const char* better = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") ? "SkylakeX"
                       : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")      ? "Haswell"
                                                                                              : nullptr;
  if (!better) return {};
  return "OpenBLAS runs its " + core + " kernels on this CPU, which supports " +
         (std::string_view(better) == "SkylakeX" ? "AVX-512" : "AVX2") + "; start with OPENBLAS_CORETYPE=" + better +
         " for faster CPU matrix products";
#else
  return {};
#endif
}

} // namespace collab::model
