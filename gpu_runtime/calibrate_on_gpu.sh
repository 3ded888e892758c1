#!/usr/bin/env bash
# gpu_runtime/calibrate_on_gpu.sh — one prepared run on a machine with an NVIDIA GPU (H100/H200
# class): build dctwin's GPU tool (or take a prebuilt one), record two 60-s traces with the
# training-step emulator, calibrate a profile from them, print a summary: measured against the
# base profile's datasheet/assumption figures, and the BF16 GEMM rate against the dense peak.
#
#   bash gpu_runtime/calibrate_on_gpu.sh [OUT_DIR]        (default OUT_DIR: results/gpu-calibration)
#
# Environment:
#   DCTWIN_BIN          a prebuilt dctwin, dctwin-gpu or gpu_runtime/pack_gpu_tool.sh launcher; no
#                       build then (a GPU host without SimGrid, Boost & co: pack here, carry, run there)
#   LOW_LIMIT_FRACTION  e.g. 0.7: the second trace runs at this fraction of the GPU's default power
#                       limit (sets the NVML power limit: root; restored after the trace), and the
#                       power-cap exponent is fitted. Unset (the default): the power limit is never
#                       changed (a shared machine's settings are not ours to change); the second
#                       trace then repeats the run with idle-wait communication at the card's own
#                       limit, and the power-cap exponent is reported as not fitted.
#   DEVICES             e.g. 0,1,2,3: run on these GPUs (CUDA indices), communication by NCCL
#                       all-reduce (default: GPU 0 alone, communication emulated)
#   NCCL_SMOKE_S        e.g. 15: a third, short trace on the first GPU (of DEVICES, else GPU 0) with
#                       comm_mode "nccl" (a one-rank NCCL clique), to check the NCCL path on a one-GPU
#                       host (default 0: off). libnccl.so.2 is looked for in the loader's cache, on
#                       LD_LIBRARY_PATH, in /usr/local/cuda/lib64, then in python3's nvidia-nccl wheel
#   BASE_PROFILE        built-in profile for what a trace cannot give (default h200-sxm)
#   DURATION_S          length of each trace (default 60); JOBS build parallelism (default: all cores)
# Files in OUT_DIR (six, seven with NCCL_SMOKE_S): run.log (everything printed), nvidia-smi-q.txt
# (the card's state before the run), trace-default.csv, trace-2.csv, profile.json, profile.fit.json
# (and trace-nccl.csv).
# Budget on an H200 host: 2 x DURATION_S + ~20 s of set-up and fitting (+ 2-4 min when it builds).
# Exit: 0 done and GEMM >= 60 % of the dense peak; 1 GEMM below that or a step failed; 3 no GPU.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-results/gpu-calibration}
BASE_PROFILE=${BASE_PROFILE:-h200-sxm}
DURATION_S=${DURATION_S:-60}
FRACTION=${LOW_LIMIT_FRACTION:-}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$OUT"
exec > >(tee "$OUT/run.log") 2>&1
tee_pid=$!
# On exit: the emulator configurations below are removed, and run.log is complete before the script returns.
trap 'rm -f "${cfg1:-}" "${cfg_idle:-}" "${cfg_nccl:-}"; exec 1>&- 2>&-; wait "$tee_pid"' EXIT
t0=$(date +%s)
status=0
echo "calibrate_on_gpu.sh at $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname 2>/dev/null || cat /etc/hostname 2>/dev/null), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

if [ -n "${DCTWIN_BIN:-}" ]; then
  BIN=$DCTWIN_BIN
  echo "== prebuilt tool: $BIN =="
else
  echo "== build (CUDA): target dctwin-gpu in build-gpu =="
  cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DDCTWIN_BUILD_TESTS=OFF -DDCTWIN_BUILD_BENCH=OFF > /tmp/dctwin-cmake.log 2>&1 \
    || { tail -30 /tmp/dctwin-cmake.log; echo "configure failed: on a host without dctwin's Debian packages, pack the tool elsewhere (gpu_runtime/pack_gpu_tool.sh) and set DCTWIN_BIN"; exit 1; }
  cmake --build build-gpu -j"$JOBS" --target dctwin-gpu > /tmp/dctwin-build.log 2>&1 || { tail -30 /tmp/dctwin-build.log; exit 1; }
  BIN=build-gpu/bin/dctwin-gpu
  echo "build: $(( $(date +%s) - t0 )) s"
fi
"$BIN" --version || { echo "cannot start $BIN"; exit 1; }

