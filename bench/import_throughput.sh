#!/bin/sh
# Import throughput: `collab import -f collabllm` against the sqlite3 shell loading the same
# rows into one flat table, the practical ceiling for "JSON lines into SQLite" on this
# machine. See bench/README.md.
#
#   bench/import_throughput.sh [ROWS]          (default 200000)
#   env: BUILD_DIR (default build/release), SEED (42), WORK_DIR (where the run's own
#        scratch directory goes; default $TMPDIR or /tmp), KEEP=1 keeps that directory
set -eu

ROWS=${1:-200000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=$(cd "${BUILD_DIR:-$ROOT/build/release}" && pwd)  # absolute: we cd to WORK_DIR
SEED=${SEED:-42}
# A directory of our own, so that cleaning up never touches anything else in WORK_DIR.
WORK_DIR=$(mktemp -d "${WORK_DIR:-${TMPDIR:-/tmp}}/collab-bench.XXXXXX")
COLLAB=$BUILD_DIR/app/cli/collab
MAKE_ROWS=$BUILD_DIR/bench/bench_make_rows

for tool in "$COLLAB" "$MAKE_ROWS" sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (build the release tree, run packaging/install-deps.sh)" >&2; exit 1; }
done
if [ "${KEEP:-0}" = 1 ]; then echo "keeping $WORK_DIR"; else trap 'rm -rf "$WORK_DIR"' EXIT; fi
cd "$WORK_DIR"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)  # other work on the machine skews both timings
now() { date +%s.%N; }
size() { stat -c %s "$@" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }  # db + any -wal left
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
rate() { awk -v n="$ROWS" -v t="$1" 'BEGIN { printf "%.0f", n / t }'; }

echo "generating $ROWS rows (seed $SEED)..."
"$MAKE_ROWS" "$ROWS" "$SEED" > rows.jsonl
echo "input: $(mib "$(size rows.jsonl)") of JSON lines"

# Both runs read the input from the page cache, not the disk.
cat rows.jsonl > /dev/null
start=$(now)
"$COLLAB" init ours.collab > /dev/null
/usr/bin/time -v -o ours.time "$COLLAB" import ours.collab rows.jsonl -f collabllm > ours.log 2> ours.err
ours_s=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
ours_rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' ours.time)

# The peer: raw lines into a temp table (0x1F never occurs in JSON text, so each line is one
# value), then one transaction of json_extract into a plain table; WAL and
# synchronous=NORMAL as the project file uses. No tree building, dedup, scores or FTS index.
cat rows.jsonl > /dev/null
start=$(now)
/usr/bin/time -v -o peer.time sqlite3 peer.db > peer.log <<'EOF'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE rows(conv_id TEXT, turn_id INTEGER, prompt TEXT, completion TEXT, score REAL, rewards TEXT, sessions TEXT);
CREATE TEMP TABLE raw(line TEXT);
.mode ascii
.separator "\037" "\n"
.import --schema temp rows.jsonl raw
BEGIN;
INSERT INTO rows SELECT json_extract(line,'$.conv_id'), json_extract(line,'$.turn_id'),
  json_extract(line,'$.prompt'), json_extract(line,'$.completion'), json_extract(line,'$.score'),
  json_extract(line,'$.rewards'), json_extract(line,'$.sessions') FROM raw;
COMMIT;
.mode list
SELECT 'rows ' || count(*) FROM rows;
EOF
peer_s=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
peer_rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' peer.time)

echo
echo "collab import: $(cat ours.log)"
echo "sqlite3 shell: $(grep "^rows" peer.log) loaded"
printf '%-14s %10s %10s %12s %14s\n' "" "seconds" "rows/s" "db size" "peak RSS"
printf '%-14s %10.1f %10s %12s %14s\n' "collab import" "$ours_s" "$(rate "$ours_s")" \
  "$(mib "$(size ours.collab ours.collab-wal)")" "$(mib $((ours_rss * 1024)))"
printf '%-14s %10.1f %10s %12s %14s\n' "sqlite3 shell" "$peer_s" "$(rate "$peer_s")" \
  "$(mib "$(size peer.db peer.db-wal)")" "$(mib $((peer_rss * 1024)))"
awk -v a="$ours_s" -v b="$peer_s" 'BEGIN { printf "ratio: collab import takes %.2fx the sqlite3 time (%.0f%% of its rows/s)\n", a / b, 100 * b / a }'
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(free -g | awk '/Mem:/ { print $2 }') GiB RAM, load before the run $LOAD_BEFORE"
