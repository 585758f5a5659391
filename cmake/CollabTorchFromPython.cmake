# An imported target `torch` from the files of a pip-installed PyTorch, for GPU servers
# where TorchConfig.cmake cannot be used (it looks for the CUDA toolkit, which a wheel
# does not need). COLLAB_TORCH_PYTHON_DIR is the package folder, e.g. the output of
#   python3 -c "import torch, os; print(os.path.dirname(torch.__file__))"
set(_torch ${COLLAB_TORCH_PYTHON_DIR})
if(NOT EXISTS ${_torch}/include/ATen/ATen.h)
  message(FATAL_ERROR "COLLAB_TORCH_PYTHON_DIR=${_torch} has no include/ATen/ATen.h")
endif()
add_library(torch INTERFACE IMPORTED GLOBAL)
set_target_properties(torch PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${_torch}/include;${_torch}/include/torch/csrc/api/include"
  INTERFACE_COMPILE_DEFINITIONS "_GLIBCXX_USE_CXX11_ABI=1")
set(_libs)
foreach(name torch torch_cpu c10 torch_cuda c10_cuda)
  if(EXISTS ${_torch}/lib/lib${name}.so)
    list(APPEND _libs ${_torch}/lib/lib${name}.so)
  endif()
endforeach()
# torch_cuda registers its kernels from static initialisers: keep it linked even though
# no symbol of it is referenced directly.
set_target_properties(torch PROPERTIES
  INTERFACE_LINK_LIBRARIES "-Wl,--no-as-needed;${_libs};-Wl,--as-needed"
  INTERFACE_LINK_DIRECTORIES "${_torch}/lib")
set(CMAKE_BUILD_RPATH "${_torch}/lib")
if(EXISTS ${_torch}/lib/libtorch_cuda.so)
  set_property(TARGET torch APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS COLLAB_WITH_CUDA)
endif()
# c10d's Gloo backend (data parallel, core/train/ProcessGroup.cpp): its headers are guarded
# by the definitions TorchConfig.cmake would have set; without the gloo headers in the
# wheel, the build goes on and a run of several ranks is refused.
if(EXISTS ${_torch}/include/gloo/rendezvous/store.h)
  set_property(TARGET torch APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS USE_DISTRIBUTED USE_C10D_GLOO)
endif()
message(STATUS "LibTorch from ${_torch}: ${_libs}")
