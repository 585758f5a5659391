#!/bin/sh
# Generation throughput and peak memory on CPU: ours (bench_generation, LibTorch from C++)
# against the same model run as PyTorch eager from Python (eager_llama.py), side by side.
# Usage: bench/generation/run.sh BUILD_DIR
# Saves random-weight checkpoints of the tiny model and of a ~100M Llama shape with our
# saveCausalLm, so both sides load the same model.safetensors; then for batch 1 and 16 runs
# each side in a fresh process (peak RSS is the process's), ours first, and prints one
# table. The greedy tokens of both sides are compared as a correctness check.
# Environment: THREADS (default: LibTorch's own choice, at::get_num_threads()), PROMPT (32), NEW (128), WARMUP (8 new tokens),
# MODELS ("tiny 100m"), BATCHES ("1 16"), WORK_DIR (scratch parent, default $TMPDIR or /tmp),
# OURS_FLAGS (more bench_generation flags, e.g. "--profile 1"), OPENBLAS_CORETYPE (passed to both
# sides: e.g. SkylakeX where OpenBLAS falls back to its SSE3 "Prescott" kernels, see bench/README.md).
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
PROMPT=${PROMPT:-32}
NEW=${NEW:-128}
WARMUP=${WARMUP:-8}
MODELS=${MODELS:-"tiny 100m"}
BATCHES=${BATCHES:-"1 16"}
PYTHON=/usr/bin/python3  # Debian's python3-torch is importable from the system Python only

ours="$BUILD/bench/generation/bench_generation"
[ -x "$ours" ] || { echo "run.sh: build bench_generation first (cmake --build $BUILD --target bench_generation)" >&2; exit 1; }
"$PYTHON" -c "import torch, numpy" 2>/dev/null || { echo "run.sh: needs python3-torch and python3-numpy (packaging/install-deps.sh)" >&2; exit 1; }
THREADS=${THREADS:-$("$ours" threads)}

work=$(mktemp -d "${WORK_DIR:-${TMPDIR:-/tmp}}/bench-generation.XXXXXX")
trap 'rm -rf "$work"' EXIT
results="$work/results.jsonl"

for model in $MODELS; do
  "$ours" save "$model" "$work/$model" >&2
  for batch in $BATCHES; do
    echo "run.sh: $model batch $batch" >&2
    args="--batch $batch --prompt $PROMPT --new $NEW --warmup $WARMUP --threads $THREADS"
    # shellcheck disable=SC2086
    o=$("$ours" run "$work/$model" $args ${OURS_FLAGS:-})
    # shellcheck disable=SC2086
    p=$("$PYTHON" "$HERE/eager_llama.py" "$work/$model" $args)
    printf '{"model": "%s", "ours": %s, "python": %s}\n' "$model" "$o" "$p" >>"$results"
  done
done

"$PYTHON" - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"{'model':<6} {'params':>7} {'batch':>5} {'ours tok/s':>11} {'python tok/s':>13} {'ratio':>6}"
      f" {'ours peak MB':>13} {'python peak MB':>15} {'ratio':>6}  greedy tokens")
for r in rows:
    o, p = r["ours"], r["python"]
    a = [t for row in o["rows"] for t in row]
    b = [t for row in p["rows"] for t in row]
    differ = sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))
    check = f"same ({len(a)} tokens)" if differ == 0 else f"{differ} of {len(a)} differ"
    print(f"{r['model']:<6} {o['parameters'] / 1e6:>6.1f}M {o['batch']:>5} {o['tokens_per_s']:>11.1f}"
          f" {p['tokens_per_s']:>13.1f} {o['tokens_per_s'] / p['tokens_per_s']:>6.2f}"
          f" {o['peak_rss_mb']:>13.0f} {p['peak_rss_mb']:>15.0f} {o['peak_rss_mb'] / p['peak_rss_mb']:>6.2f}  {check}")
first = rows[0]
print(f"threads {first['ours']['threads']} (both sides), torch {first['python']['torch']} (Python) / the same"
      f" Debian LibTorch 1.13.1 (ours); tok/s = new tokens across the batch / wall time of generate"
      f" (prefill included, after a warm-up); peak MB = the process's ru_maxrss")
PY
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "OpenBLAS kernels: $(sed -n 's/.*"blas_core": *"\([^"]*\)".*/\1/p' "$results" | head -n 1) (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, the same for both sides)"
