#!/usr/bin/env bash
# gpu_runtime/calibrate_on_gpu.sh — one prepared run on a machine with an NVIDIA GPU (H100/H200
# class): build dctwin with CUDA, record two 60-s traces with the training-step emulator (at the
# default power limit and at a lower one), calibrate a profile from both, print a summary.
# Budget: build ~2-4 min on 16 cores + 2 x 60 s traces + seconds of fitting: under 8 minutes.
#
#   bash gpu_runtime/calibrate_on_gpu.sh [OUT_DIR]        (default OUT_DIR: results/gpu-calibration)
#
# Environment: LOW_LIMIT_FRACTION (default 0.7) of the default limit for the second trace;
# BASE_PROFILE (default h200-sxm); DURATION_S (default 60); JOBS (default: all cores).
# Setting the power limit needs root; without it the second trace is skipped and said so.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-results/gpu-calibration}
BASE_PROFILE=${BASE_PROFILE:-h200-sxm}
DURATION_S=${DURATION_S:-60}
FRACTION=${LOW_LIMIT_FRACTION:-0.7}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$OUT"
t0=$(date +%s)

echo "== build (CUDA) =="
cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DDCTWIN_BUILD_TESTS=OFF -DDCTWIN_BUILD_BENCH=OFF > "$OUT/cmake.log"
cmake --build build-gpu -j"$JOBS" --target dctwin > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
BIN=build-gpu/bin/dctwin
export LD_LIBRARY_PATH="/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"   # cuBLASLt is loaded at run time
"$BIN" gpu-info
echo "build: $(( $(date +%s) - t0 )) s"

echo "== trace 1: default power limit, ${DURATION_S} s =="
"$BIN" gpu-trace --duration-s "$DURATION_S" --profile "$BASE_PROFILE" -o "$OUT/trace-default.csv" | tee "$OUT/trace-default.txt"

traces=("$OUT/trace-default.csv")
default_w=$(nvidia-smi -i 0 --query-gpu=power.default_limit --format=csv,noheader,nounits | head -1 | tr -d ' ')
low_w=$(awk -v d="$default_w" -v f="$FRACTION" 'BEGIN { printf "%d", d * f }')
echo "== trace 2: power limit ${low_w} W (default ${default_w} W), ${DURATION_S} s =="
if "$BIN" gpu-trace --duration-s "$DURATION_S" --power-limit-w "$low_w" --profile "$BASE_PROFILE" -o "$OUT/trace-${low_w}w.csv" | tee "$OUT/trace-low.txt"; then
  traces+=("$OUT/trace-${low_w}w.csv")
else
  echo "second trace skipped: could not set the power limit (needs root); the power-cap exponent will not be fitted"
fi

echo "== calibrate =="
"$BIN" calibrate "${traces[@]}" --base "$BASE_PROFILE" --name "${BASE_PROFILE%-sxm}-measured" -o "$OUT/profile.json" | tee "$OUT/calibrate.txt"

echo "== summary =="
python3 - "$OUT/profile.json" "$BASE_PROFILE" <<'PY' || true
import json, sys
p = json.load(open(sys.argv[1]))
print(f"{p['name']}: idle {p['idle_w']:.1f} W")
for k, v in p["phase_power_w"].items():
    print(f"  {k:14s} {v:7.1f} W")
print("datasheet / assumption figures of the base profile: dctwin profiles", sys.argv[2])
PY
echo "files in $OUT; total $(( $(date +%s) - t0 )) s"
