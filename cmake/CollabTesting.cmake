# collab_add_qtest(NAME name SOURCES files... LIBRARIES libs... LABEL core|ui|integration
#                  [TIMEOUT seconds] [ENVIRONMENT VAR=value...] [LIBTORCH [TORCH_PCH]])
# LIBTORCH: the suite runs LibTorch code, in-process or through the CLI; it is left out
# of builds without LibTorch (COLLAB_WITH_LIBTORCH=OFF).
# TORCH_PCH: its sources include LibTorch headers; they use the suites' shared precompiled
# header (cmake/CollabTorchPch.cmake), which a suite without them would only pay to load.
# One Qt Test executable per test file, registered with CTest under its label and run
# on Qt's offscreen platform, so GUI tests need no display. Settings (QSettings: recent
# projects, window layout) go to a folder of the build, never to the user's own.
function(collab_add_qtest)
  cmake_parse_arguments(T "LIBTORCH;TORCH_PCH" "NAME;LABEL;TIMEOUT" "SOURCES;LIBRARIES;ENVIRONMENT" ${ARGN})
  if(T_LIBTORCH AND NOT COLLAB_WITH_LIBTORCH)
    return() # a build without LibTorch has none of what the suite tests
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBRARIES})
  target_compile_definitions(${T_NAME} PRIVATE
    COLLAB_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
    COLLAB_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  collab_set_warnings(${T_NAME})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(T_LIBTORCH)
    # LibTorch headers: Qt's slots/signals keywords off (Q_SLOTS instead). Under the
    # sanitizers, LibTorch (not instrumented) leaves its thread pools and registries to the
    # OS at exit, which LeakSanitizer reports, and shares std::vector with our instrumented
    # code, which trips container-overflow: both checks are off for these suites only.
    target_compile_definitions(${T_NAME} PRIVATE QT_NO_KEYWORDS)
    if(T_TORCH_PCH)
      collab_use_torch_pch(${T_NAME} FROM collab_test_torch_pch)
    endif()
    if(COLLAB_SANITIZE)
      list(APPEND T_ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0:detect_container_overflow=0")
    endif()
  endif()
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABEL}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;XDG_CONFIG_HOME=${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}-config;${T_ENVIRONMENT}")
endfunction()
