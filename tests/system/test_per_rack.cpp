// The exact per-rack jitter mode (jobs[].jitter.cohorts = "per-rack", models/workload/jitter.h):
// one cohort per rack with its own draw each step. Without jitter it equals the cohort model (power
// series and totals, to rounding); with jitter, 64 cohorts stay within the error the cohort bench
// states (docs/design.md, Cohorts) of it; the loader takes "per-rack" and rejects other words.
#include <doctest/doctest.h>

#include <cmath>

#include "core/rng.h"
#include "models/workload/jitter.h"
#include "sim/facility/facility.h"
#include "sim/output/power_figures.h"
#include "sim/run.h"
#include "tests/support.h"

namespace dctwin {
namespace {

// tiny.json grown to 2 halls x `rows` rows x `racks` racks of 2 one-GPU nodes, one job of `gpus`
// GPUs (an odd count leaves its last rack half used) with the given jitter object.
Scenario campus(int rows, int racks, int gpus, const std::string& jitter, double seconds = 300, bool reliability = true) {
  std::vector<std::string> o = {"simulation.duration_s=" + std::to_string(seconds), "simulation.output_step_s=0.1",
                          "campus.halls.0.count=2", "campus.halls.0.rows.0.count=" + std::to_string(rows),
                          "campus.halls.0.rows.0.racks.0.count=" + std::to_string(racks), "campus.utility.feeds.capacity_mw=10",
                          "campus.halls.0.rows.0.busway.rated_kw=1000", "campus.halls.0.lineups.transformer.rated_kva=5000",
                          "campus.halls.0.lineups.switchgear.rated_kw=5000", "campus.halls.0.lineups.ups.rated_kw=5000",
                          "jobs.0.gpus=" + std::to_string(gpus), "jobs.0.step=[{\"phase\":\"compute\",\"duration_s\":1},"
                          "{\"phase\":\"communication\",\"duration_s\":0.4},{\"phase\":\"optimizer\",\"duration_s\":0.1}]",
                          "jobs.0.jitter=" + jitter};
  if (reliability) {
    o.push_back("jobs.0.checkpoint={\"interval_s\":60,\"duration_s\":5}");
    o.push_back("jobs.0.failures={\"node_mtbf_h\":2,\"restart_s\":20,\"reload_s\":5}");
  }
  return test::load_tiny(o);
}

double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

}  // namespace

TEST_CASE("per-rack jitter: one cohort per rack, a half-used rack included") {
  const Scenario sc = campus(3, 4, 45, R"({"compute_cv":0.02,"cohorts":"per-rack"})");
  REQUIRE(sc.jobs[0].jitter);
  CHECK(sc.jobs[0].jitter->per_rack);
  const Facility f(sc);
  CHECK(f.job_racks(0) == 23);
  REQUIRE(f.cohort_count(0) == 23);
  std::int64_t gpus = 0;
  for (int c = 0; c < f.cohort_count(0); ++c) {
    CHECK(f.cohort_gpus(c) == (c + 1 < f.cohort_count(0) ? 2 : 1));
    gpus += f.cohort_gpus(c);
  }
  CHECK(gpus == 45);
}

TEST_CASE("per-rack jitter: the loader takes \"per-rack\" or an integer, nothing else") {
  CHECK(campus(1, 2, 4, R"({"compute_cv":0.01,"cohorts":16})").jobs[0].jitter->cohorts == 16);
  CHECK_FALSE(campus(1, 2, 4, R"({"compute_cv":0.01,"cohorts":16})").jobs[0].jitter->per_rack);
  try {
    campus(1, 2, 4, R"({"compute_cv":0.01,"cohorts":"per-node"})");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().list().size() == 1);
    CHECK(e.problems().list()[0].where == "$.jobs[0].jitter.cohorts");
  }
}

