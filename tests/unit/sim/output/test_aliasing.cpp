// Swing and dominant frequency against the output step: the swing comes from the exact meter power
// (sim/engine/level_distribution.h), and a step that cannot resolve the training step's frequency
// reports dominant_frequency_hz null with the reason (sim/output/spectrum.h).
#include <doctest/doctest.h>

#include "sim/engine/level_distribution.h"
#include "sim/engine/recorder.h"
#include "sim/output/spectrum.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

// Two-level square wave on the meter column: 3 W over [2k, 2k+1) s, 1 W over [2k+1, 2k+2) s.
Recorder square_wave(double duration_s, double bin_s) {
  Recorder rec(to_simtime(duration_s), to_simtime(bin_s));
  for (int k = 0; 2 * k < duration_s; ++k) {
    PowerRow hi{}, lo{};
    hi[kUtility] = 3.0;
    lo[kUtility] = 1.0;
    rec.add(to_simtime(2.0 * k), to_simtime(2.0 * k + 1), hi, ItBreakdown{});
    rec.add(to_simtime(2.0 * k + 1), to_simtime(2.0 * k + 2), lo, ItBreakdown{});
  }
  return rec;
}

std::vector<double> meter_series(const Recorder& rec) {
  std::vector<double> v(rec.bin_count());
  for (std::size_t k = 0; k < v.size(); ++k) v[k] = rec.bin_mean_w(k, kUtility);
  return v;
}

}  // namespace

TEST_CASE("aliasing: a square wave's exact percentiles do not depend on the output step") {
  // Period 2 s, half the time at each level: P5 = 1 W, P95 = 3 W (lower quantile of the time at
  // each level), swing 2 W, at a step that resolves it (0.1 s) and at one that does not (1.5 s).
  for (double bin : {0.1, 1.5}) {
    const Recorder rec = square_wave(120, bin);
    CHECK(rec.utility_levels().total_s() == doctest::Approx(120.0));
    CHECK(*rec.utility_levels().quantile(0.05) == 1.0);
    CHECK(*rec.utility_levels().quantile(0.95) == 3.0);
  }
  // The interval means at 1.5 s are what the swing used to be taken from: bins of 1 s high +
  // 0.5 s low and of 0.5 s low + 1 s high both mean (2*3 + 1)/3 = 7/3 W, the next two
  // (2*1 + 3)/3 = 5/3 W, repeating every 6 s: a swing of 2/3 W instead of 2 W.
  const auto v = meter_series(square_wave(120, 1.5));
  CHECK(v[0] == doctest::Approx(7.0 / 3));
  CHECK(v[1] == doctest::Approx(7.0 / 3));
  CHECK(v[2] == doctest::Approx(5.0 / 3));
  CHECK(v[3] == doctest::Approx(5.0 / 3));
  CHECK(quantile(v, 0.95) - quantile(v, 0.05) == doctest::Approx(2.0 / 3));
  // 0.5 Hz sampled at 2/3 Hz folds to |0.5 - 2/3| = 1/6 Hz: the periodogram of those means peaks
  // there (80 samples, bin 80 * 1.5 / 6 = 20 exactly).
  CHECK(*dominant_frequency_hz(v, 1.5) == doctest::Approx(1.0 / 6));
  CHECK(*dominant_frequency_hz(meter_series(square_wave(120, 0.1)), 0.1) == doctest::Approx(0.5));
}

TEST_CASE("aliasing: a step at or above half the period is unresolved, and says which step is needed") {
  // Period 2.5 s (0.4 Hz): Nyquist needs dt < 1.25 s.
  CHECK(!unresolved_period_note(1.0, 2.5));
  CHECK(!unresolved_period_note(0.1, 2.5));
  CHECK(!unresolved_period_note(60.0, -1.0));  // no training job
  const auto at_2 = unresolved_period_note(2.0, 2.5);
  REQUIRE(at_2);
  CHECK(at_2->find("Nyquist frequency 0.25 Hz") != std::string::npos);  // 1 / (2 * 2 s)
  CHECK(at_2->find("below 1.25 s") != std::string::npos);
  CHECK(unresolved_period_note(1.25, 2.5));  // on Nyquist exactly: phase-dependent, unresolved
}

TEST_CASE("aliasing: beyond its level limit the distribution bins levels within half a bin") {
  // Levels 0, 1, ..., 19999 W for 1 s each. The 16,385th level (16,384 W) goes over the limit:
  // span 16,384 W / 16,384 = 1 W, doubled while more than 8,192 bins (1 W: 16,385; 2 W: 8,193;
  // 4 W: 4,097). At the end, 20,000 / 4 = 5,000 bins.
  LevelDistribution d;
  for (int i = 0; i < 20000; ++i) d.add(i, 1.0);
  CHECK(d.bin_width() == 4.0);
  CHECK(d.size() == 5000);
  // Exact median (lower quantile): 10,000 s reached at level 9,999; its bin [9996, 10000) has
  // centre 9,998: within 4 / 2 W.
  CHECK(*d.quantile(0.5) == 9998.0);
  CHECK(d.total_s() == 20000.0);
  LevelDistribution exact;
  exact.add(5.0, 1.0);
  exact.add(2.0, 3.0);
  CHECK(exact.bin_width() == 0.0);
  CHECK(*exact.quantile(0.75) == 2.0);  // F(2) = 3/4
  CHECK(*exact.quantile(0.76) == 5.0);
  CHECK(!LevelDistribution{}.quantile(0.5));
}

TEST_CASE("aliasing: the summary's swing and dominant frequency at steps that do and do not resolve the step") {
  // tiny.json: 1 s compute at 2184.047135465 W, 1 s communication at 1156.662110166 W at the meter
  // (test_facility.cpp), period 2 s: resolved for output_step_s < 1 s.
  const double swing_w = 2184.047135465 - 1156.662110166;
  const RunResult fine = dctwin::run_scenario(test::load_tiny({"simulation.duration_s=150", "simulation.output_step_s=0.5"}));
  CHECK(fine.summary["swing_mw"].get<double>() * 1e6 == doctest::Approx(swing_w).epsilon(1e-9));
  CHECK(fine.summary["dominant_frequency_hz"].get<double>() == doctest::Approx(0.5).epsilon(1e-9));
  CHECK(fine.summary["dominant_frequency_unresolved"].is_null());
  // At 1.5 s the interval means alternate (2H + L)/3, (2H + L)/3, (H + 2L)/3, (H + 2L)/3 (the
  // square wave above): their P95 - P5 was swing / 3 = 342.46 W and their peak 1/6 Hz. The exact
  // power still swings the full amount; the frequency is null with the step it needs.
  for (const char* step : {"simulation.output_step_s=1.5", "simulation.output_step_s=1"}) {
    const RunResult coarse = dctwin::run_scenario(test::load_tiny({"simulation.duration_s=150", step}));
    CHECK(coarse.summary["swing_mw"].get<double>() * 1e6 == doctest::Approx(swing_w).epsilon(1e-9));
    CHECK(coarse.summary["dominant_frequency_hz"].is_null());
    REQUIRE(coarse.summary["dominant_frequency_unresolved"].is_string());
    CHECK(coarse.summary["dominant_frequency_unresolved"].get<std::string>().find("below 1 s") != std::string::npos);
  }
}
