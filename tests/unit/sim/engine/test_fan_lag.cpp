// Node fans driven by the fan control's lagged heat (sim/engine/fan_lag.h) on tests/data/tiny.json:
// one 1-GPU job node (toy GPU 1000 W compute / 200 W communication, step 1 s + 1 s) and one idle
// node in one rack. Node heat (GPU + components): compute 1000 + 150 = 1150 W, communication
// 200 + 150 = 350 W, idle node 100 + 75 = 175 W. Fans: 50 W at full speed, floor 0.4, full speed
// at 1150 W.
#include <doctest/doctest.h>

#include <cmath>

#include <algorithm>
#include <bit>
#include <cstdint>

#include "sim/engine/fan_lag.h"
#include "sim/engine/recorder.h"
#include "sim/facility/facility.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
bool same_bits(double x, double y) { return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y); }

// The job node's fan power in output bin k: IT power less the GPUs (both nodes), the PSU losses,
// the job node's active components (150 W), the idle node's components (75 W) and fans (at the
// floor: 50 x 0.4^3 = 3.2 W), and the rack equipment (active: 200 W).
double job_fan_w(const RunResult& r, std::size_t k) {
  const Recorder& rec = r.engine.recorder;
  return rec.bin_mean_w(k, kIt) - rec.bin_mean_w(k, kGpu) - rec.bin_mean_w(k, kPsuLoss) - 150.0 - 75.0 - 3.2 - 200.0;
}
}  // namespace

TEST_CASE("fan control: at steady training the fans run at the step's mean heat, constant within the step") {
  // tau = 100 s, far above the 2 s step: the lagged heat sits at the step mean (1150 + 350) / 2 =
  // 750 W (ripple about d (1 - d) T / tau = 0.5% of the 800 W swing), so the fans draw
  // 50 x (750 / 1150)^3 = 50 x 3375 / 12167 = 13.869483 W in compute and communication alike, and the
  // compute-to-communication step of IT power is the GPUs' and PSUs' only. (Before: the fans
  // followed each phase, 50 W in compute and 50 x 0.4^3 = 3.2 W in communication, a 46.8 W step.)
  const RunResult r = run_scenario(test::load_tiny({"node_types.n1.fans.time_constant_s=100", "simulation.duration_s=20",
                                                    "simulation.output_step_s=0.5"}));
  const double expected = 50.0 * 3375.0 / 12167.0;
  double lo = 1e9, hi = -1e9;
  for (std::size_t k = 0; k < 40; ++k) {
    const double w = job_fan_w(r, k);
    CHECK(w == doctest::Approx(expected).epsilon(0.02));
    lo = std::min(lo, w), hi = std::max(hi, w);
  }
  CHECK(hi - lo < 0.3);  // W: the ripple, not the 46.8 W of instant fans
  // Energy: the recorder's fan energy is what the bins carry (exact accounting of the power used).
  CHECK(r.engine.recorder.it_energy_j().fan_w / 20.0 == doctest::Approx(expected + 3.2).epsilon(0.02));
  CHECK(r.summary["energy_balance_rel_error"].get<double>() < 1e-9);
}

TEST_CASE("fan control: a job start moves the fans with the lag, a zero time constant keeps them instant") {
  // The job starts at 5 s; its node's lagged heat rises from the idle 175 W toward the step mean
  // 750 W with tau = 100 s: over the bin [104, 105) about 750 - 575 e^(-(104.5 - 5) / 100) =
  // 537.43 W (ripple +-2 W), fans 50 x (537.43 / 1150)^3 = 5.103 W (instant: 50 or 3.2 W by phase).
  const RunResult r = run_scenario(test::load_tiny({"node_types.n1.fans.time_constant_s=100", "jobs.0.start_s=5",
                                                    "simulation.duration_s=110", "simulation.output_step_s=1"}));
  const double y = 750.0 - 575.0 * std::exp(-(104.5 - 5.0) / 100.0);
  CHECK(job_fan_w(r, 104) == doctest::Approx(50.0 * std::pow(y / 1150.0, 3)).epsilon(0.02));
  // time_constant_s 0 (tiny.json's own): the fans follow each phase, 50 W in compute, 3.2 W in
  // communication.
  const RunResult r0 = run_scenario(test::load_tiny({"jobs.0.start_s=5", "simulation.duration_s=110", "simulation.output_step_s=1"}));
  CHECK(job_fan_w(r0, 104) == doctest::Approx(3.2).epsilon(1e-9));
  CHECK(job_fan_w(r0, 105) == doctest::Approx(50.0).epsilon(1e-9));
}

