#!/bin/sh
# Whole generations under sampling, two builds of bench_generation side by side: typically
# the commit before a sampler change and the change itself. Both must draw the same tokens
# (each row has its own seed), which the last column checks; tok/s shows what the change buys
# once the model's forward passes are counted too.
# Usage: bench/generation/sampling_run.sh OLD_BENCH_GENERATION NEW_BENCH_GENERATION
# Environment: MODEL (100m), BATCH (16), PROMPT (32), NEW (128), WARMUP (8), REPEAT (3: runs
# per side and setting, alternating old and new), THREADS (LibTorch's default),
# WORK_DIR (scratch parent, default $TMPDIR or /tmp).
set -eu
old=${1:?usage: sampling_run.sh OLD_BENCH_GENERATION NEW_BENCH_GENERATION}
new=${2:?usage: sampling_run.sh OLD_BENCH_GENERATION NEW_BENCH_GENERATION}
MODEL=${MODEL:-100m}
BATCH=${BATCH:-16}
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-$("$new" threads)}
args="--batch $BATCH --prompt ${PROMPT:-32} --new ${NEW:-128} --warmup ${WARMUP:-8} --threads $THREADS"

work=$(mktemp -d "${WORK_DIR:-${TMPDIR:-/tmp}}/sampling-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$new" save "$MODEL" "$work/model" >&2

# name|flags: greedy, then the reviewer's settings and Qwen2.5-Instruct's generation_config.
settings="greedy|--temperature 0
T 0.7|--temperature 0.7
T 0.7 top-p 0.8 pen 1.05|--temperature 0.7 --top-p 0.8 --penalty 1.05
T 0.7 top-k 20|--temperature 0.7 --top-k 20
T 0.7 k 20 p 0.8 pen 1.05|--temperature 0.7 --top-k 20 --top-p 0.8 --penalty 1.05"

printf '%-27s %-44s %-44s %7s  %s\n' "setting" "old tok/s (each run)" "new tok/s (each run)" "best" "tokens"
echo "$settings" | while IFS='|' read -r name flags; do
  oldRates="" newRates="" same=yes
  i=0
  while [ "$i" -lt "$REPEAT" ]; do
    # shellcheck disable=SC2086
    "$old" run "$work/model" $args $flags >"$work/old.json"
    # shellcheck disable=SC2086
    "$new" run "$work/model" $args $flags >"$work/new.json"
    rates=$(/usr/bin/python3 - "$work/old.json" "$work/new.json" <<'PY'
import json, sys
o, n = (json.load(open(p)) for p in sys.argv[1:3])
print(f"{o['tokens_per_s']:.1f} {n['tokens_per_s']:.1f} {'yes' if o['rows'] == n['rows'] else 'no'}")
PY
)
    set -- $rates
    oldRates="$oldRates $1" newRates="$newRates $2"
    [ "$3" = yes ] || same=no
    i=$((i + 1))
  done
  best=$(echo "$oldRates|$newRates" | /usr/bin/python3 -c "
import sys
o, n = sys.stdin.read().split('|')
print(f'{max(map(float, n.split())) / max(map(float, o.split())):.2f}x')")
  printf '%-27s %-44s %-44s %7s  %s\n' "$name" "$oldRates" "$newRates" "$best" "$([ $same = yes ] && echo same || echo DIFFER)"
done
echo "model $MODEL, batch $BATCH, threads $THREADS; best = best new tok/s / best old tok/s"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
