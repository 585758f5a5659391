#!/bin/sh
# DPO step throughput and peak memory on CPU: ours (bench_dpo: collab::train::trainDpo, LibTorch
# from C++) against the same step as PyTorch eager from Python (dpo_eager.py), side by side.
# Usage: bench/dpo/run.sh BUILD_DIR
# Saves random-weight policy and reference checkpoints of the tiny model and of the ~100M Llama
# shape of bench/generation with our saveCausalLm, and B random preference pairs (prompt PROMPT
# tokens, chosen and rejected COMPLETION tokens each, seed SEED) with bench_dpo, so both sides
# load the same model.safetensors files and train on the same pairs; then for each model and
# batch runs each side in a fresh process (peak RSS is the process's), ours first, and prints
# one table. Both sides precompute the reference's log-probabilities once, then time STEPS DPO
# optimiser steps after WARMUP untimed ones. The first step's loss of both sides must agree to
# a relative 1e-4 (the script exits 1 otherwise).
# Environment: MODELS ("tiny 100m"), BATCHES (pairs per step, "2 8"), PROMPT (32), COMPLETION (32),
# STEPS (20 for tiny, 4 for 100m), WARMUP (2 for tiny, 1 for 100m), REPEAT (runs of each side per
# case, interleaved; the table shows medians: 5 for tiny, 1 for 100m), THREADS (default: LibTorch's
# own choice, at::get_num_threads()), SEED (7), WORK_DIR (scratch parent, default $TMPDIR or
# /tmp), OURS_FLAGS (more bench_dpo run flags, e.g. "--phases 1"), PY_FLAGS (more dpo_eager.py
# flags, e.g. "--profile 1"), OPENBLAS_CORETYPE (passed to both sides, see bench/README.md).
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
MODELS=${MODELS:-"tiny 100m"}
BATCHES=${BATCHES:-"2 8"}
PROMPT=${PROMPT:-32}
COMPLETION=${COMPLETION:-32}
SEED=${SEED:-7}
PYTHON=/usr/bin/python3  # Debian's python3-torch is importable from the system Python only

ours="$BUILD/bench/dpo/bench_dpo"
[ -x "$ours" ] || { echo "run.sh: build bench_dpo first (cmake --build $BUILD --target bench_dpo)" >&2; exit 1; }
"$PYTHON" -c "import torch, numpy" 2>/dev/null || { echo "run.sh: needs python3-torch and python3-numpy (packaging/install-deps.sh)" >&2; exit 1; }
THREADS=${THREADS:-$("$ours" threads)}

work=$(mktemp -d "${WORK_DIR:-${TMPDIR:-/tmp}}/bench-dpo.XXXXXX")
trap 'rm -rf "$work"' EXIT
results="$work/results.jsonl"

for model in $MODELS; do
  case $model in
    tiny) vocab=384 steps=${STEPS:-20} warmup=${WARMUP:-2} repeat=${REPEAT:-5} ;;
    100m) vocab=32000 steps=${STEPS:-4} warmup=${WARMUP:-1} repeat=${REPEAT:-1} ;;
    *) echo "run.sh: unknown model $model" >&2; exit 1 ;;
  esac
  "$ours" save "$model" "$work/$model" >&2
  for batch in $BATCHES; do
    echo "run.sh: $model, $batch pairs per step ($(date +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2
    pairs="$work/$model-pairs-$batch.json"
    "$ours" pairs "$pairs" --vocab "$vocab" --pairs "$batch" --prompt "$PROMPT" --completion "$COMPLETION" --seed "$SEED"
    args="--pairs-file $pairs --steps $steps --warmup $warmup --threads $THREADS"
    rep=1
    while [ "$rep" -le "$repeat" ]; do  # interleaved: ours, Python, ours, Python...
      # shellcheck disable=SC2086
      o=$("$ours" run "$work/$model" $args ${OURS_FLAGS:-})
      # shellcheck disable=SC2086
      p=$("$PYTHON" "$HERE/dpo_eager.py" "$work/$model" $args ${PY_FLAGS:-})
      printf '{"model": "%s", "load": "%s", "ours": %s, "python": %s}\n' "$model" "$(cut -d' ' -f1 /proc/loadavg)" "$o" "$p" >>"$results"
      rep=$((rep + 1))
    done
  done
