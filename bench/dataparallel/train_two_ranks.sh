#!/bin/sh
# `collab train --config CONFIG` as two ranks of a data-parallel run on 127.0.0.1 (torchrun's
# variables), in a fresh folder WORK_DIR: prints the wall time of the whole run and the
# median and mean interval between rank 0's step events (the time per optimiser step).
#   bench/dataparallel/train_two_ranks.sh COLLAB_BIN CONFIG WORK_DIR
# Rank 0's output is WORK_DIR/rank0.out (JSON lines), its errors WORK_DIR/rank0.err.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 COLLAB_BIN CONFIG WORK_DIR" >&2; exit 2; }
bin=$(realpath "$1") config=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
started=$(date +%s.%N)
pids=
for rank in 0 1; do
  RANK=$rank LOCAL_RANK=$rank WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
    "$bin" train --config "$config" > "rank$rank.out" 2> "rank$rank.err" &
  pids="$pids $!"
done
status=0
for pid in $pids; do wait "$pid" || status=1; done
ended=$(date +%s.%N)
[ $status -eq 0 ] || { echo "a rank failed: see $work/rank*.err" >&2; exit 1; }
python3 - "$started" "$ended" rank0.out <<'PY'
import json, statistics, sys
started, ended, path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
times = [json.loads(line)["wall_time"] for line in open(path) if '"event":"step"' in line]
gaps = [b - a for a, b in zip(times, times[1:])]
print(f"wall {ended - started:.2f} s, {len(times)} steps", end="")
if gaps:
    print(f", step interval median {statistics.median(gaps) * 1e3:.1f} ms, mean {statistics.mean(gaps) * 1e3:.1f} ms", end="")
print()
PY
