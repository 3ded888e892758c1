#!/usr/bin/env bash
# tests/gpu_tool/run.sh BUILD_DIR — the GPU-host tool without a GPU:
#  1. dctwin-gpu needs only the C library at run time (readelf NEEDED: libc, libm, the loader);
#  2. gpu_runtime/pack_gpu_tool.sh packs it, and the launcher runs through the bundled loader and C
#     library (forced): --version, calibrate of a recorded nvidia-smi sample, gpu-info exit 3;
#  3. gpu_runtime/calibrate_on_gpu.sh runs end to end with a test double for gpu-info/gpu-trace
#     (tests/gpu_tool/fake_trace.py; calibrate is the real one): six files, the summary, exit 0;
#     it never asks for a power limit unless LOW_LIMIT_FRACTION is set; with a GEMM rate below 60 %
#     of the peak it exits 1.
# Exit 77 (skipped) when the build has no CUDA (nothing to pack) or python3 is missing.
set -uo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BIN="$BUILD/bin/dctwin-gpu"
TMP=$(mktemp -d /tmp/dctwin-gpu-tool-XXXX)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

needed=$(readelf -d "$BIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
for lib in $needed; do
  case "$lib" in libc.so.6|libm.so.6|ld-linux-x86-64.so.2) ;; *) fail "dctwin-gpu needs $lib (NEEDED: $needed)";; esac
done
echo "ok: dctwin-gpu NEEDED: $needed"

command -v python3 > /dev/null || { echo "skipped: python3 not found (install python3)"; exit 77; }
if ! grep -q '^CMAKE_CUDA_COMPILER:.*nvcc' "$BUILD/CMakeCache.txt"; then
  echo "skipped: this build has no CUDA (install the CUDA Toolkit): nothing to pack"; exit 77
fi
DCTWIN_PACK_NO_BUILD=1 bash "$SRC/gpu_runtime/pack_gpu_tool.sh" "$BUILD" "$TMP/pack" > "$TMP/pack.txt" 2>&1 || fail "pack_gpu_tool.sh: $(cat "$TMP/pack.txt")"
L="$TMP/pack/dctwin-gpu"
export DCTWIN_BUNDLED_LOADER=1
"$L" --version | grep -q "dctwin-gpu" || fail "bundled loader: --version"
"$L" calibrate "$SRC/tests/data/traces/nvidia-smi-2gpu.csv" --base h200-sxm -o "$TMP/p.json" > "$TMP/cal.txt" || fail "bundled loader: calibrate ($(tail -3 "$TMP/cal.txt"))"
grep -q '"phase_power_w"' "$TMP/p.json" || fail "bundled loader: profile.json"
"$L" gpu-info > "$TMP/info.txt" 2>&1
rc=$?
[ "$rc" -eq 3 ] || [ "$rc" -eq 0 ] || fail "bundled loader: gpu-info exit $rc: $(cat "$TMP/info.txt")"
unset DCTWIN_BUNDLED_LOADER
echo "ok: pack and bundled loader (gpu-info exit $rc)"

# calibrate_on_gpu.sh with a test double of the GPU commands.
cat > "$TMP/fake" <<SH
#!/bin/sh
case "\$1" in
  gpu-info) echo "GPU 0: FAKE (test double)"; exit 0;;
  gpu-trace) out=""; comm=traffic
    case " \$* " in *" --power-limit-w "*) echo "the power limit must not be changed unless LOW_LIMIT_FRACTION is set"; exit 9;; esac
    while [ \$# -gt 0 ]; do
      [ "\$1" = -o ] && out=\$2
      if [ "\$1" = --config ]; then cat "\$2" >> "$TMP/configs.txt"; echo >> "$TMP/configs.txt"; grep -q idle "\$2" && comm=idle; fi
      shift
    done
    python3 "$SRC/tests/gpu_tool/fake_trace.py" "\$out" "\$comm" || exit 1
    [ -n "\${FAKE_GEMM:-}" ] && sed -i "s/^# gemm_bf16_tflops: .*/# gemm_bf16_tflops: \$FAKE_GEMM/" "\$out"
    exit 0;;
  *) exec "$L" "\$@";;
esac
SH
chmod +x "$TMP/fake"
DCTWIN_BIN="$TMP/fake" bash "$SRC/gpu_runtime/calibrate_on_gpu.sh" "$TMP/out" > "$TMP/run.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] || fail "calibrate_on_gpu.sh exit $rc: $(tail -20 "$TMP/run.txt")"
for f in run.log nvidia-smi-q.txt trace-default.csv trace-2.csv profile.json profile.fit.json; do
  [ -s "$TMP/out/$f" ] || fail "calibrate_on_gpu.sh did not write $f"
done
[ "$(ls "$TMP/out" | wc -l)" -le 8 ] || fail "more than 8 files in OUT"
grep -q "goal (>= 60 %) met" "$TMP/out/run.log" || fail "no GEMM verdict in run.log"
grep -q "^compute  *6[34][0-9]\.[0-9]  *700\.0" "$TMP/out/run.log" || fail "no measured-vs-base compute row: $(grep -A8 'measured W' "$TMP/out/run.log")"
grep -q "checkpoint  *not seen" "$TMP/out/run.log" || fail "checkpoint should be 'not seen'"
grep -q '"name": "h200-measured"' "$TMP/out/profile.json" || fail "profile name"
FAKE_GEMM=500 DCTWIN_BIN="$TMP/fake" bash "$SRC/gpu_runtime/calibrate_on_gpu.sh" "$TMP/out2" > "$TMP/run2.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "GEMM at 500 TFLOP/s (50.6 % of 989) should exit 1, got $rc"
grep -q "BELOW the 60 % goal" "$TMP/out2/run.log" || fail "no 'BELOW' verdict"
# Several GPUs and the NCCL check: the configurations name the devices, a seventh file.
rm -f "$TMP/configs.txt"
DEVICES=0,1 NCCL_SMOKE_S=15 DCTWIN_BIN="$TMP/fake" bash "$SRC/gpu_runtime/calibrate_on_gpu.sh" "$TMP/out3" > "$TMP/run3.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] || fail "DEVICES + NCCL_SMOKE_S: exit $rc: $(tail -20 "$TMP/run3.txt")"
[ -s "$TMP/out3/trace-nccl.csv" ] || fail "NCCL_SMOKE_S: no trace-nccl.csv"
[ "$(grep -c '"devices": \[0,1\]' "$TMP/configs.txt")" -eq 2 ] || fail "DEVICES not in both configurations: $(cat "$TMP/configs.txt")"
grep -q '"comm_mode": "nccl"' "$TMP/configs.txt" || fail "no nccl configuration: $(cat "$TMP/configs.txt")"
[ "$(ls "$TMP/out3" | wc -l)" -le 8 ] || fail "more than 8 files in OUT"
echo "ok: calibrate_on_gpu.sh end to end with a test double (exit 0; below-goal GEMM exit 1; DEVICES and NCCL_SMOKE_S)"
