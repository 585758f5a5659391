// The translation unit that builds the test suites' precompiled LibTorch header
// (collab_test_torch_pch in CMakeLists.txt); it has no code of its own.
