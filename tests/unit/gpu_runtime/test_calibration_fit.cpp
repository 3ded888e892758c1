// The calibration fit (gpu_runtime/common/profile_fit.h) recovers known parameters from seeded
// synthetic traces (gpu_runtime/common/synthetic_trace.h) with measurement noise, phase-duration
// jitter, sample-time jitter and the 1-s averaged power field: within 3 %.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "gpu_runtime/common/profile_fit.h"
#include "gpu_runtime/common/synthetic_trace.h"
#include "gpu_runtime/common/trace.h"
#include "core/problems.h"
#include "tests/unit/gpu_runtime/square_wave.h"

using namespace dctwin::gpu;

namespace {

double rel_err(double got, double want) { return std::abs(got - want) / std::abs(want); }

// Mean of the true (jittered) step periods: the schedule's nominal sum, since the jitter is zero-mean.
double nominal_period(const SyntheticSpec& s) { return s.compute_s + s.communication_s + s.optimizer_s; }

void check_levels(const SeriesFit& f, const SyntheticSpec& s, double tol) {
  CAPTURE(f.segmentation);
  CAPTURE(f.field);
  CHECK(rel_err(f.level_w[0], s.idle_w) < tol);
  CHECK(rel_err(f.level_w[1], s.compute_w) < tol);
  CHECK(rel_err(f.level_w[2], s.communication_w) < tol);
  CHECK(rel_err(f.level_w[3], s.optimizer_w) < tol);
  CHECK(rel_err(f.step_period_s, nominal_period(s)) < tol);
  CHECK(f.steps == s.steps);
}

}  // namespace

TEST_CASE("calibration fit: instant field, no markers: levels, time constants, period within 3 %") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SyntheticSpec s;
    s.seed = seed;
    const Trace tr = make_synthetic_trace(s);
    const SeriesFit f = fit_series(tr.gpus[0], tr.markers, tr.average_window_s, "synthetic");
    CAPTURE(seed);
    CHECK(f.segmentation == "level clustering");
    CHECK(f.field == "instant");
    check_levels(f, s, 0.03);
    CHECK(f.tau_resolved);
    CHECK(rel_err(f.tau_rise_s, s.tau_rise_s) < 0.03);
    CHECK(rel_err(f.tau_fall_s, s.tau_fall_s) < 0.03);
    CHECK(std::abs(f.energy_error_pct) < 0.5);
    CHECK(f.rmse_w < 2.0 * s.noise_w);
    MESSAGE("seed " << seed << ": idle " << f.level_w[0] << " compute " << f.level_w[1] << " comm " << f.level_w[2]
                    << " opt " << f.level_w[3] << " W; tau rise " << f.tau_rise_s << " fall " << f.tau_fall_s
                    << " s; period " << f.step_period_s << " s; RMSE " << f.rmse_w << " W; energy error "
                    << f.energy_error_pct << " %");
  }
}

TEST_CASE("calibration fit: with phase markers") {
  SyntheticSpec s;
  s.markers = true;
  s.seed = 11;
  const Trace tr = make_synthetic_trace(s);
  const SeriesFit f = fit_series(tr.gpus[0], tr.markers, tr.average_window_s, "synthetic");
  CHECK(f.segmentation == "markers");
  check_levels(f, s, 0.03);
  CHECK(rel_err(f.tau_rise_s, s.tau_rise_s) < 0.03);
  CHECK(rel_err(f.tau_fall_s, s.tau_fall_s) < 0.03);
  CHECK(std::abs(f.shift_rise_s) < 0.01);
  CHECK(rel_err(f.mean_duration_s[1], s.compute_s) < 0.03);
}

TEST_CASE("calibration fit: 1-s averaged field only (nvidia-smi power.draw), no markers") {
  SyntheticSpec s;
  s.instant = false;
  s.sample_hz = 10;  // nvidia-smi -lms 100
  s.compute_s = 4.0;
  s.communication_s = 2.0;
  s.optimizer_s = 1.5;
  s.seed = 5;  // default time constants (50 / 100 ms): far below the 1-s window
  const Trace tr = make_synthetic_trace(s);
  const SeriesFit f = fit_series(tr.gpus[0], tr.markers, tr.average_window_s, "synthetic");
  CHECK(f.field == "average");
  check_levels(f, s, 0.03);
  CHECK(rel_err(f.mean_duration_s[1], s.compute_s) < 0.03);
  CHECK(rel_err(f.mean_duration_s[2], s.communication_s) < 0.03);
  CHECK(rel_err(f.mean_duration_s[3], s.optimizer_s) < 0.03);
  // Time constants of 50-100 ms under a 1-s boxcar at 10 Hz: the fit must say they are unresolved.
  CHECK_FALSE(f.tau_resolved);
  CHECK(std::abs(f.energy_error_pct) < 0.5);
  MESSAGE("averaged only: idle " << f.level_w[0] << " compute " << f.level_w[1] << " comm " << f.level_w[2] << " opt "
                                 << f.level_w[3] << " W; tau rise " << f.tau_rise_s << " fall " << f.tau_fall_s
                                 << " s (resolved " << f.tau_resolved << "); period " << f.step_period_s << " s");
}

