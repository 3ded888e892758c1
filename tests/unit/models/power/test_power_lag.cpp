// models/power/power_lag.h by hand, and the lag in a run (tests/data/tiny.json: one toy GPU,
// 1 s compute at 1000 W, 1 s communication at 200 W, idle 100 W).
#include <doctest/doctest.h>

#include <cmath>

#include "models/power/power_lag.h"
#include "sim/engine/engine.h"
#include "tests/support.h"

using namespace dctwin;
using power::PowerLag;

TEST_CASE("power lag: each quantum holds the exact mean of the exponential, and it settles") {
  PowerLag lag({0.1, 0.2}, 100.0);
  CHECK(std::isinf(lag.next_change()));
  lag.set_target(0.0, 1000.0);  // rise, tau 0.1 s, quantum 0.05 s
  // mean over [0, 0.05) of 1000 - 900 e^(-t/0.1) = 1000 - 900 x 2 x (1 - e^-0.5) = 291.7552 W
  CHECK(lag.output_w() == doctest::Approx(1000.0 - 1800.0 * (1.0 - std::exp(-0.5))).epsilon(1e-12));
  CHECK(lag.output_w() == doctest::Approx(291.7552).epsilon(1e-6));
  CHECK(lag.next_change() == doctest::Approx(0.05));
  // Energy of the staircase until it settles = the exact integral over the same span.
  double e = 0, t = 0;
  while (!std::isinf(lag.next_change())) {
    e += lag.output_w() * (lag.next_change() - t);
    t = lag.next_change();
    lag.advance(t);
  }
  // Settles when 900 e^(-k/2) <= 9 W (1 % of the swing): k = 10, t = 0.5 s.
  CHECK(t == doctest::Approx(0.5));
  CHECK(lag.output_w() == 1000.0);
  CHECK(e == doctest::Approx(500.0 - 90.0 * (1.0 - std::exp(-5.0))).epsilon(1e-12));
  // A fall uses tau_fall (quantum 0.1 s): mean over [0.5, 0.6) of 200 + 800 e^(-t/0.2).
  lag.set_target(0.5, 200.0);
  CHECK(lag.next_change() == doctest::Approx(0.6));
  CHECK(lag.output_w() == doctest::Approx(200.0 + 1600.0 * (1.0 - std::exp(-0.5))).epsilon(1e-12));
}

TEST_CASE("power lag: a new target mid-transition starts from the exact current power") {
  PowerLag lag({0.1, 0.1}, 0.0);
  lag.set_target(0.0, 1000.0);
  lag.set_target(0.1, 0.0);  // p(0.1) = 1000 (1 - e^-1) = 632.12 W, now falling
  // mean over the next 0.05 s of 632.12 e^(-t/0.1) = 632.12 x 2 (1 - e^-0.5)
  const double p = 1000.0 * (1.0 - std::exp(-1.0));
  CHECK(lag.output_w() == doctest::Approx(p * 2.0 * (1.0 - std::exp(-0.5))).epsilon(1e-12));
}

TEST_CASE("power lag: in a run, GPU energy changes by the lags' energy by hand") {
  // tau rise 0.1 s, fall 0.2 s; each transition settles after 10 quanta (remainder e^-5).
  // Over 10 s: rises at 0 (100 -> 1000 W) and 2, 4, 6, 8 (200 -> 1000 W) lose 900 x 0.1 (1 - e^-5)
  // and 4 x 800 x 0.1 (1 - e^-5) J; falls at 1, 3, 5, 7, 9 (1000 -> 200 W) add 5 x 800 x 0.2 (1 - e^-5) J.
  const std::string lag = "gpu_profiles.toy-gpu.power_lag={\"tau_rise_s\": 0.1, \"tau_fall_s\": 0.2}";
  const std::string src = "gpu_profiles.toy-gpu.sources.power_lag=\"assumption: test values\"";
  const Scenario plain = test::load_tiny(), lagged = test::load_tiny({lag, src});
  const Facility fp(plain), fl(lagged);
  const EngineResult a = run_engine(plain, fp), b = run_engine(lagged, fl);
  const double rem = 1.0 - std::exp(-5.0);
  const double expected = 5 * 800 * 0.2 * rem - (900 * 0.1 * rem + 4 * 800 * 0.1 * rem);  // +387.36 J
  CHECK(b.recorder.it_energy_j().gpu_w - a.recorder.it_energy_j().gpu_w == doctest::Approx(expected).epsilon(1e-6));
  CHECK(b.job_stats[0].steps_completed == a.job_stats[0].steps_completed);  // timing unchanged
  // A profile with a lag but no provenance is an input error naming the key.
  try {
    test::load_tiny({lag});
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("sources.power_lag") != std::string::npos);
  }
}
