// Node fans driven by the fan control's lagged heat (sim/engine/fan_lag.h) on tests/data/tiny.json:
// one 1-GPU job node (toy GPU 1000 W compute / 200 W communication, step 1 s + 1 s) and one idle
// node in one rack. Node heat (GPU + components): compute 1000 + 150 = 1150 W, communication
// 200 + 150 = 350 W, idle node 100 + 75 = 175 W. Fans: 50 W at full speed, floor 0.4, full speed
// at 1150 W.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/engine/recorder.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
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
