# Built against Debian's LibTorch 1.13, the `#if TORCH_VERSION_MAJOR >= 2` branches (SDPA
# attention, per-device autocast) would never be compiled before a GPU server builds them.
# This target compiles the files that hold such branches once more, syntax and types only,
# with a stand-in version.h saying 2.4 and the 2.x signatures of what those branches call
# (cmake/torch2-stand-ins). A branch that no longer fits its 2.x signature fails the build.
#   collab_check_torch2_branches(TARGET file...)   TARGET: the library the files belong to
function(collab_check_torch2_branches target)
  if(NOT Torch_VERSION OR Torch_VERSION VERSION_GREATER_EQUAL 2)
    return() # a LibTorch 2 build compiles the real branches
  endif()
  set(standIns ${PROJECT_SOURCE_DIR}/cmake/torch2-stand-ins)
  set(stamps)
  foreach(source IN LISTS ARGN)
    get_filename_component(name ${source} NAME_WE)
    set(stamp ${CMAKE_CURRENT_BINARY_DIR}/torch2-branches/${name}.checked)
    add_custom_command(
      OUTPUT ${stamp}
      COMMAND ${CMAKE_CXX_COMPILER} -std=c++20 -fsyntax-only -Werror -Wall -Wno-unused-parameter
              -D_GLIBCXX_USE_CXX11_ABI=1 -I${standIns}
              "-I$<JOIN:$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>,;-I>"
              "-I$<JOIN:$<TARGET_PROPERTY:torch,INTERFACE_INCLUDE_DIRECTORIES>,;-I>"
              "$<$<BOOL:$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>>:-D$<JOIN:$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>,;-D>>"
              "$<$<BOOL:$<TARGET_PROPERTY:torch,INTERFACE_COMPILE_DEFINITIONS>>:-D$<JOIN:$<TARGET_PROPERTY:torch,INTERFACE_COMPILE_DEFINITIONS>,;-D>>"
              -include ${standIns}/torch2_declarations.h ${CMAKE_CURRENT_SOURCE_DIR}/${source}
      COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
      DEPENDS ${source} ${standIns}/torch/version.h ${standIns}/torch2_declarations.h
      COMMENT "Checking the LibTorch 2 branches of ${source}"
      COMMAND_EXPAND_LISTS VERBATIM)
    list(APPEND stamps ${stamp})
  endforeach()
  add_custom_target(${target}_torch2_branches ALL DEPENDS ${stamps})
endfunction()
