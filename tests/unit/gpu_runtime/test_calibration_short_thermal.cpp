// Calibration that sees more: short phases (gpu_runtime/common/profile_fit.h) and the junction
// thermal fit (gpu_runtime/common/thermal_fit.h) on seeded synthetic traces with known parameters.
//
// Tolerances: set from the errors seen over the seeds run here (printed by MESSAGE), about three
// times the largest and never tighter than 2 %: thermal R 2 % and tau 3 % (seen 0.03 % and 0.6 %,
// whole-degree readings included), the averaged field's tau 3 % (seen 1.0 %), the leakage slope
// 5 % (seen 1.7 %); the short-phase figures as each case states (seen values beside them).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/problems.h"
#include "gpu_runtime/common/profile_fit.h"
#include "gpu_runtime/common/synthetic_trace.h"
#include "gpu_runtime/common/thermal_fit.h"

using namespace dctwin::gpu;

namespace {

double rel_err(double got, double want) { return std::abs(got - want) / std::abs(want); }

// A step with a 2-sample optimizer phase between communication and the next compute phase.
SyntheticSpec short_optimizer(double hz, std::uint64_t seed) {
  SyntheticSpec s;
  s.sample_hz = hz;
  s.optimizer_s = 2.0 / hz;
  s.seed = seed;
  return s;
}

}  // namespace

TEST_CASE("calibration fit: a 2-sample optimizer phase at 20 and 50 Hz: found, its level fitted, the lags unbiased") {
  // History, same seeds: without the short-phase search the optimizer was missed and tau_rise came
  // out 1.77-1.84 x the true 50 ms at 20 Hz (1.15-1.17 x at 50 Hz); with the search but boundaries
  // at crossing times with a common shift, 1.33-1.46 x at 20 Hz (1.03-1.05 x at 50 Hz), the
  // optimizer level 2.4-5.1 % off at 20 Hz and 18 % low at 50 Hz. Each boundary is now fitted on
  // its own (lagged_step_fit.h). Bounds about three times the largest error seen (MESSAGE).
  // jitter 0: no phase-duration jitter, the 2.9-s step a whole number of 20-Hz sample intervals,
  // so every step is sampled at the same phase (from the crossing lags alone the fit stopped in a
  // local minimum at 1.34-1.35 x on seeds 2 and 3; hence the second start at 0.7 x).
  struct Case {
    double hz, jitter;
  };
  for (const Case c : {Case{20.0, 0.05}, Case{50.0, 0.05}, Case{20.0, 0.0}})
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      const double hz = c.hz;
      SyntheticSpec s = short_optimizer(hz, seed);
      s.duration_jitter = c.jitter;
      const Trace tr = make_synthetic_trace(s);
      const SeriesFit f = fit_series(tr.gpus[0], tr.markers, tr.average_window_s, "synthetic");
      CAPTURE(hz);
      CAPTURE(c.jitter);
      CAPTURE(seed);
      MESSAGE(hz << " Hz jitter " << c.jitter << " seed " << seed << ": optimizer " << f.level_w[3] << " W (" << f.segments[3] << " segments), tau rise "
                 << f.tau_rise_s << " fall " << f.tau_fall_s << " s, compute " << f.level_w[1] << " comm " << f.level_w[2] << ", RMSE "
                 << f.rmse_w << " W");
      CHECK(f.field == "instant");
      CHECK(f.segments[3] == s.steps);
      CHECK(f.tau_resolved);
      CHECK(rel_err(f.level_w[1], s.compute_w) < 0.02);        // seen < 0.1 %
      CHECK(rel_err(f.level_w[2], s.communication_w) < 0.02);  // seen < 0.5 %
      CHECK(rel_err(f.level_w[3], s.optimizer_w) < 0.03);      // seen < 0.6 % (20 Hz), < 1.0 % (50 Hz)
      CHECK(rel_err(f.step_period_s, s.compute_s + s.communication_s + s.optimizer_s) < 0.03);
      CHECK(f.rmse_w < 1.15 * s.noise_w);  // the model explains everything but the noise (seen 3.86-4.03 W)
      if (hz == 20.0) {
        CHECK(rel_err(f.tau_rise_s, s.tau_rise_s) < 0.05);  // seen < 1.9 %
        CHECK(rel_err(f.tau_fall_s, s.tau_fall_s) < 0.03);  // seen < 0.5 %
      } else {
        CHECK(rel_err(f.tau_rise_s, s.tau_rise_s) < 0.03);  // seen < 0.5 %
        CHECK(rel_err(f.tau_fall_s, s.tau_fall_s) < 0.03);  // seen < 0.7 %
      }
    }
}

