# Compiler settings shared by every target: warnings, sanitizers, ccache, the linker.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  # ccache caches a file compiled with a precompiled header only with this sloppiness (and
  # -fpch-preprocess, added where the header is used: cmake/CollabTorchPch.cmake).
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros ${CCACHE_PROGRAM})
endif()

# LLVM's linker where it is installed (packaging/install-deps.sh installs lld): a test
# suite linked against the static core and LibTorch takes 0.5 s with it and 5 s with GNU
# ld (tst_cli_model, same load), and the build links about a hundred executables.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=lld COLLAB_HAVE_LLD)
if(COLLAB_HAVE_LLD)
  add_link_options(-fuse-ld=lld)
endif()

# collab_set_warnings(target): the warning level every project target is held to.
function(collab_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(COLLAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# UBSan's null and alignment checks instrument every dereference and reference binding:
# on this JSON-heavy code they cost a third of the sanitizer build's compile time
# (annotation/LabelSchemaJson.cpp: 9.4 s of CPU with them, 6.6 s without). A null
# dereference still stops the run with ASan's SEGV report and stack; x86 tolerates
# misalignment. Every other UBSan check stays on.
if(COLLAB_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=alignment,null -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