TEST_CASE("fan control: CRAH fans run at the lagged air heat, not each phase's") {
  // tiny-cooling: capture 0.5 of every rack's input to liquid, the rest of the heat in the space
  // (IT + busway + UPS losses) to air; one CRAH, 2 kW at full speed, 100 W fan, floor 0.3. Node fans
  // and CRAH lagged by 1000 s, both starting settled at the step mean (GPU (1000 + 200) / 2 = 600 W,
  // the loop's settled start): over 100 s the CRAH stays at 100 x max(Q_air(600 W) / 2000, 0.3)^3,
  // moving by under 0.2 % (5 % of the way to the mean of the phases' air heat, which differs from
  // Q_air(600 W) by the PSU and UPS curves' curvature, plus a ripple of 0.05 % of the swing), and
  // the cooling power is the same in compute and communication. (Before: the CRAH followed each
  // phase: 100 x ((Q_c / 2000)^3 - 0.3^3), about 13.7 W apart.)
  const Scenario sc = test::load_tiny_cooling({"node_types.n1.fans.time_constant_s=1000", "cooling.air.crah_time_constant_s=1000",
                                               "simulation.duration_s=100", "simulation.output_step_s=1"});
  const Facility f(sc);
  auto air_w = [&](power::GpuPhase ph, double gpu_w) {
    JobState s{true, ph, gpu_w};
    s.fan_gpu_w = 600.0, s.fan_active = 1.0;
    const FacilityPower p = f.evaluate({s});
    return p.it_w + p.loss_w[0] + p.loss_w[1] - 0.5 * p.it_w;  // busway, UPS: kDistributionLossStages[0..1]
  };
  auto crah_w = [](double q) { return 100.0 * std::pow(std::max(q / 2000.0, 0.3), 3); };
  const RunResult r = run_scenario(sc);
  const double crah_mean_w = r.summary["cooling"]["energy_mwh_by_component"]["crah_fans"].get<double>() * 3.6e9 / 100.0;
  CHECK(crah_mean_w == doctest::Approx(crah_w(air_w(power::GpuPhase::Compute, 600.0))).epsilon(2e-3));
  const double instant_step_w = crah_w(air_w(power::GpuPhase::Compute, 1000.0)) - crah_w(air_w(power::GpuPhase::Communication, 200.0));
  CHECK(instant_step_w > 13.0);
  const Recorder& rec = r.engine.recorder;
  for (std::size_t k = 50; k < 60; k += 2) CHECK(std::abs(rec.bin_mean_w(k, kCooling) - rec.bin_mean_w(k + 1, kCooling)) < 0.05);
}

TEST_CASE("fan control: a job event leaves the fan piece of a cohort it did not change as it was") {
  // tiny.json with 2 one-node racks, the 2-GPU job in 2 jitter cohorts (one per rack), tau = 10 s:
  // the lag never settles (the step alternates 1150 and 350 W of heat). At the event where the
  // faster cohort ends its compute phase, the other cohort's state is unchanged and due to change
  // only later (JobRunner::next_time(cohort)), so its held fan inputs must be too (the event
  // re-evaluates only the changed cohort's racks); a changed cohort gets a new piece.
  const Scenario sc = test::load_tiny({"node_types.n1.fans.time_constant_s=10", "campus.halls.0.rows.0.racks.0.count=2",
                                       "rack_types.r1.nodes.0.count=1", "jobs.0.gpus=2",
                                       "jobs.0.jitter={\"compute_cv\": 0.2, \"cohorts\": 2}", "simulation.duration_s=30"});
  const Facility f(sc);
  REQUIRE(f.cohort_count(0) == 2);
  const std::vector<JobPlan> plans = plan_jobs(sc, f);
  const SimTime end = to_simtime(sc.duration_s);
  std::vector<JobRunner> runners;
  runners.emplace_back(sc.jobs[0], plans[0], end, sc.seed);
  FanLag fans(sc, f, plans, end);
  REQUIRE(fans.enabled());
  std::vector<JobState> state(f.cohorts());
  auto same_input = [](const JobState& a, const JobState& b) {
    return a.running == b.running && a.phase == b.phase && same_bits(a.gpu_w, b.gpu_w) && a.active_fraction == b.active_fraction &&
           a.leak_w == b.leak_w;
  };
  int kept = 0, renewed = 0;
  for (SimTime t = 0; t < end;) {
    const std::vector<JobState> before = state;
    if (runners[0].next_time() == t) {
      std::vector<SimTime> next(state.size());  // when each cohort's state can change next
      for (std::size_t c = 0; c < state.size(); ++c) {
        next[c] = runners[0].next_time(c);
        CHECK(next[c] >= t);
      }
      runners[0].advance(t);
      std::copy(runners[0].states().begin(), runners[0].states().end(), state.begin());
      fans.touch(0);
      fans.update(t, kNever, runners, state);
      const bool one_changed = same_input(before[0], state[0]) != same_input(before[1], state[1]);
      for (std::size_t c = 0; one_changed && t > 0 && c < state.size(); ++c) {
        CHECK(std::isfinite(state[c].fan_gpu_w));
        if (same_input(before[c], state[c]) && next[c] > t) {
          CHECK(same_bits(state[c].fan_gpu_w, before[c].fan_gpu_w));
          CHECK(same_bits(state[c].fan_active, before[c].fan_active));
          ++kept;
        } else if (!same_input(before[c], state[c])) {
          CHECK(!same_bits(state[c].fan_gpu_w, before[c].fan_gpu_w));
          ++renewed;
        }
      }
    } else {
      fans.update(t, kNever, runners, state);  // a fan tick
    }
    t = std::min(runners[0].next_time(), fans.next_time());
  }
  CHECK(kept >= 5);
  CHECK(renewed >= 5);
}
