#!/bin/sh
# Set-up command 2 of README: installs the dependencies, builds everything with warnings
# as errors, and runs every test suite (core, ui, integration); then builds the core, the
# CLI and their tests under AddressSanitizer + UBSan and runs those too. CI runs this.
# The sanitizer pass leaves out the LibTorch half (not instrumented, and its headers would
# double the build); the fuzz targets (fuzz/) cover the safetensors parser under ASan.
set -eu
cd "$(dirname "$0")/.."

./packaging/install-deps.sh

cmake --preset dev
cmake --build --preset dev
ctest --preset dev --parallel "$(nproc)"

# The sanitizer pass: the same core and CLI tests; the 1M-node store test at 1/10 size.
cmake --preset asan
cmake --build --preset asan
COLLAB_TEST_LARGE_TREES=10000 ctest --preset asan --parallel "$(nproc)"
echo "run-tests: all suites passed"