# The lib folder of an NVIDIA pip wheel (nvidia.cu13, nvidia.cublas, nvidia.nccl; namespace packages:
# __path__, not __file__), or nothing.
wheel_lib() { python3 -c "import os, $1 as m; print(os.path.join(list(m.__path__)[0], 'lib'))" 2>/dev/null; }

# cuBLASLt is loaded at run time (libcublasLt.so.13): the CUDA Toolkit's, else a pip wheel's.
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib "$(wheel_lib nvidia.cu13)" "$(wheel_lib nvidia.cublas)"; do
  if [ -n "$d" ] && ls "$d"/libcublasLt.so.1[3-9]* > /dev/null 2>&1; then
    export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "cuBLASLt from $d"
    break
  fi
done

# NVML (libnvidia-ml.so.1) comes with the driver; some containers mount it outside the loader's path.
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -e "$d/libnvidia-ml.so.1" ] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
done

# NCCL (libnccl.so.2, loaded at run time by comm_mode "nccl": DEVICES, NCCL_SMOKE_S): the system's, or
# the CUDA Toolkit folder's, else the one pip installs beside PyTorch (site-packages/nvidia/nccl/lib).
if [ -n "${DEVICES:-}" ] || [ "${NCCL_SMOKE_S:-0}" != 0 ]; then
  nccl_at=""
  ldconfig -p 2>/dev/null | grep -q 'libnccl\.so\.2 ' && nccl_at="the loader's cache"
  for d in ${LD_LIBRARY_PATH:+${LD_LIBRARY_PATH//:/ }} /usr/local/cuda/lib64; do
    [ -z "$nccl_at" ] && [ -e "$d/libnccl.so.2" ] && nccl_at=$d
  done
  if [ -z "$nccl_at" ]; then
    d=$(wheel_lib nvidia.nccl)
    if [ -n "$d" ] && [ -e "$d/libnccl.so.2" ]; then
      export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
      nccl_at=$d
    fi
  fi
  echo "NCCL from ${nccl_at:-nowhere found: comm_mode nccl will fail (install NCCL 2.10 or newer)}"
fi

# NVML numbers GPUs by PCI bus ID; CUDA does too only with this (the emulator uses one index for both).
export CUDA_DEVICE_ORDER=${CUDA_DEVICE_ORDER:-PCI_BUS_ID}

echo "== GPU =="
nvidia-smi -q > "$OUT/nvidia-smi-q.txt" 2>&1 || echo "nvidia-smi -q failed (see nvidia-smi-q.txt)"
nvidia-smi --query-gpu=name,driver_version,power.limit,power.default_limit,clocks.max.sm,temperature.gpu --format=csv 2>&1 || true
"$BIN" gpu-info
rc=$?
if [ "$rc" -ne 0 ]; then echo "gpu-info exit $rc: no usable GPU; nothing recorded"; exit "$rc"; fi

# Emulator configurations (gpu_runtime/README.md): the GPUs, and the idle-wait variant.
devices_json=""
[ -n "${DEVICES:-}" ] && devices_json="\"devices\": [${DEVICES}]"
cfg1=$(mktemp /tmp/dctwin-emulator-XXXX.json)
cfg_idle=$(mktemp /tmp/dctwin-emulator-XXXX.json)
echo "{${devices_json}}" > "$cfg1"
echo "{${devices_json:+$devices_json, }\"comm_mode\": \"idle\"}" > "$cfg_idle"

echo "== trace 1: the card's own power limit, ${DURATION_S} s${DEVICES:+, GPUs $DEVICES} =="
"$BIN" gpu-trace --duration-s "$DURATION_S" --config "$cfg1" --profile "$BASE_PROFILE" -o "$OUT/trace-default.csv"
rc=$?
if [ "$rc" -ne 0 ]; then echo "trace 1 failed (exit $rc)"; exit "$rc"; fi
traces=("$OUT/trace-default.csv")

if [ -n "$FRACTION" ]; then
  default_w=$(nvidia-smi -i 0 --query-gpu=power.default_limit --format=csv,noheader,nounits | head -1 | tr -d ' ')
  low_w=$(awk -v d="$default_w" -v f="$FRACTION" 'BEGIN { printf "%d", d * f }')
  echo "== trace 2: power limit ${low_w} W (${FRACTION} of the default ${default_w} W), ${DURATION_S} s =="
  "$BIN" gpu-trace --duration-s "$DURATION_S" --config "$cfg1" --power-limit-w "$low_w" --profile "$BASE_PROFILE" -o "$OUT/trace-2.csv"
  rc=$?
  [ "$rc" -eq 0 ] || echo "trace 2 failed (exit $rc; setting the power limit needs root): the power-cap exponent is not fitted"
else
  echo "== trace 2: the card's own power limit (not changed; LOW_LIMIT_FRACTION unset), idle-wait communication, ${DURATION_S} s =="
  "$BIN" gpu-trace --duration-s "$DURATION_S" --config "$cfg_idle" --profile "$BASE_PROFILE" -o "$OUT/trace-2.csv"
  rc=$?
  [ "$rc" -eq 0 ] || echo "trace 2 failed (exit $rc)"
fi
[ "$rc" -eq 0 ] && traces+=("$OUT/trace-2.csv")

if [ "${NCCL_SMOKE_S:-0}" != 0 ]; then
  first_gpu=${DEVICES:-0}
  first_gpu=${first_gpu%%,*}
  echo "== NCCL check: ${NCCL_SMOKE_S} s on GPU ${first_gpu}, comm_mode nccl (one-rank clique; not calibrated) =="
  cfg_nccl=$(mktemp /tmp/dctwin-emulator-XXXX.json)
  echo "{\"device\": ${first_gpu}, \"comm_mode\": \"nccl\", \"lead_idle_s\": 2, \"tail_idle_s\": 2}" > "$cfg_nccl"
  "$BIN" gpu-trace --duration-s "$NCCL_SMOKE_S" --config "$cfg_nccl" --profile "$BASE_PROFILE" -o "$OUT/trace-nccl.csv" \
    || { echo "NCCL check failed"; status=1; }
fi

echo "== calibrate =="
"$BIN" calibrate "${traces[@]}" --base "$BASE_PROFILE" --name "${BASE_PROFILE%-sxm}-measured" -o "$OUT/profile.json" || status=1

echo "== summary =="
python3 - "$OUT" "scenarios/profiles/$BASE_PROFILE.json" <<'PY' || status=1
import json, os, sys
out, base_path = sys.argv[1], sys.argv[2]
meta = {}
with open(os.path.join(out, "trace-default.csv")) as f:
    for line in f:
        if not line.startswith("#"):
            break
        if ":" in line:
            k, v = line[1:].split(":", 1)
            meta[k.strip()] = v.strip()
base = json.load(open(base_path)) if os.path.exists(base_path) else None
gemm = float(meta.get("gemm_bf16_tflops", "nan"))
peak = base["peak_dense_bf16_tflops"] if base else float("nan")
share = 100 * gemm / peak
print(f"device: {meta.get('device', '?')}, power limit {meta.get('power_limit_w', '?')} W")
print(f"BF16 GEMM {gemm:.1f} TFLOP/s = {share:.1f} % of the {peak:.0f} TFLOP/s dense peak of {os.path.basename(base_path)}: "
      + ("goal (>= 60 %) met" if share >= 60 else "BELOW the 60 % goal"))
print(f"compute phases {float(meta.get('compute_phase_tflops', 'nan')):.1f} TFLOP/s")
if os.path.exists(os.path.join(out, "profile.json")):
    p = json.load(open(os.path.join(out, "profile.json")))
    # Base figures are datasheet ratings or labelled assumptions (scenarios/profiles/*.json sources).
    note = p["sources"].get("phase_power_w", "")
    print(f"{'':14s} {'measured W':>11s} {'base W':>8s}")
    print(f"{'idle':14s} {p['idle_w']:11.1f} {base['idle_w'] if base else float('nan'):8.1f}")
    for k, v in p["phase_power_w"].items():
        if k == "idle":
            continue
        b = base["phase_power_w"].get(k, float("nan")) if base else float("nan")
        seen = f"{k} not observed" not in note
        print(f"{k:14s} {(f'{v:11.1f}' if seen else '  not seen'):>11s} {b:8.1f}" + ("" if seen else "  (profile keeps the base figure)"))
    if base:
        print(f"base figures: {os.path.basename(base_path)} (idle: {base['sources'].get('idle_w', '')[:40]}...; phases: {base['sources'].get('phase_power_w', '')[:40]}...)")
    lag = p.get("power_lag")
    print("power lag: " + (f"rise {lag['tau_rise_s']*1000:.0f} ms, fall {lag['tau_fall_s']*1000:.0f} ms" if lag else "not resolved (see profile.fit.json)"))
sys.exit(0 if share >= 60 else 1)
PY
echo "files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
echo "total $(( $(date +%s) - t0 )) s; exit $status"
exit "$status"
