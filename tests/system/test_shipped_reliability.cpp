// The shipped scenarios' reliability and mitigation settings do what their descriptions say:
// the default campus fails at the Llama 3 node rate, loses the work since the last checkpoint
// plus the restart per failure, and checkpoints at its interval; the GB300 campus's rack storage
// lowers the meter's ramps against the same run without it. Seeded: the same numbers every run.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/run.h"
#include "tests/support.h"

namespace dctwin {
namespace {

Scenario load_shipped(const std::string& name, std::vector<std::string> overrides) {
  LoadOptions lo;
  lo.overrides = std::move(overrides);
  return load_scenario_file(test::source_path("scenarios/" + name), lo);
}

// What scenarios/mai1-15k-h100.json configures (checked against the loaded scenario below).
constexpr double kNodes = 1875;       // 15,000 GPUs / 8
constexpr double kMtbfH = 6335;       // Llama 3: 2,048 x 54 x 24 node-hours / 419 interruptions
constexpr double kRestartS = 600;     // assumption
constexpr double kPauseS = 2.835;     // 5,670 GB / 2,000 GB/s, also reload_s
constexpr double kIntervalS = 260;
constexpr double kDayS = 86400;

}  // namespace

TEST_CASE("shipped default campus over 24 h: failures at the configured rate, goodput lowered by the lost work, checkpoints at the interval") {
  // A 60 s output step: failures, checkpoints and goodput do not depend on it (job events are exact).
  const std::vector<std::string> day = {"simulation.duration_s=86400", "simulation.output_step_s=60", "simulation.thermal_step_s=60"};
  const Scenario sc = load_shipped("mai1-15k-h100.json", day);
  REQUIRE(sc.jobs.size() == 1);
  const RunResult r = run_scenario(sc);
  const json& job = r.summary["jobs"][0];
  REQUIRE(job["nodes"].get<double>() == kNodes);

  // Failures: a Poisson process at lambda = nodes / MTBF (0.296 per hour for the job),
  // drawn only while the job steps or checkpoints (not in restart + reload), so over a day the
  // mean is mu = lambda T / (1 + lambda (restart + reload)) = 7.10 / 1.0496 = 6.77. The two-sided
  // 99.7 % Poisson interval of mu = 6.77 is [1, 16] (P(N = 0) = 0.0012, P(N >= 17) = 0.0007).
  const double lambda = kNodes / (kMtbfH * 3600);  // per second
  const double mu = lambda * kDayS / (1 + lambda * (kRestartS + kPauseS));
  CHECK(mu == doctest::Approx(6.77).epsilon(0.005));
  const int failures = job["failures"].get<int>();
  MESSAGE("failures in 24 h: " << failures << " (expected " << mu << ")");
  CHECK(failures >= 1);
  CHECK(failures <= 16);
  CHECK(job["failure_times_s"].size() == static_cast<std::size_t>(failures));

  // Checkpoints at the interval: a checkpoint starts after the step that ends at or after
  // interval_s since the last one ended, so consecutive completions (no failure between) are
  // interval + pause apart, plus less than one (jittered) step of 2.5 s.
  const json& ct = job["checkpoint_times_s"];
  const json& ft = job["failure_times_s"];
  REQUIRE(ct.size() > 200);
  std::size_t gaps = 0;
  for (std::size_t i = 1; i < ct.size(); ++i) {
    const double a = ct[i - 1].get<double>(), b = ct[i].get<double>();
    bool failed = false;
    for (const auto& f : ft) failed = failed || (f.get<double>() > a && f.get<double>() < b);
    if (failed) continue;
    ++gaps;
    CHECK(b - a >= kIntervalS + kPauseS - 1e-6);
    CHECK(b - a <= kIntervalS + kPauseS + 2.5 * 1.5);
  }
  CHECK(gaps + ft.size() + 1 >= ct.size());

  // Goodput: the failure-free overhead o (checkpoint pauses, jitter and stragglers) measured on
  // the same campus with failures made negligible, then per failure the work since the last
  // checkpoint (uniform over the interval: interval / 2 on average) plus restart and reload:
  // G = (1 - o) (1 - N (interval / 2 + restart + reload) / T). Tolerance: the lost work of one
  // failure is uniform over ~interval + one step, standard deviation ~(260 + 2.5) / sqrt(12) = 76 s;
  // 3 sigma over N failures is 3 x 76 x sqrt(N) / T, plus 0.002 for the overhead's own spread.
  const RunResult calm = run_scenario(load_shipped("mai1-15k-h100.json", {"simulation.duration_s=7200", "simulation.output_step_s=60",
                                                                         "simulation.thermal_step_s=60", "jobs.0.failures.node_mtbf_h=1e9"}));
  REQUIRE(calm.summary["failures"].get<int>() == 0);
  const double overhead = 1 - calm.summary["goodput"].get<double>();
  CHECK(overhead > 0.01);   // checkpoints (2.835 s per 263 s) and jitter cost something
  CHECK(overhead < 0.06);
  const double n = failures;
  const double expected = (1 - overhead) * (1 - n * (kIntervalS / 2 + kRestartS + kPauseS) / kDayS);
  const double tolerance = 3 * 76 * std::sqrt(n) / kDayS + 0.002;
  const double goodput = r.summary["goodput"].get<double>();
  MESSAGE("goodput " << goodput << ", hand-computed " << expected << " +- " << tolerance << " (failure-free overhead " << overhead << ")");
  CHECK(goodput < 1 - overhead);
  CHECK(std::abs(goodput - expected) <= tolerance);
}

TEST_CASE("shipped GB300 campus: rack storage lowers the meter's peak ramp against the same run without it") {
  // 900 s: the first job starts at t = 0 from idle racks; the storage holds each rack's grid side
  // to 40 kW/s, i.e. 56 MW/s for 1,400 racks, where the load steps by ~80 kW per rack in a phase.
  const std::vector<std::string> o = {"simulation.duration_s=900"};
  const RunResult with = run_scenario(load_shipped("gb300-nvl72-campus.json", o));
  std::vector<std::string> without_o = o;
  without_o.push_back("campus.halls.0.rows.0.racks.0.type=gb300-nvl72-no-storage");
  const RunResult without = run_scenario(load_shipped("gb300-nvl72-campus.json", without_o));
  REQUIRE(with.summary["rack_storage"].is_object());
  REQUIRE(without.summary["rack_storage"].is_null());
  const double up_with = with.summary["max_ramp_up_mw_per_s"].get<double>(), up_without = without.summary["max_ramp_up_mw_per_s"].get<double>();
  const double down_with = with.summary["max_ramp_down_mw_per_s"].get<double>(),
               down_without = without.summary["max_ramp_down_mw_per_s"].get<double>();
  MESSAGE("meter ramp up " << up_with << " vs " << up_without << " MW/s, down " << down_with << " vs " << down_without
                           << " MW/s; peak " << with.summary["peak_facility_mw"].get<double>() << " vs "
                           << without.summary["peak_facility_mw"].get<double>() << " MW");
  CHECK(up_with < 0.2 * up_without);
  CHECK(down_with < 0.2 * down_without);
  const json& rs = with.summary["rack_storage"];
  CHECK(rs["max_grid_ramp_w_per_s"].get<double>() < rs["max_load_ramp_w_per_s"].get<double>());
  CHECK(rs["energy_balance_rel_error"].get<double>() <= 1e-9);
  // The same work either way: storage moves energy in time, it does not change the jobs.
  CHECK(with.summary["jobs"][0]["steps_completed"] == without.summary["jobs"][0]["steps_completed"]);
}

}  // namespace dctwin
