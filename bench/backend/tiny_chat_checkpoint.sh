#!/bin/sh
# Writes into OUT_DIR a copy of tests/data/models/tiny-llama (random weights) with Llama 3
# Instruct's chat template, the checkpoint the local backend's tests use
# (tests/support/TinyChatModel.h): what bench_local_backend runs on without a real model.
#   bench/backend/tiny_chat_checkpoint.sh OUT_DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
source_dir=$(cd "$(dirname "$0")/../../tests/data/models/tiny-llama" && pwd)
mkdir -p "$1"
cp "$source_dir"/* "$1"/
python3 - "$1/tokenizer_config.json" <<'PY'
import json, sys
path = sys.argv[1]
config = json.load(open(path))
# Llama 3's chat template, verbatim from Meta-Llama-3-8B-Instruct's tokenizer_config.json.
config["chat_template"] = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
    "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")
json.dump(config, open(path, "w"), indent=2)
PY
echo "$1"
