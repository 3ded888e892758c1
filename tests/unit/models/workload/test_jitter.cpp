// Per-rack jitter and stragglers (models/workload/jitter.h) and their effect on a job's steps.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/workload/jitter.h"
#include "sim/run.h"
#include "core/rng.h"
#include "tests/support.h"

using namespace dctwin;
using namespace dctwin::workload;

TEST_CASE("jitter: the normal quantile matches tabulated values") {
  // Tabulated standard normal quantiles (e.g. Abramowitz & Stegun, table 26.5).
  CHECK(normal_quantile(0.5) == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-12));
  CHECK(normal_quantile(0.001) == doctest::Approx(-3.090232306167813).epsilon(1e-12));
  CHECK(normal_quantile(1e-9) == doctest::Approx(-5.997807015007686).epsilon(1e-9));
  for (double p : {1e-6, 0.01, 0.2, 0.7, 0.99, 1 - 1e-7}) CHECK(normal_cdf(normal_quantile(p)) == doctest::Approx(p).epsilon(1e-10));
}

TEST_CASE("jitter: no spread gives every cohort the nominal time") {
  const auto m = cohort_multipliers(JitterParams{0.0, 0.0, 0.0, 8}, 1000, 0.3, 0.9, 0.5);
  REQUIRE(m.size() == 8);
  for (double x : m) CHECK(x == 1.0);
}

TEST_CASE("jitter: the last cohort carries the maximum over all racks") {
  // E[max of 1000 standard normals] = 3.2414 (order statistics tables, e.g. Harter 1961).
  // With cv = 0.02 the slowest rack's multiplier averages 1 + 0.02 * 3.2414 = 1.064828.
  const JitterParams j{0.02, 0.0, 0.0, 8};
  RngStream rng(7, "test");
  double sum = 0;
  const int n = 40000;
  for (int i = 0; i < n; ++i) {
    const auto m = cohort_multipliers(j, 1000, 1.0 - rng.uniform01(), rng.uniform01(), 0.5);
    sum += m.back();
    for (std::size_t k = 0; k + 1 < m.size(); ++k) CHECK(m[k] <= m.back());
  }
  CHECK(sum / n == doctest::Approx(1.064828).epsilon(0.002));
  // The bulk cohorts sit at fixed quantiles: cohort 0 of 7 at p = 0.5/7.
  const auto m = cohort_multipliers(j, 1000, 0.5, 0.5, 0.5);
  CHECK(m[0] == doctest::Approx(1 + 0.02 * normal_quantile(0.5 / 7)).epsilon(1e-12));
}