done

status=0
"$PYTHON" - "$results" <<'PY' || status=$?
import json, sys
import statistics
runs = [json.loads(line) for line in open(sys.argv[1])]
cases = {}  # (model, pairs) -> its runs, in order
for r in runs:
    cases.setdefault((r["model"], r["ours"]["pairs"]), []).append(r)
print(f"{'model':<5} {'params':>7} {'pairs':>5} {'rows x tok':>10} {'runs':>4} {'ours pairs/s':>12} {'py pairs/s':>10}"
      f" {'speed':>6} {'(range)':>11} {'cpu speed':>9} {'ours MB':>8} {'py MB':>7} {'memory':>6}"
      f"  {'first loss ours / py':>21} {'rel diff':>8}  {'grad norm rel':>13}  {'last loss rel':>13}  load")
failed = False
def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-30)
med = statistics.median
for (model, pairs), rs in cases.items():
    o, p = rs[0]["ours"], rs[0]["python"]
    ours_ps = med([r["ours"]["pairs_per_s"] for r in rs])
    py_ps = med([r["python"]["pairs_per_s"] for r in rs])
    ratios = [r["ours"]["pairs_per_s"] / r["python"]["pairs_per_s"] for r in rs]
    cpu = med([r["ours"]["pairs_per_cpu_s"] for r in rs]) / med([r["python"]["pairs_per_cpu_s"] for r in rs])
    ours_mb = med([r["ours"]["peak_rss_mb"] for r in rs])
    py_mb = med([r["python"]["peak_rss_mb"] for r in rs])
    d = max(rel(r["ours"]["first_loss"], r["python"]["first_loss"]) for r in rs)
    failed |= d > 1e-4
    loads = sorted(float(r["load"]) for r in rs)
    print(f"{model:<5} {o['parameters'] / 1e6:>6.1f}M {pairs:>5} {str(o['rows']) + ' x ' + str(o['tokens_per_row']):>10} {len(rs):>4}"
          f" {ours_ps:>12.3g} {py_ps:>10.3g} {ours_ps / py_ps:>6.2f} {f'{min(ratios):.2f}-{max(ratios):.2f}':>11} {cpu:>9.2f}"
          f" {ours_mb:>8.0f} {py_mb:>7.0f} {ours_mb / py_mb:>6.2f}"
          f"  {o['first_loss']:>10.6f} / {p['first_loss']:<8.6f} {d:>8.1e}{'' if d <= 1e-4 else ' MISMATCH'}"
          f"  {rel(o['first_grad_norm'], p['first_grad_norm']):>13.1e}  {rel(o['last_loss'], p['last_loss']):>13.1e}"
          f"  {loads[0]:.1f}-{loads[-1]:.1f}")
    for side in (o, p):
        if "phases_s" in side:
            ph = side["phases_s"]
            print(f"      {side['side']:>6} phases (median s, first run): forward {ph['forward']:.4f}  loss {ph['loss']:.4f}"
                  f"  backward {ph['backward']:.4f}  optimiser {ph['optimiser']:.4f}  (step {side['step_s']:.4f})")
rows = runs
first = rows[0]
print(f"threads {first['ours']['threads']} (both sides), torch {first['python']['torch']} (Python) / the same Debian"
      f" LibTorch 1.13.1 (ours); ours: {first['ours']['path']}; reference log-probs precomputed once on both sides;"
      f" pairs/s = pairs / median step wall time (after the warm-up), then the median over the runs;"
      f" speed = ours / Python pairs/s (range: of the per-run ratios);"
      f" cpu speed = the same ratio from the median CPU time of a step (steadier on a shared machine);"
      f" MB = the process's peak RSS (ru_maxrss); memory = ours / Python")
sys.exit(1 if failed else 0)
PY
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "OpenBLAS kernels: $(sed -n 's/.*"blas_core": *"\([^"]*\)".*/\1/p' "$results" | head -n 1) (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, the same for both sides)"
exit $status
