// Engine: exact energy integration on tests/data/tiny.json, independence from the output
// resolution, bins that average back to the energy, job start/stop, and continuous processes.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/engine/engine.h"
#include "sim/run.h"
#include "sim/output/summary.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

// Meter power of tiny.json, worked out in test_facility.cpp:
//   compute phase        2184.047135465155 W
//   communication phase  1156.6621101655944 W
//   job not running       872.8941775424422 W
constexpr double kPc = 2184.047135465155;
constexpr double kPm = 1156.6621101655944;
constexpr double kPi = 872.8941775424422;
// IT (rack input): 1918.2, 931.4 and 656.4 W.
constexpr double kItC = 1918.2, kItM = 931.4, kItI = 656.4;

EngineResult run(const Scenario& sc, const EngineOptions& eo = {}) {
  const Facility f(sc);
  return run_engine(sc, f, eo);
}

double rel(double a, double b) { return std::abs(a - b) / std::abs(b); }

}  // namespace

TEST_CASE("engine: energy equals the hand sum of phase powers x durations") {
  // 10 s of 1 s compute + 1 s communication: 5 x (Pc + Pm) = 16703.546228153748 J.
  const Scenario sc = test::load_tiny();
  const EngineResult r = run(sc);
  const auto& e = r.recorder.energy_j();
  const double expected = 5 * (kPc + kPm);
  CHECK(rel(e[kUtility], expected) < 1e-9);
  CHECK(rel(e[kUtility], 16703.546228153748) < 1e-9);
  CHECK(rel(e[kIt], 5 * (kItC + kItM)) < 1e-9);  // 14248 J
  CHECK(rel(e[kGpu], 5 * (1100.0 + 300.0)) < 1e-12);  // GPUs: 1100 W compute, 300 W communication
  // Events: 1 start + 9 phase changes (at 1, 2, ..., 9 s).
  CHECK(r.stats.events == 10);
  CHECK(r.recorder.peak_w()[kUtility] == doctest::Approx(kPc).epsilon(1e-12));

  // And through the summary (MWh = J / 3.6e9).
  const Facility f(sc);
  const json s = make_summary(sc, f, r);
  CHECK(rel(s["facility_energy_mwh"].get<double>(), expected / 3.6e9) < 1e-9);
  CHECK(rel(s["mean_facility_mw"].get<double>(), expected / 10 / 1e6) < 1e-9);
  CHECK(rel(s["peak_facility_mw"].get<double>(), kPc / 1e6) < 1e-12);
  // Ramps at 1 s bins: Pc -> Pm and back, |Pc - Pm| / 1 s = 1027.385025299 W/s.
  CHECK(rel(s["max_ramp_up_mw_per_s"].get<double>(), (kPc - kPm) / 1e6) < 1e-9);
  CHECK(rel(s["max_ramp_down_mw_per_s"].get<double>(), (kPc - kPm) / 1e6) < 1e-9);
}

TEST_CASE("engine: a step that does not divide the run, with an odd phase split") {
  // Step 0.3 s compute + 0.4 s communication (period 0.7 s) over 10 s:
  // 14 whole steps = 9.8 s, then 0.2 s of compute. Compute time 14 x 0.3 + 0.2 = 4.4 s,
  // communication 14 x 0.4 = 5.6 s.
  const Scenario sc = test::load_tiny({"jobs.0.step.0.duration_s=0.3", "jobs.0.step.1.duration_s=0.4"});
  const EngineResult r = run(sc);
  CHECK(rel(r.recorder.energy_j()[kUtility], 4.4 * kPc + 5.6 * kPm) < 1e-9);
}

