#!/bin/sh
# Installs the third-party OpenAI-compatible mock server the HTTP backend is also tested
# against (ORACLES.md), pinned, into DEST with npm:
#   DEST/node_modules/@dwmkerr/mock-llm/dist/main.js    @dwmkerr/mock-llm@0.1.29
# Kept when already there. Without npm it says so and exits 0: the test then skips with
# that reason. Needs the npm registry.
# Usage: fetch.sh DEST
set -eu
DEST=${1:?usage: fetch.sh DEST}
main="$DEST/node_modules/@dwmkerr/mock-llm/dist/main.js"
[ -s "$main" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch.sh: npm is not installed; the mock-llm test will be skipped"
  exit 0
fi
mkdir -p "$DEST"
npm install --silent --no-audit --no-fund --no-save --prefix "$DEST" @dwmkerr/mock-llm@0.1.29 >/dev/null
[ -s "$main" ] || { echo "fetch.sh: $main is missing after npm install" >&2; exit 1; }
echo "fetch.sh: @dwmkerr/mock-llm@0.1.29 -> $DEST"