TEST_CASE("per-rack jitter: a rack's multiplier") {
  workload::JitterParams j;
  j.cv = 0.1;
  CHECK(workload::rack_multiplier(j, 0.5, 0.9) == doctest::Approx(1.0));
  CHECK(workload::rack_multiplier(j, workload::normal_cdf(2.0), 0.9) == doctest::Approx(1.2).epsilon(1e-9));
  CHECK(workload::rack_multiplier(j, 1e-30, 0.9) == doctest::Approx(1 + 0.1 * workload::normal_quantile(1e-16)));
  j.cv = 2;  // a draw far below the mean stops at 0.1
  CHECK(workload::rack_multiplier(j, 0.01, 0.9) == 0.1);
  j.cv = 0;
  j.straggler_probability = 0.3;
  j.straggler_slowdown = 0.5;
  CHECK(workload::rack_multiplier(j, 0.5, 0.29) == doctest::Approx(1.5));
  CHECK(workload::rack_multiplier(j, 0.5, 0.31) == doctest::Approx(1.0));
}

TEST_CASE("per-rack jitter: without jitter it equals the cohort model (series and totals)") {
  const auto zero = [](const std::string& k) { return R"({"compute_cv":0,"straggler_probability":0,"cohorts":)" + k + "}"; };
  const RunResult a = run_scenario(campus(3, 4, 45, zero("8")));
  const RunResult b = run_scenario(campus(3, 4, 45, zero("\"per-rack\"")));
  CHECK(b.engine.plans[0].cohort_gpus.size() == 23);
  CHECK(a.engine.plans[0].cohort_gpus.size() == 8);
  const Recorder& ra = a.engine.recorder;
  const Recorder& rb = b.engine.recorder;
  REQUIRE(ra.bin_count() == rb.bin_count());
  double worst = 0;
  for (std::size_t k = 0; k < ra.bin_count(); ++k)
    for (int c : {kUtility, kIt, kGpu, kPsuLoss, kBuswayLoss, kUpsLoss, kSwitchgearLoss, kTransformerLoss})
      worst = std::max(worst, rel(rb.bin_mean_w(k, c), ra.bin_mean_w(k, c)));
  CHECK(worst < 1e-12);  // the same pieces; only the order of the sums differs
  for (const char* key : {"facility_energy_mwh", "it_energy_mwh", "peak_facility_mw", "max_ramp_up_mw_per_s", "max_ramp_down_mw_per_s"})
    CHECK(rel(b.summary[key].get<double>(), a.summary[key].get<double>()) < 1e-12);
  CHECK(b.summary["swing_mw"].get<double>() == doctest::Approx(a.summary["swing_mw"].get<double>()).epsilon(1e-12));
  CHECK(b.summary["jobs"][0]["steps_completed"] == a.summary["jobs"][0]["steps_completed"]);
  CHECK(b.summary["jobs"][0]["failures"].get<int>() > 0);  // failures and restarts are exercised
  CHECK(b.summary["energy_balance_rel_error"].get<double>() < 1e-9);
  // With jitter the two differ (the comparison above can fail).
  const RunResult c = run_scenario(campus(3, 4, 45, R"({"compute_cv":0.05,"cohorts":"per-rack"})"));
  CHECK(rel(c.summary["facility_energy_mwh"].get<double>(), b.summary["facility_energy_mwh"].get<double>()) > 1e-6);
}

TEST_CASE("per-rack jitter: deterministic with the seed") {
  const Scenario sc = campus(2, 3, 24, R"({"compute_cv":0.03,"straggler_probability":0.01,"straggler_slowdown":0.3,"cohorts":"per-rack"})", 60);
  const RunResult a = run_scenario(sc), b = run_scenario(sc);
  CHECK(a.summary["facility_energy_mwh"].get<double>() == b.summary["facility_energy_mwh"].get<double>());
  CHECK(a.summary["max_ramp_down_mw_per_s"].get<double>() == b.summary["max_ramp_down_mw_per_s"].get<double>());
}

}  // namespace dctwin

