# One precompiled LibTorch header per compile setting, shared by every target that needs it.
#
# Parsing LibTorch's headers costs a translation unit about 10 s even with a precompiled
# header and about 30 s without one; building the header itself costs about 30 s. So the
# targets whose sources include LibTorch reuse one header instead of building their own:
#   collab_nn owns the one for code built without -fPIC (collab_nn, collab_policy, the
#     CLI's model commands);
#   collab_test_torch_pch (tests/support) owns the one for the test suites, which Qt
#     builds with -fPIC: GCC refuses a header built with other PIC settings.
# Loading the header costs a file that does not need LibTorch about as much as it saves
# one that does, so only files that include LibTorch are put in these targets.

set(COLLAB_TORCH_PCH_HEADERS <ATen/ATen.h> <torch/nn/module.h>)

# collab_use_torch_pch(target [FROM owner]): `target` builds the header (no FROM) or
# reuses `owner`'s. A header GCC refuses would silently cost the full parse again, so a
# refusal is a warning (an error under COLLAB_WERROR).
function(collab_use_torch_pch target)
  cmake_parse_arguments(P "" "FROM" "" ${ARGN})
  if(P_FROM)
    target_precompile_headers(${target} REUSE_FROM ${P_FROM})
  else()
    target_precompile_headers(${target} PRIVATE ${COLLAB_TORCH_PCH_HEADERS})
  endif()
  target_compile_options(${target} PRIVATE -Winvalid-pch -fpch-preprocess)
endfunction()