TEST_CASE("calibration fit: a short phase with the 1-s averaged field present: levels and energy hold, lags unresolved, and the instant field still resolves it") {
  for (double hz : {20.0, 50.0}) {
    SyntheticSpec s = short_optimizer(hz, 7);
    s.compute_s = 4;  // phases longer than the window: a 0.8-s communication phase has no plateau under a 1-s boxcar
    s.communication_s = 2;
    const Trace tr = make_synthetic_trace(s);  // both fields, like an NVML trace with power.draw and power.draw.instant
    FitOptions avg;
    avg.prefer_instant = false;
    const SeriesFit f = fit_series(tr.gpus[0], tr.markers, tr.average_window_s, "synthetic", avg);
    const SeriesFit i = fit_series(tr.gpus[0], tr.markers, tr.average_window_s, "synthetic");
    MESSAGE("instant beside it, " << hz << " Hz: optimizer " << i.level_w[3] << " W (" << i.segments[3] << " segments), tau rise "
                                  << i.tau_rise_s << " fall " << i.tau_fall_s << " s");
    CHECK(i.field == "instant");
    CHECK(i.segments[3] == s.steps);
    CHECK(rel_err(i.level_w[3], s.optimizer_w) < 0.03);
    CHECK(rel_err(i.tau_rise_s, s.tau_rise_s) < 0.05);
    CHECK(rel_err(i.tau_fall_s, s.tau_fall_s) < 0.05);
    CAPTURE(hz);
    MESSAGE("averaged, " << hz << " Hz: optimizer " << f.level_w[3] << " W, compute " << f.level_w[1] << " comm " << f.level_w[2]
                         << ", energy error " << f.energy_error_pct << " %, tau resolved " << f.tau_resolved);
    CHECK(f.field == "average");
    CHECK(rel_err(f.level_w[1], s.compute_w) < 0.03);
    CHECK(rel_err(f.level_w[2], s.communication_w) < 0.05);  // seen 0.4 % (20 Hz), 2.9 % (50 Hz)
    CHECK(std::abs(f.energy_error_pct) < 0.5);
    CHECK(std::isnan(f.level_w[3]));  // a 0.1-s phase under a 1-s boxcar: not resolvable, not invented
    CHECK_FALSE(f.tau_resolved);
    CHECK(rel_err(f.step_period_s, s.compute_s + s.communication_s + s.optimizer_s) < 0.03);
  }
}

namespace {

SyntheticSpec thermal_spec(std::uint64_t seed) {
  SyntheticSpec s;
  s.seed = seed;
  s.sample_hz = 20;
  s.r_th_k_w = 0.06;   // junction to inlet of an air heat sink, order of magnitude (assumption)
  s.tau_th_s = 4.0;
  s.coolant_c = 30;
  s.tail_idle_s = 20;  // the junction cools in the lead-out
  return s;
}

ThermalFit thermal_of(const Trace& tr, double coolant_c) {
  const GpuSeries& g = tr.gpus[0];
  return fit_junction_thermal(g.t_s, g.power_w, g.temperature_c, {coolant_c}, "synthetic", g.gpu);
}

}  // namespace

