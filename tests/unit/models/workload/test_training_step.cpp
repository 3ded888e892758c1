// The training step model (models/workload/training_step.h): end-to-end MFU sets the period.
#include <doctest/doctest.h>

#include "models/workload/training_step.h"

using namespace dctwin::workload;

namespace {

// The 70B example of docs/scenario.md: 8,192 H100 (989 TFLOP/s dense BF16), TP 8, PP 4, DP 256,
// 16,777,216 tokens per step of 8,192-token sequences, HBM 3,350 GB/s.
TrainingShape example_70b() {
  TrainingShape s;
  s.parameters = 7e10;
  s.tokens_per_step = 16777216;
  s.sequence_length = 8192;
  s.tp = 8;
  s.pp = 4;
  s.dp = 256;
  s.mfu = 0.4;
  s.peak_flops = 989e12;
  s.overlap = 0.8;
  s.hbm_bytes_s = 3350e9;
  return s;
}

}  // namespace

TEST_CASE("training step: mfu is end to end, the 70B example's period is F / (G P_peak MFU)") {
  // F = 6 x 7e10 x 16,777,216 = 7.04643072e18 FLOPs
  // period = F / (8,192 x 989e12 x 0.4) = 2.174317492 s  (the old compute-only reading gave 3.052 s)
  // exposed DP = (1 - 0.8) x 0.178 = 0.0356 s; pipeline transfers 0.016 s (given);
  // optimizer = 7e10 / 32 x 16 B / 3,350e9 B/s = 0.010447761 s
  // m = 16,777,216 / (256 x 8,192) = 8, bubble ratio 3/8
  // compute = (2.174317492 - 0.0356 - 0.016 - 0.010447761) / (1 + 3/8) = 1.536196168 s
  // bubble = 3/8 x 1.536196168 = 0.576073563 s
  const StepTimes t = step_times(example_70b(), 0.178, 0.016);
  CHECK(t.period_s() == doctest::Approx(2.174317492).epsilon(1e-9));
  CHECK(t.compute_s == doctest::Approx(1.536196168).epsilon(1e-9));
  CHECK(t.bubble_s == doctest::Approx(0.576073563).epsilon(1e-9));
  CHECK(t.optimizer_s == doctest::Approx(0.010447761).epsilon(1e-8));
  CHECK(t.microbatches == doctest::Approx(8.0).epsilon(1e-12));
}

TEST_CASE("training step: an MFU the communication leaves no time for has no compute time") {
  // Same layout at MFU 1: period 0.869726997 s; an exposed all-reduce of 5 s (overlap 0.8,
  // 25 s un-overlapped) fills it: compute = (0.8697 - 5 - 0.016 - 0.0104) / 1.375 < 0.
  TrainingShape s = example_70b();
  s.mfu = 1.0;
  const StepTimes t = step_times(s, 25.0, 0.016);
  CHECK(t.compute_s <= 0.0);
}
