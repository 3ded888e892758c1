// Validation of the power-cap DVFS curve (models/power/power_cap.h) fitted by the limit-sweep fit
// (gpu_runtime/common/limit_sweep.h) against public power-limit sweeps of real GPUs, copied with
// their provenance into tests/validation/data/power_cap/*.csv (each file's header names its
// source and which columns are measured and which are assumed). Criterion: predicted slowdown
// within 10 % of the measured one at every limit of the sweep, both fitted to all rows and, where
// the sweep has three capped rows, left out of the fit (each capped row predicted by the curve
// fitted to the others: the honest figure, since a short sweep nearly fixes its own fit).
// Measured with this code: fp32 max 0.21 %, leave-one-out 4.25 %; TF32 1.00 %, 8.75 %;
// decode 4.43 % (two capped rows: P_s alone fitted, no leave-one-out); V100 SDXL diffusion
// (a datacenter GPU, 175-250 W) 0.34 % (two capped rows likewise: P_s 8.8 W, a = 3, beta = 1; the
// fit passes near both rows, so the figure bounds the curve's shape over 175-250 W only).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "gpu_runtime/common/limit_sweep.h"

using namespace dctwin::gpu;

namespace {
std::string sweep(const char* name) { return std::string(DCTWIN_SOURCE_DIR) + "/tests/validation/data/power_cap/" + name; }

SweepFit fit_file(const char* name) {
  const SweepFit f = fit_limit_sweep(load_limit_sweep_file(sweep(name)));
  std::printf("%s: P_s %.1f W, a %.2f, x_k %.2f, beta %.2f; max |err| %.2f %%, leave-one-out max |err| %.2f %%\n", name,
              f.curve.static_w, f.curve.exponent, f.curve.knee_clock_ratio, f.compute_fraction, f.max_abs_error_pct,
              f.max_abs_loo_error_pct);
  for (const auto& p : f.points)
    std::printf("  %6.1f W: measured %.4f, predicted %.4f, leave-one-out %.4f\n", p.limit_w, p.measured_slowdown, p.predicted_slowdown,
                p.loo_predicted_slowdown);
  return f;
}
}  // namespace

TEST_CASE("power-cap curve: RTX 3090 ViT-B/16 fp32 training sweep within 10 %") {
  const SweepFit f = fit_file("rtx3090_vit_b16_fp32_training.csv");
  REQUIRE(f.ok);
  CHECK(f.max_abs_error_pct < 10.0);
  CHECK(f.max_abs_loo_error_pct < 10.0);
}

TEST_CASE("power-cap curve: RTX 3090 ViT-B/16 TF32 training sweep within 10 %") {
  const SweepFit f = fit_file("rtx3090_vit_b16_tf32_training.csv");
  REQUIRE(f.ok);
  CHECK(f.max_abs_error_pct < 10.0);
  CHECK(f.max_abs_loo_error_pct < 10.0);
}

TEST_CASE("power-cap curve: RTX 5060 Ti memory-bound decode sweep within 10 %") {
  const SweepFit f = fit_file("rtx5060ti_llm_decode.csv");
  REQUIRE(f.ok);
  CHECK(f.max_abs_error_pct < 10.0);
}

TEST_CASE("power-cap curve: V100 SDXL text-to-image sweep within 10 %") {
  const SweepFit f = fit_file("v100_sdxl_t2i.csv");
  REQUIRE(f.ok);
  CHECK(f.max_abs_error_pct < 10.0);
}