TEST_CASE("jitter: with stragglers the last cohort is the slowest rack in distribution, not the maximum plus s") {
  // 200 racks, cv 5 %, p = 1 %, s = 0.3: brute force (each rack its own draw) against the cohort
  // model's last multiplier, 40,000 steps each; means and the 90 % quantile agree within sampling
  // error. The former model (s added to the maximum of all racks) averaged about 0.1 higher.
  JitterParams j{0.05, 0.01, 0.3, 8};
  RngStream a(11, "brute"), b(11, "cohort");
  const int trials = 40000;
  std::vector<double> brute(trials), cohort(trials);
  for (int t = 0; t < trials; ++t) {
    double mx = 0;
    for (int r = 0; r < 200; ++r) {
      const double u_z = a.uniform01();
      mx = std::max(mx, rack_multiplier(j, u_z, a.uniform01()));
    }
    brute[t] = mx;
    const double u1 = 1.0 - b.uniform01(), u2 = b.uniform01(), u3 = 1.0 - b.uniform01();
    cohort[t] = cohort_multipliers(j, 200, std::min(u1, 1 - 1e-16), u2, std::min(u3, 1 - 1e-16)).back();
  }
  const auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  CHECK(mean(cohort) == doctest::Approx(mean(brute)).epsilon(0.002));
  std::sort(brute.begin(), brute.end());
  std::sort(cohort.begin(), cohort.end());
  CHECK(cohort[trials * 9 / 10] == doctest::Approx(brute[trials * 9 / 10]).epsilon(0.003));
  CHECK(cohort[trials / 10] == doctest::Approx(brute[trials / 10]).epsilon(0.003));
  // Hand-computed: every rack straggles (p = 1) with no spread: 1 + s.
  CHECK(cohort_multipliers(JitterParams{0.0, 1.0, 0.3, 4}, 50, 0.5, 0.5, 0.5).back() == doctest::Approx(1.3));
  // One rack, no straggler: its own quantile; a straggler: the same u_straggler_max quantile plus s.
  CHECK(cohort_multipliers(JitterParams{0.1, 0.5, 0.3, 2}, 1, 0.5, 0.7, 0.9).back() == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(cohort_multipliers(JitterParams{0.1, 0.5, 0.3, 2}, 1, 0.5, 0.2, workload::normal_cdf(1.0)).back() ==
        doctest::Approx(1.4).epsilon(1e-9));
}

TEST_CASE("jitter: a straggler sets the step end, the others wait at communication power") {
  // tiny.json with the job on both 1-GPU nodes (2 cohorts), straggler probability 1, slowdown 0.5,
  // no spread: each step the slow cohort computes 1.5 s, the other 1 s and then waits 0.5 s at
  // the communication power (200 W): step = 1.5 + 1 = 2.5 s; 101 s -> 40 steps (the 40th ends at
  // 100 s; a step ending exactly at the end of the run would not count).
  const Scenario sc = test::load_tiny({"simulation.duration_s=101", "simulation.output_step_s=0.5", "jobs.0.gpus=2",
                                       R"(jobs.0.jitter={"compute_cv":0,"straggler_probability":1,"straggler_slowdown":0.5,"cohorts":2})"});
  const RunResult r = run_scenario(sc);
  CHECK(r.summary["jobs"][0]["steps_completed"].get<int>() == 40);
  const auto& rec = r.engine.recorder;
  CHECK(rec.bin_mean_w(0, kGpu) == doctest::Approx(2000.0).epsilon(1e-12));  // both computing
  CHECK(rec.bin_mean_w(2, kGpu) == doctest::Approx(1200.0).epsilon(1e-12));  // one waits, one straggles
  CHECK(rec.bin_mean_w(3, kGpu) == doctest::Approx(400.0).epsilon(1e-12));   // both communicate
  CHECK(r.summary["dominant_frequency_hz"].get<double>() == doctest::Approx(0.4).epsilon(0.01));
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
}

TEST_CASE("jitter: spread lengthens the steps of a large job as the expected maximum says") {
  // 100K-GPU campus, first job 65,536 GPUs; cv 2 %: its racks' maximum lengthens compute by
  // about cv * E[max of n normals]; check the mean step period against the plan within 1 %.
  LoadOptions lo;
  // Without the shipped job's failures and checkpoints, whose pauses would lengthen the mean period.
  lo.overrides = {"simulation.duration_s=600", R"(jobs.0.jitter={"compute_cv":0.02})", "jobs.0.failures.node_mtbf_h=1e9",
                  "jobs.0.checkpoint.interval_s=3.2e8"};
  const Scenario sc = load_scenario_file(test::source_path("scenarios/campus-100k-h100.json"), lo);
  const RunResult r = run_scenario(sc);
  const json& job = r.summary["jobs"][0];
  const double racks = static_cast<double>(r.engine.plans[0].racks);
  double compute = 0;
  for (const auto& ph : job["step_phases"])
    if (ph["phase"] == "compute") compute = ph["duration_s"].get<double>();
  // E[max of n standard normals] by numerical integration of n z phi(z) Phi(z)^(n-1).
  double emax = 0;
  for (double z = -10; z < 10; z += 1e-4)
    emax += z * racks * std::exp(-z * z / 2) / std::sqrt(2 * M_PI) * std::pow(normal_cdf(z), racks - 1) * 1e-4;
  const double expected_period = job["step_period_s"].get<double>() + compute * 0.02 * emax;
  const double steps = job["steps_completed"].get<double>();
  const double measured_period = 600.0 / (steps + 0.5);  // +half a step for the unfinished one
  CHECK(measured_period == doctest::Approx(expected_period).epsilon(0.01));
}
