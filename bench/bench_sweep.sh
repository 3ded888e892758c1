#!/usr/bin/env bash
# Sweep throughput: a 1,000-case Monte Carlo sweep of the embedded default campus (15,360 H100,
# one 15,000-GPU job), 1 simulated hour per case (each case a different simulation.seed), timed on
#   1 process x 1 thread, 1 process x 2 threads, and 2 MPI processes x 1 thread (when built with MPI).
# Prints cases per second, the median of RUNS runs (default 3).
#   bash bench/bench_sweep.sh [BUILD_DIR]      (CASES=1000 RUNS=3 DURATION_S=3600 by default)
set -euo pipefail
build="${1:-build}"
dctwin="$build/bin/dctwin"
cases="${CASES:-1000}"
runs="${RUNS:-3}"
duration="${DURATION_S:-3600}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/sweep.json" <<JSON
{ "set": { "simulation.duration_s": $duration },
  "monte_carlo": { "draws": $cases, "seed": 1, "parameters": { "simulation.seed": { "seed": true } } } }
JSON
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
bench() {  # label, command...
  local label="$1"; shift
  local rates=()
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    t1=$(date +%s.%N)
    rates+=("$(echo "$cases / ($t1 - $t0)" | bc -l)")
  done
  printf '%-34s %8.2f cases/s (median of %d; runs: %s)\n' "$label" "$(printf '%s\n' "${rates[@]}" | median)" "$runs" \
    "$(printf '%.2f ' "${rates[@]}")"
}
echo "bench_sweep: $cases cases of the default campus, $duration simulated s each, on $(nproc) CPUs"
bench "1 process x 1 thread" "$dctwin" sweep "$work/sweep.json" --jobs 1 -o "$work/out1"
bench "1 process x 2 threads" "$dctwin" sweep "$work/sweep.json" --jobs 2 -o "$work/out2"
if command -v mpirun >/dev/null && grep -q "DCTWIN_ENABLE_MPI:BOOL=ON" "$build/CMakeCache.txt"; then
  bench "2 MPI processes x 1 thread" mpirun --allow-run-as-root --oversubscribe -n 2 "$dctwin" sweep "$work/sweep.json" --jobs 1 -o "$work/out3"
  cmp -s "$work/out1/sweep.csv" "$work/out3/sweep.csv" && echo "bench_sweep: the MPI table equals the single-process table"
else
  echo "2 MPI processes: skipped: built without MPI or mpirun missing"
fi
