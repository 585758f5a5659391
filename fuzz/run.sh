#!/bin/sh
# Builds the libFuzzer targets with clang-14 in a build directory of their own and runs
# each for SECONDS, one after the other (one core), starting from the committed seeds and
# the corpus earlier runs grew. Prints, per target, the executions, the coverage reached
# and what was found (crash-*, leak-*, oom-*, timeout-* files under the run folder).
#
#   fuzz/run.sh SECONDS [TARGET...]     e.g. fuzz/run.sh 300
#
# Environment: FUZZ_BUILD_DIR (default build/fuzz), FUZZ_FLAGS (more libFuzzer flags).
# Exit status 1 when any target found something.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 SECONDS [TARGET...]" >&2; exit 2; }
seconds=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
targets=${*:-"fuzz_safetensors_header fuzz_tokenizer_json"}

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCOLLAB_BUILD_FUZZ=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" --target $targets

status=0
summary=""
for target in $targets; do
  name=${target#fuzz_}
  work=$build/run/$name
  # Findings of an earlier run are kept aside, so that what is listed is this run's.
  if [ -d "$work/findings" ] && [ -n "$(ls "$work/findings")" ]; then
    mkdir -p "$work/findings.old" && mv "$work/findings"/* "$work/findings.old/"
  fi
  mkdir -p "$work/corpus" "$work/findings"
  log=$work/fuzz.log
  echo "== $target: $seconds s (log: $log)"
  # -rss_limit_mb and -malloc_limit_mb: a header or vocabulary that makes the parser
  # allocate gigabytes is a finding, not a machine brought down. -timeout: one input
  # taking 10 s is a hang.
  # shellcheck disable=SC2086
  if "$build/fuzz/$target" "$work/corpus" "$here/corpus/$name" \
      -dict="$here/$name.dict" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=16384 -print_final_stats=1 \
      -artifact_prefix="$work/findings/" ${FUZZ_FLAGS:-} >"$log" 2>&1; then :; else status=1; fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
  found=$(ls "$work/findings" | tr '\n' ' ')
  line=$(printf '%-26s %10s execs  cov %5s  ft %6s  corpus %-10s findings: %s' \
    "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${found:-none}")
  echo "$line"
  if [ -n "$found" ]; then grep -E -A 12 'ERROR: |runtime error|uncaught|contract broken|==[0-9]+==' "$log" | head -n 40; fi
  summary="$summary$line
"
done
echo
echo "== summary ($seconds s each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s' "$summary"
exit $status
