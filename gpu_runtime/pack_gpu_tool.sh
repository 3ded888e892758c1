#!/usr/bin/env bash
# gpu_runtime/pack_gpu_tool.sh — a copy of `dctwin-gpu` (gpu-info, gpu-trace, calibrate, profiles)
# that runs on a GPU host with only the NVIDIA driver and the CUDA Toolkit: no SimGrid, Boost or
# other Debian packages of the simulator, and any C library.
#
#   bash gpu_runtime/pack_gpu_tool.sh [BUILD_DIR] [DEST]     (defaults: build, .gpu-tool)
#
# Builds the target dctwin-gpu in BUILD_DIR (configured with CUDA: nvcc found at configure time),
# then writes DEST/bin/dctwin-gpu, DEST/lib/ (this machine's C library, its loader, libstdc++ and
# libgcc_s) and DEST/dctwin-gpu, a launcher: it runs the binary directly when the host's C library
# is new enough (dctwin-gpu needs only libc and libm; libstdc++ and libgcc are linked in), and
# otherwise through the bundled loader and C library. NVML (libnvidia-ml.so.1), the CUDA driver and
# cuBLASLt (libcublasLt.so.13) stay the host's: they are loaded at run time from its library path.
# Then: DCTWIN_BIN=DEST/dctwin-gpu bash gpu_runtime/calibrate_on_gpu.sh OUT_DIR on the GPU host.
# DCTWIN_PACK_NO_BUILD=1 packs BUILD_DIR/bin/dctwin-gpu as it is (tests/gpu_tool/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DEST=${2:-.gpu-tool}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  echo "pack_gpu_tool: $BUILD is not a configured build folder (expected $BUILD/CMakeCache.txt): run cmake -S . -B $BUILD first" >&2
  exit 2
fi
if ! grep -q '^CMAKE_CUDA_COMPILER:.*nvcc' "$BUILD/CMakeCache.txt"; then
  echo "pack_gpu_tool: $BUILD was configured without CUDA, so its dctwin-gpu cannot run a GPU: install the CUDA Toolkit (nvcc, /usr/local/cuda) and configure a new build folder" >&2
  exit 3
fi
BIN="$BUILD/bin/dctwin-gpu"
if [ "${DCTWIN_PACK_NO_BUILD:-0}" != 1 ]; then
  cmake --build "$BUILD" --target dctwin-gpu -j"${JOBS:-2}" > /dev/null
elif [ ! -x "$BIN" ]; then
  echo "pack_gpu_tool: $BIN not built" >&2
  exit 2
fi

rm -rf "$DEST"
mkdir -p "$DEST/bin" "$DEST/lib"
cp "$BIN" "$DEST/bin/"
# The C library set as this machine's loader resolves it (libdl, libpthread and librt are stubs
# since glibc 2.34 but the driver libraries and cuBLASLt still name them), plus the C++ runtime
# for cuBLASLt (libgcc_s) and any host library that needs libstdc++.
cache=$(ldconfig -p)   # read whole: an early-exiting reader would make ldconfig die of SIGPIPE (pipefail)
for lib in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libstdc++.so.6 libgcc_s.so.1; do
  path=$(awk -v l="$lib" '$1 == l && /x86-64/ { print $NF; exit }' <<< "$cache")
  if [ -z "$path" ]; then echo "pack_gpu_tool: $lib not found by ldconfig -p" >&2; exit 3; fi
  cp -L "$path" "$DEST/lib/$lib"
done
cat > "$DEST/dctwin-gpu" <<'SH'
#!/bin/sh
# Launcher written by gpu_runtime/pack_gpu_tool.sh: the binary as it is where the host's C library
# is new enough, else through the bundled loader and C library (DCTWIN_BUNDLED_LOADER=1 forces it).
here=$(cd "$(dirname "$0")" && pwd)
if [ "${DCTWIN_BUNDLED_LOADER:-0}" != 1 ] && "$here/bin/dctwin-gpu" --version > /dev/null 2>&1; then
  exec "$here/bin/dctwin-gpu" "$@"
fi
exec "$here/lib/ld-linux-x86-64.so.2" --library-path "$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$here/bin/dctwin-gpu" "$@"
SH
chmod +x "$DEST/dctwin-gpu"
glibc=$(objdump -T "$BIN" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1 || true)
echo "packed $DEST ($(du -sh "$DEST" | cut -f1)): bin/dctwin-gpu needs ${glibc:-an unknown glibc} or the bundled lib/"