TEST_CASE("engine: totals do not depend on the output step") {
  double ref = 0;
  std::array<double, kColumnCount> ref_cols{};
  for (const char* step : {"1.0", "0.37", "0.1"}) {
    CAPTURE(step);
    const Scenario sc = test::load_tiny({std::string("simulation.output_step_s=") + step});
    const EngineResult r = run(sc);
    const auto& e = r.recorder.energy_j();
    if (ref == 0) {
      ref = e[kUtility];
      ref_cols = e;
    }
    CHECK(rel(e[kUtility], 5 * (kPc + kPm)) < 1e-9);
    // The same events give the same intervals whatever the bins: bit-identical totals.
    for (int c = 0; c < kColumnCount; ++c) CHECK(e[static_cast<std::size_t>(c)] == ref_cols[static_cast<std::size_t>(c)]);
  }
}

TEST_CASE("engine: bin means average back to the energy") {
  for (const char* step : {"1.0", "0.37", "0.1", "3"}) {
    CAPTURE(step);
    const Scenario sc = test::load_tiny({std::string("simulation.output_step_s=") + step});
    const EngineResult r = run(sc);
    const Recorder& rec = r.recorder;
    // Bins: ceil(10 / step): 10, 28 (27 x 0.37 = 9.99, last bin 0.01 s), 100, 4 (last bin 1 s).
    const std::size_t expected_bins = static_cast<std::size_t>(std::ceil(10.0 / std::stod(step) - 1e-9));
    CHECK(rec.bin_count() == expected_bins);
    SimTime covered = 0;
    for (int c = 0; c < (rec.has_cooling() ? kColumnCount : kCooling); ++c) {
      double sum = 0;
      for (std::size_t k = 0; k < rec.bin_count(); ++k) sum += rec.bin_mean_w(k, c) * to_seconds(rec.bin_length(k));
      CHECK(rel(sum, rec.energy_j()[static_cast<std::size_t>(c)]) < 1e-9);
    }
    for (std::size_t k = 0; k < rec.bin_count(); ++k) covered += rec.bin_length(k);
    CHECK(covered == 10 * kNsPerS);
  }
}

TEST_CASE("engine: bins hold the exact mean of the power inside them") {
  {
    // 1 s bins line up with the phases: Pc, Pm, Pc, ...
    const EngineResult r = run(test::load_tiny());
    for (std::size_t k = 0; k < 10; ++k) CHECK(r.recorder.bin_mean_w(k, kUtility) == doctest::Approx(k % 2 == 0 ? kPc : kPm).epsilon(1e-12));
  }
  {
    // 0.37 s bins: bin 2 is [0.74, 1.11): 0.26 s of compute and 0.11 s of communication.
    const EngineResult r = run(test::load_tiny({"simulation.output_step_s=0.37"}));
    CHECK(r.recorder.bin_mean_w(0, kUtility) == doctest::Approx(kPc).epsilon(1e-12));
    CHECK(r.recorder.bin_mean_w(2, kUtility) == doctest::Approx((0.26 * kPc + 0.11 * kPm) / 0.37).epsilon(1e-9));
    // The last bin [9.99, 10) is communication only.
    CHECK(r.recorder.bin_length(27) == to_simtime(0.01));
    CHECK(r.recorder.bin_mean_w(27, kUtility) == doctest::Approx(kPm).epsilon(1e-9));
  }
}

TEST_CASE("engine: a job with start_s and stop_s is idle outside its window") {
  // Runs over [2, 6): compute [2,3), communication [3,4), compute [4,5), communication [5,6);
  // idle over [0, 2) and [6, 10): energy = 2 (Pc + Pm) + 6 Pi.
  const Scenario sc = test::load_tiny({"jobs.0.start_s=2", "jobs.0.stop_s=6"});
  const EngineResult r = run(sc);
  CHECK(rel(r.recorder.energy_j()[kUtility], 2 * (kPc + kPm) + 6 * kPi) < 1e-9);
  CHECK(rel(r.recorder.energy_j()[kIt], 2 * (kItC + kItM) + 6 * kItI) < 1e-9);
  const std::array<double, 10> expected = {kPi, kPi, kPc, kPm, kPc, kPm, kPi, kPi, kPi, kPi};
  for (std::size_t k = 0; k < 10; ++k) {
    CAPTURE(k);
    CHECK(r.recorder.bin_mean_w(k, kUtility) == doctest::Approx(expected[k]).epsilon(1e-12));
  }
}