TEST_CASE("calibration fit: power-cap exponent from two power limits") {
  // Reference trace at 700 W; a capped one at a lower limit, built from the model with a = 2.5.
  const double a = 2.5, ps = 75, p0 = 680, f0 = 1980;
  SyntheticSpec s0;
  s0.seed = 21;
  SyntheticSpec s1 = s0;
  s1.seed = 22;
  s1.power_limit_w = 500;
  const double ratio = std::pow((480.0 - ps) / (p0 - ps), 1.0 / a);  // clock ratio giving 480 W
  s1.compute_w = 480;
  s1.sm_clock_mhz = f0 * ratio;
  s1.compute_s = s0.compute_s / ratio;
  std::vector<TraceFit> fits = {fit_trace(make_synthetic_trace(s0)), fit_trace(make_synthetic_trace(s1))};
  const CapFit c = fit_power_cap(fits);
  INFO(c.note);
  REQUIRE(c.ok);
  CHECK(rel_err(c.exponent, a) < 0.03);
  CHECK(c.points.size() == 1);
  CHECK(c.points[0].from_clock);
  CHECK(rel_err(c.points[0].slowdown, 1.0 / ratio) < 0.03);
  // Without the clock, from the slowdown alone.
  fits[0].gpus[0].compute_sm_clock_mhz = std::nan("");
  fits[1].gpus[0].compute_sm_clock_mhz = std::nan("");
  const CapFit c2 = fit_power_cap(fits);
  REQUIRE(c2.ok);
  CHECK_FALSE(c2.points[0].from_clock);
  // From the slowdown the exponent is sensitive: a = ln(power ratio) / ln(t_0/t), and the mean
  // compute durations carry the 5 % per-step jitter (about 1 % on a 20-step mean), which a
  // clock ratio of ~0.85 (ln = -0.16) amplifies about ten-fold. Hence the looser bound.
  CHECK(rel_err(c2.exponent, a) < 0.15);
  // One limit only: not fitted, and says why.
  const CapFit c3 = fit_power_cap({fits[0]});
  CHECK_FALSE(c3.ok);
  CHECK(c3.note.find("two or more power limits") != std::string::npos);
}

TEST_CASE("calibration fit: a flat trace is refused with file and GPU") {
  SyntheticSpec s;
  s.compute_w = s.communication_w = s.optimizer_w = s.idle_w;
  const Trace tr = make_synthetic_trace(s);
  try {
    fit_series(tr.gpus[0], tr.markers, tr.average_window_s, "flat.csv");
    FAIL("expected an InputError");
  } catch (const dctwin::InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("flat.csv: GPU 0: expected at least two distinct power levels") != std::string::npos);
  }
}

TEST_CASE("calibration fit: --field: inferred from the column name, stated, and overridable") {
  const Trace avg = parse_trace(dctwin::test::square_wave_smi_csv("power.draw [W]"), "square.csv");
  // Inferred: power.draw is the 1-s average on Ampere and newer. On a square wave of instantaneous
  // samples that reading is wrong, and undoing the averaging overshoots below idle: what
  // calibrate then refuses to write (tests/unit/sim/input/test_gpu_profile.cpp).
  const TraceFit a = fit_trace(avg);
  CHECK(a.field == "average");
  CHECK(a.field_inferred);
  CHECK(a.field_column == "power.draw [W]");
  CHECK(a.field_statement.find("inferred from its name") != std::string::npos);
  CHECK(a.mean_level(2) < a.mean_level(0));  // communication fitted below idle
  // --field instant: the same column read as instantaneous power recovers the square wave.
  FitOptions opt;
  opt.field = PowerField::Instant;
  const TraceFit i = fit_trace(avg, opt);
  CHECK(i.field == "instant");
  CHECK_FALSE(i.field_inferred);
  CHECK(i.field_statement == "column \"power.draw [W]\" read as instantaneous power (--field instant)");
  CHECK(i.mean_level(0) == doctest::Approx(80).epsilon(0.01));
  CHECK(i.mean_level(1) == doctest::Approx(650).epsilon(0.01));
  CHECK(i.mean_level(2) == doctest::Approx(250).epsilon(0.01));
  // The step: compute then communication, 19 complete steps, durations within 1 %.
  int steps = 0;
  const auto step = i.mean_step(&steps);
  REQUIRE(step.size() == 2);
  CHECK(steps == 19);
  CHECK(step[0].phase == 1);
  CHECK(step[1].phase == 2);
  CHECK(step[0].duration_s == doctest::Approx(2.0).epsilon(0.01));
  CHECK(step[1].duration_s == doctest::Approx(1.0).epsilon(0.01));
  // An instant column is inferred as instant; --field average reads it as a 1-s average.
  const Trace ins = parse_trace(dctwin::test::square_wave_smi_csv("power.draw.instant [W]"), "square-instant.csv");
  const TraceFit ii = fit_trace(ins);
  CHECK(ii.field == "instant");
  CHECK(ii.field_inferred);
  opt.field = PowerField::Average;
  const TraceFit ia = fit_trace(ins, opt);
  CHECK(ia.field == "average");
  CHECK(ia.field_statement == "column \"power.draw.instant [W]\" read as a 1-s average (--field average)");
  CHECK(power_field_from_string("auto") == PowerField::Auto);
  CHECK_THROWS_AS(power_field_from_string("instantaneous"), std::invalid_argument);
}