TEST_CASE("thermal fit: R and tau recovered from exact and from whole-degree temperature readings") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SyntheticSpec s = thermal_spec(seed);
    s.temperature_noise_c = 0.1;
    const ThermalFit exact = thermal_of(make_synthetic_trace(s), s.coolant_c);
    s.temperature_noise_c = 0;
    s.temperature_quantum_c = 1;
    const ThermalFit q = thermal_of(make_synthetic_trace(s), s.coolant_c);
    CAPTURE(seed);
    MESSAGE("seed " << seed << ": exact R " << exact.r_th_k_w << " tau " << exact.tau_s << " rms " << exact.rms_c << "; integer R "
                    << q.r_th_k_w << " +- " << q.r_th_sd_k_w << " tau " << q.tau_s << " +- " << q.tau_sd_s << " rms " << q.rms_c);
    CHECK(rel_err(exact.r_th_k_w, s.r_th_k_w) < 0.02);
    CHECK(rel_err(exact.tau_s, s.tau_th_s) < 0.03);
    CHECK_FALSE(exact.quantised);
    CHECK(q.quantised);
    CHECK(rel_err(q.r_th_k_w, s.r_th_k_w) < 0.02);
    CHECK(rel_err(q.tau_s, s.tau_th_s) < 0.03);
    CHECK(q.rms_c < 0.5);
    // The stated uncertainty covers the error (3 SD).
    CHECK(std::abs(q.r_th_k_w - s.r_th_k_w) < 3 * q.r_th_sd_k_w + 1e-3);
    CHECK(q.tau_resolved);
  }
}

TEST_CASE("thermal fit: the averaged power field and leakage from two coolant temperatures") {
  SyntheticSpec s = thermal_spec(4);
  s.leakage_w_at_ref = 60;
  s.leakage_doubling_k = 25;
  s.leakage_ref_c = 60;
  std::vector<LeakageSamples> traces;
  for (double c : {25.0, 40.0}) {
    s.coolant_c = c;
    const Trace tr = make_synthetic_trace(s);
    const GpuSeries& g = tr.gpus[0];
    // Measured power includes the leakage: R and tau are fitted on it unchanged.
    const ThermalFit f = thermal_of(tr, c);
    CHECK(rel_err(f.r_th_k_w, s.r_th_k_w) < 0.02);
    CHECK(rel_err(f.tau_s, s.tau_th_s) < 0.03);
    const ThermalFit a = fit_junction_thermal(g.t_s, g.power_avg_w, g.temperature_c, {c}, "synthetic", 0, true, 1.0);
    MESSAGE("coolant " << c << ": instant R " << f.r_th_k_w << " tau " << f.tau_s << "; averaged R " << a.r_th_k_w << " tau " << a.tau_s);
    CHECK(rel_err(a.r_th_k_w, s.r_th_k_w) < 0.02);
    CHECK(rel_err(a.tau_s, s.tau_th_s) < 0.03);
    LeakageSamples ls;
    ls.coolant_c = c;
    for (std::size_t i = 0; i < g.size(); ++i)
      if (g.power_w[i] > 0.5 * (s.compute_w + s.optimizer_w)) ls.power_w.push_back(g.power_w[i]), ls.temperature_c.push_back(g.temperature_c[i]);
    traces.push_back(ls);
  }
  const LeakageFit L = fit_leakage(traces);
  REQUIRE(L.ok);
  // The slope dP/dT at the fitted reference temperature, against the generator's.
  const double true_slope = s.leakage_w_at_ref * std::log(2.0) / s.leakage_doubling_k *
                            std::exp2((L.reference_c - s.leakage_ref_c) / s.leakage_doubling_k);
  MESSAGE("leakage: reference " << L.reference_c << " C, slope " << L.slope_w_k << " W/K (true " << true_slope << "), d "
                                << L.doubling_k << " K, L_ref " << L.w_at_reference << " W");
  CHECK(rel_err(L.slope_w_k, true_slope) < 0.05);
  CHECK(fit_leakage({traces[0]}).ok == false);
}

TEST_CASE("thermal fit: data that cannot determine the model is refused with file and GPU") {
  SyntheticSpec s = thermal_spec(9);
  const Trace tr = make_synthetic_trace(s);
  const GpuSeries& g = tr.gpus[0];
  std::vector<double> flat(g.size(), 50.0);
  CHECK_THROWS_AS(fit_junction_thermal(g.t_s, g.power_w, flat, {30.0}, "f.csv", 0), dctwin::InputError);
  CHECK_THROWS_AS(fit_junction_thermal(g.t_s, g.power_w, g.temperature_c, {80.0}, "f.csv", 0), dctwin::InputError);
}