TEST_CASE("engine: a stop in the middle of a phase cuts it there") {
  // start 0.5, stop 3.25: compute [0.5, 1.5), communication [1.5, 2.5), compute [2.5, 3.25);
  // idle the rest (0.5 + 6.75 = 7.25 s). Energy = 1.75 Pc + 1 Pm + 7.25 Pi.
  const Scenario sc = test::load_tiny({"jobs.0.start_s=0.5", "jobs.0.stop_s=3.25"});
  const EngineResult r = run(sc);
  CHECK(rel(r.recorder.energy_j()[kUtility], 1.75 * kPc + kPm + 7.25 * kPi) < 1e-9);
}

TEST_CASE("engine: jobs starting after the end or stopping after it") {
  {
    const EngineResult r = run(test::load_tiny({"jobs.0.start_s=20"}));  // never runs
    CHECK(rel(r.recorder.energy_j()[kUtility], 10 * kPi) < 1e-9);
    CHECK(r.stats.events == 0);
  }
  {
    const EngineResult r = run(test::load_tiny({"jobs.0.stop_s=100"}));  // stop beyond the end
    CHECK(rel(r.recorder.energy_j()[kUtility], 5 * (kPc + kPm)) < 1e-9);
  }
}

namespace {
struct PieceLog : ContinuousProcess {
  std::vector<std::pair<SimTime, SimTime>> pieces;
  double energy_j = 0;
  void advance(SimTime t0, SimTime t1, const ProcessInput& in) override {
    pieces.emplace_back(t0, t1);
    energy_j += in.power.utility_w * to_seconds(t1 - t0);
  }
};
}  // namespace

TEST_CASE("engine: continuous processes advance over pieces no longer than the step, covering the run") {
  for (const double step_s : {0.3, 1.0, 4.0}) {
    CAPTURE(step_s);
    const Scenario sc = test::load_tiny({"jobs.0.start_s=0.45", "jobs.0.stop_s=7.7"});
    PieceLog a, b;
    EngineOptions eo;
    eo.continuous_step = to_simtime(step_s);
    eo.processes = {&a, &b};
    const EngineResult r = run(sc, eo);
    REQUIRE_FALSE(a.pieces.empty());
    CHECK(a.pieces == b.pieces);  // every process sees the same pieces
    CHECK(a.pieces.front().first == 0);
    CHECK(a.pieces.back().second == 10 * kNsPerS);
    for (std::size_t i = 0; i < a.pieces.size(); ++i) {
      const auto [t0, t1] = a.pieces[i];
      CHECK(t1 > t0);
      CHECK(t1 - t0 <= eo.continuous_step);
      // No piece straddles a point of the fixed-step grid.
      CHECK((t1 - 1) / eo.continuous_step == t0 / eo.continuous_step);
      if (i > 0) CHECK(t0 == a.pieces[i - 1].second);  // contiguous
    }
    // The power handed over is the power the recorder integrates.
    CHECK(rel(a.energy_j, r.recorder.energy_j()[kUtility]) < 1e-12);
  }
}

TEST_CASE("engine: progress is reported, ending at 1") {
  std::vector<double> seen;
  EngineOptions eo;
  eo.progress = [&](double f) { seen.push_back(f); };
  run(test::load_tiny(), eo);
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back() == 1.0);
  for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] >= seen[i - 1]);
}

TEST_CASE("engine: run_scenario passes its energy balance and fills the summary") {
  const Scenario sc = test::load_tiny();
  const RunResult r = run_scenario(sc);
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= kEnergyBalanceTolerance);
  CHECK(r.summary["engine"]["graph_vertices"] == 11);
  CHECK(rel(r.summary["it_energy_mwh"].get<double>(), 5 * (kItC + kItM) / 3.6e9) < 1e-9);
}
