#pragma once

#include <string>

namespace collab::model {

// Which OpenBLAS kernels LibTorch's CPU matmuls run on, for reports and advice.
//
// Debian's OpenBLAS (0.3.21, DYNAMIC_ARCH) picks its kernel set once, in the library's own
// constructor, from the CPU model or from the OPENBLAS_CORETYPE environment variable; on a
// CPU model it does not know (a VM's "Intel Xeon Processor") it falls back to the SSE3
// "Prescott" kernels even when the CPU has AVX-512. The choice is made before main() runs and
// OpenBLAS has no public call to change it afterwards, so a program cannot fix it for itself:
// the variable has to be in the environment it is started with (bench/README.md).

// openblas_get_corename() of the OpenBLAS loaded in this process ("SkylakeX", "Haswell",
// "Prescott"...), or empty when LibTorch's BLAS is not OpenBLAS (MKL, a CUDA-only build).
std::string openBlasCoreName();

// True when OpenBLAS runs kernels older than this CPU supports (its SSE3 "Prescott" set on
// an AVX2 or AVX-512 CPU), whatever the reason (an unknown CPU model, OPENBLAS_CORETYPE).
bool openBlasOnOlderKernels();

// When OpenBLAS runs kernels older than this CPU supports and OPENBLAS_CORETYPE is unset:
// a one-line hint naming the value to set (SkylakeX for AVX-512, Haswell for AVX2).
// Empty otherwise.
std::string openBlasCoreAdvice();

} // namespace collab::model
