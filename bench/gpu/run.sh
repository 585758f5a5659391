#!/bin/sh
# Builds collab_nn and bench_gpu against this machine's own PyTorch (no Qt, no SQLite, no
# Debian -dev packages: nlohmann's headers come from NLOHMANN_DIR or /usr/include) and runs
# the three phases on the GPU, sampling peak memory with nvidia-smi. Prints JSON lines.
#   bench/gpu/run.sh [OUT_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/gpu-results}
mkdir -p "$out"
torch_dir=$(python3 -c "import torch, os; print(os.path.dirname(torch.__file__))")
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0))" | tee "$out/device.txt"
nvidia-smi --query-gpu=name,memory.total,clocks.max.memory --format=csv | tee -a "$out/device.txt" || true
extra=""
if [ -n "${NLOHMANN_DIR:-}" ]; then extra="-DCMAKE_CXX_FLAGS=-isystem${NLOHMANN_DIR} -Dnlohmann_json_DIR=$here/nlohmann-stub"; fi
cmake -S "$root" -B "$root/build/gpu" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOLLAB_NN_ONLY=ON \
  -DCOLLAB_TORCH_PYTHON_DIR="$torch_dir" $extra > "$out/configure.log" 2>&1 || { tail -30 "$out/configure.log"; exit 1; }
cmake --build "$root/build/gpu" -j"$(nproc)" > "$out/build.log" 2>&1 || { grep -m20 -E "error|Error" "$out/build.log"; exit 1; }
# The copy bandwidth first, in its own process (its 2 GiB of buffers would otherwise count
# in decode's peak memory); decode compares its tokens/s with the bound it gives.
"$root/build/gpu/bench/gpu/bench_gpu" bandwidth --device cuda > "$out/bandwidth.json" 2> "$out/bandwidth.err" || cat "$out/bandwidth.err"
cat "$out/bandwidth.json"
gbs=$(sed -n 's/.*"copy_bandwidth_gb_s":\([0-9.eE+-]*\).*/\1/p' "$out/bandwidth.json")
# Full fine-tuning (float32 weights, bf16 autocast) and LoRA (bf16 base, float32 adapters
# of rank 16 on every projection), as `collab train` runs them.
run_phase() { # NAME ARGS...
  name=$1; shift
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$out/mem-$name.txt" 2>/dev/null &
  sampler=$!
  "$root/build/gpu/bench/gpu/bench_gpu" "$@" --size "${SIZE:-0.5b}" --device cuda --dtype bfloat16 \
    > "$out/$name.json" 2> "$out/$name.err" || cat "$out/$name.err"
  kill $sampler 2>/dev/null || true
  peak=$(sort -n "$out/mem-$name.txt" | tail -1)
  echo "$(cat "$out/$name.json") peak_memory_used_mib=${peak:-?}"
}
run_phase decode decode --bandwidth-gb-s "${gbs:-0}"
run_phase sft sft
run_phase dpo dpo
run_phase sft-lora sft --lora 16
run_phase dpo-lora dpo --lora 16
# transformers/PEFT agreement, where they are installed (skipped with a note otherwise).
rm -rf "$out/lora"; mkdir -p "$out/lora"
"$root/build/gpu/bench/gpu/bench_gpu" lora-export "$root/tests/data/models/tiny-llama" "$out/lora" || true
python3 "$here/check_transformers.py" "$root" "$out/lora" 2>&1 | tail -3 | tee "$out/transformers.json"
