#!/usr/bin/env bash
# Sanitizer pass: builds everything with clang-14, AddressSanitizer and
# UndefinedBehaviorSanitizer in build-asan (plus the libFuzzer harnesses of tests/fuzz), runs the
# whole ctest suite there, then runs each fuzz harness for FUZZ_SECONDS (default 60) from its seed
# corpus (tests/fuzz/corpus/<name>; new inputs go to build-asan/fuzz-corpus/<name>, the seeds are
# not modified). Any sanitizer report, crash, hang (> 10 s per input) or failing test fails it.
#   bash tests/fuzz/run.sh            # build, ctest, fuzz
#   bash tests/fuzz/run.sh fuzz       # fuzz only (build-asan already built)
# Environment: JOBS (parallel build/test jobs, default nproc), FUZZ_SECONDS, FUZZ_SEED (libFuzzer
# -seed, default 1: CI fuzzes the same sequence each time, so a finding replays; set 0 for a random
# seed when hunting locally).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
what="${1:-all}"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
secs="${FUZZ_SECONDS:-60}"
cxx="${DCTWIN_FUZZ_CXX:-clang++-14}"
if ! command -v "$cxx" >/dev/null; then
  echo "dctwin sanitizers: $cxx not found; install it: apt-get install clang-14 libclang-rt-14-dev" >&2
  exit 3
fi
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

if [ "$what" != fuzz ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_CXX_FLAGS="$san -fsanitize=fuzzer-no-link" \
    -DCMAKE_EXE_LINKER_FLAGS="$san" -DDCTWIN_ENABLE_CUDA=OFF -DDCTWIN_BUILD_BENCH=OFF -DDCTWIN_FUZZ=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  t0=$(date +%s)
  (cd build-asan && ctest -j"$jobs" --output-on-failure -E '^browser_report$')
  echo "dctwin sanitizers: whole test suite passed under ASan+UBSan in $(( $(date +%s) - t0 )) s"
fi

harnesses=(scenario trace_nvidia_smi trace_dcgm trace_dctwin trace_auto epw design_conditions gpu_profile checkpoint study_table request_trace voltage_series requirements grid limit_sweep price_carbon perc1_json)

# One harness for FUZZ_SECONDS; its log in build-asan/fuzz-NAME.log, a failing input saved as
# build-asan/fuzz-NAME-crash-* (replay: build-asan/bin/fuzz_NAME FILE).
fuzz_one() {
  local h="$1" work="build-asan/fuzz-corpus/$1" max_len=65536
  local seeds=()
  mkdir -p "$work"
  [ -d "tests/fuzz/corpus/$h" ] && seeds+=("tests/fuzz/corpus/$h")
  if [ "$h" = epw ] && [ -d data/weather ]; then seeds+=(data/weather); max_len=2400000; fi
  DCTWIN_FUZZ_SEED_DIR="$work" build-asan/bin/fuzz_"$h" -max_total_time="$secs" -seed="${FUZZ_SEED:-1}" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="build-asan/fuzz-$h-" "$work" "${seeds[@]}" \
    >"build-asan/fuzz-$h.log" 2>&1
}

# $jobs harnesses at a time.
t0=$(date +%s)
pids=() names=() failed=()
for h in "${harnesses[@]}"; do
  fuzz_one "$h" &
  pids+=($!) names+=("$h")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed+=("${names[0]}")
    pids=("${pids[@]:1}") names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed+=("${names[$i]}"); done

for h in "${harnesses[@]}"; do
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-asan/fuzz-$h.log" | grep -o '[0-9]*$' || echo "?")
  echo "dctwin sanitizers: fuzz_$h: $runs executions in $secs s"
done
if [ ${#failed[@]} -gt 0 ]; then
  for h in "${failed[@]}"; do
    tail -n 60 "build-asan/fuzz-$h.log" >&2
    echo "dctwin sanitizers: fuzz_$h FAILED (input saved as build-asan/fuzz-$h-*; log build-asan/fuzz-$h.log)" >&2
  done
  exit 1
fi
echo "dctwin sanitizers: every fuzz harness ran without findings ($(( $(date +%s) - t0 )) s)"
