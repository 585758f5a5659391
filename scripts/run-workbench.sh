#!/bin/sh
# Set-up command 1 of README: installs the dependencies, builds a release, and starts
# collab-workbench on its embedded default (a demo project created on first run).
# Arguments are passed on to collab-workbench (a project path, --screenshot FILE.png...).
set -eu
cd "$(dirname "$0")/.."

./packaging/install-deps.sh

cmake --preset release
cmake --build --preset release --target collab collab-workbench # the tests are for command 2
exec ./build/release/app/workbench/collab-workbench "$@"