namespace dctwin {

// The 3 % goal for 64 cohorts against per-rack (docs/design.md, Cohorts, from build/bin/bench_cohorts
// on the 100K-GPU campus with common draws), checked here on a 400-rack campus with common draws
// (jitter.draws = "per-rack": both runs end every step together, so the difference is the reduction's).
TEST_CASE("per-rack jitter: 64 cohorts within 3 % of per-rack on every figure (common draws)") {
  const std::string jit = R"("compute_cv":0.01,"straggler_probability":0.0001,"straggler_slowdown":0.2)";
  const Scenario k64 = campus(10, 20, 800, "{" + jit + ",\"cohorts\":64,\"draws\":\"per-rack\"}", 120, false);
  const Scenario exact = campus(10, 20, 800, "{" + jit + ",\"cohorts\":\"per-rack\"}", 120, false);
  const auto a = figure_list(power_figures(run_scenario(k64), 0.1));
  const auto b = figure_list(power_figures(run_scenario(exact), 0.1));
  REQUIRE(a.size() == 7);
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].first << ": 64 cohorts " << a[i].second << ", per-rack " << b[i].second);
    CHECK(100 * rel(a[i].second, b[i].second) <= 3);
  }
  // The figures are not degenerate: the campus swings and ramps.
  CHECK(b[1].second > 0.3 * b[0].second);
  CHECK(b[6].second > 0);
}

}  // namespace dctwin

namespace dctwin {

// Common draws (jobs[].jitter.draws = "per-rack"): the last cohort takes the realized maximum of the
// racks' own multipliers, so a cohort run ends every step when the per-rack run with the same seed does.
TEST_CASE("per-rack jitter: the realized maximum of the racks' multipliers, two quantiles for n racks") {
  workload::JitterParams j;
  j.cv = 0.05;
  j.straggler_probability = 0.2;
  j.straggler_slowdown = 0.3;
  RngStream a(7, "t"), b(7, "t");
  for (int trial = 0; trial < 50; ++trial) {
    double brute = 0;
    for (int r = 0; r < 37; ++r) {
      const double u_z = a.uniform01();
      brute = std::max(brute, workload::rack_multiplier(j, u_z, a.uniform01()));
    }
    CHECK(workload::max_rack_multiplier(j, 37, [&] { return b.uniform01(); }) == brute);
  }
  // Hand-computed: u = (0.5, 0.9 no straggler), (normal_cdf(2), 0.1 straggler): max(1, 1.1 + 0.3) = 1.4.
  const double u[] = {0.5, 0.9, workload::normal_cdf(2.0), 0.1};
  int i = 0;
  CHECK(workload::max_rack_multiplier(j, 2, [&] { return u[i++]; }) == doctest::Approx(1.4).epsilon(1e-9));
  const auto m = workload::cohort_multipliers_with_max(j, 1.4);
  REQUIRE(m.size() == 8);
  CHECK(m.back() == doctest::Approx(1.4).epsilon(1e-9));
  CHECK(m[6] == doctest::Approx(1 + 0.05 * workload::normal_quantile(6.5 / 7)));
}

TEST_CASE("per-rack jitter: with common draws 8 cohorts end every step when per-rack does") {
  const std::string jit = R"("compute_cv":0.04,"straggler_probability":0.02,"straggler_slowdown":0.3)";
  const RunResult k8 = run_scenario(campus(3, 4, 45, "{" + jit + R"(,"cohorts":8,"draws":"per-rack"})", 300, false));
  const RunResult exact = run_scenario(campus(3, 4, 45, "{" + jit + R"(,"cohorts":"per-rack"})", 300, false));
  const RunResult own = run_scenario(campus(3, 4, 45, "{" + jit + R"(,"cohorts":8})", 300, false));
  const json& a = k8.summary["jobs"][0];
  const json& b = exact.summary["jobs"][0];
  CHECK(a["steps_completed"] == b["steps_completed"]);
  CHECK(a["steps_completed"].get<double>() > 100);
  // The default draws take another realization: another step count (seeded, so deterministic).
  CHECK(own.summary["jobs"][0]["steps_completed"] != b["steps_completed"]);  // the check above can fail
  // Energy differs only by the bulk's staircase (8 cohorts for 23 racks here).
  CHECK(rel(k8.summary["it_energy_mwh"].get<double>(), exact.summary["it_energy_mwh"].get<double>()) < 1e-2);
  try {
    campus(1, 2, 4, R"({"compute_cv":0.01,"draws":"per-node"})");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().list().size() == 1);
    CHECK(e.problems().list()[0].where == "$.jobs[0].jitter.draws");
  }
}

}  // namespace dctwin
