// models/thermal/gpu_junction.h against values computed by hand (python3 for the fixed point).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "models/thermal/gpu_junction.h"

using namespace dctwin::thermal;

namespace {
// R 0.05 K/W, tau 2 s, throttle 85 °C, limit 90 °C; leakage 50 W at 60 °C, doubling every 20 K.
GpuJunctionParams params(double leak_w = 50.0) { return {0.05, 2.0, 85.0, 90.0, 60.0, leak_w, 20.0}; }
}  // namespace

TEST_CASE("gpu junction: leakage doubles every doubling_k and is zero at the reference") {
  const GpuJunctionParams p = params();
  CHECK(gpu_leakage_delta_w(p, 60.0) == doctest::Approx(0.0));
  CHECK(gpu_leakage_delta_w(p, 80.0) == doctest::Approx(50.0));    // 50 (2 - 1)
  CHECK(gpu_leakage_delta_w(p, 100.0) == doctest::Approx(150.0));  // 50 (4 - 1)
  CHECK(gpu_leakage_delta_w(p, 40.0) == doctest::Approx(-25.0));   // 50 (0.5 - 1)
  CHECK(gpu_leakage_delta_w(params(0.0), 100.0) == 0.0);
}

TEST_CASE("gpu junction: steady temperature by hand, with and without leakage") {
  // Without leakage: 30 + 0.05 x 700 = 65 °C.
  CHECK(gpu_junction_steady_c(params(0.0), 700.0, 30.0) == doctest::Approx(65.0));
  // With leakage: T = 30 + 0.05 (700 + 50 (2^((T-60)/20) - 1)) -> 65.527913 °C (dL = 10.558 W).
  const double t = gpu_junction_steady_c(params(), 700.0, 30.0);
  CHECK(t == doctest::Approx(65.52791298).epsilon(1e-9));
  CHECK(t == doctest::Approx(30.0 + 0.05 * (700.0 + gpu_leakage_delta_w(params(), t))).epsilon(1e-12));
  // Thermal runaway: R dL'/dT >= 1 everywhere above the coolant -> no equilibrium.
  const GpuJunctionParams hot{0.5, 2.0, 85.0, 90.0, 20.0, 100.0, 10.0};
  CHECK(std::isinf(gpu_junction_steady_c(hot, 700.0, 30.0)));
}

TEST_CASE("gpu junction: exact lag without leakage, converges to the fixed point at any step with it") {
  // 65 + (30 - 65) e^-1 = 52.124220 °C after one tau.
  CHECK(gpu_junction_step_c(params(0.0), 30.0, 700.0, 30.0, 2.0) == doctest::Approx(52.12421956).epsilon(1e-9));
  // Steps far longer than tau: the explicit-leakage update is a contraction onto the steady value.
  double t = 30.0;
  for (int i = 0; i < 200; ++i) t = gpu_junction_step_c(params(), t, 700.0, 30.0, 1e4);
  CHECK(t == doctest::Approx(65.52791298).epsilon(1e-9));
  // Small steps reach the same equilibrium.
  t = 30.0;
  for (int i = 0; i < 100000; ++i) t = gpu_junction_step_c(params(), t, 700.0, 30.0, 1e-3);
  CHECK(t == doctest::Approx(65.52791298).epsilon(1e-6));
}

TEST_CASE("gpu junction: the throttle limit holds throttle_c in steady state") {
  // (85 - 45) / 0.05 - 50 (2^(25/20) - 1) = 800 - 68.9207 = 731.0793 W.
  const GpuJunctionParams p = params();
  const double lim = gpu_thermal_limit_w(p, 45.0);
  CHECK(lim == doctest::Approx(731.0792885).epsilon(1e-9));
  CHECK(gpu_junction_steady_c(p, lim, 45.0) == doctest::Approx(85.0).epsilon(1e-9));
  // Warmer coolant, lower limit; without leakage simply (85 - T_c) / R.
  CHECK(gpu_thermal_limit_w(p, 55.0) < lim);
  CHECK(gpu_thermal_limit_w(params(0.0), 45.0) == doctest::Approx(800.0));
}

TEST_CASE("gpu junction: thermal runaway criterion by hand (tangency R dL'(T*) = 1)") {
  // params(): R 0.05 K/W, L_ref 50 W at 60 °C, d 20 K. By hand (python3 math):
  //   T*  = 60 + 20 log2(20 / (0.05 x 50 x ln2)) = 60 + 20 log2(11.5416) = 130.575327 °C
  //   T_c,crit(700 W) = T* - 20/ln2 - 0.05 (700 - 50) = 130.575327 - 28.853901 - 32.5 = 69.221427 °C
  //   T_c,crit(100 W) = 130.575327 - 28.853901 - 2.5 = 99.221427 °C
  const GpuJunctionParams p = params();
  CHECK(gpu_runaway_point_c(p) == doctest::Approx(130.5753275).epsilon(1e-9));
  CHECK(gpu_leakage_gain(p, gpu_runaway_point_c(p)) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(gpu_runaway_coolant_c(p, 700.0) == doctest::Approx(69.2214266).epsilon(1e-9));
  CHECK(gpu_runaway_coolant_c(p, 100.0) == doctest::Approx(99.2214266).epsilon(1e-9));
  // The steady state exists just below the critical coolant (below T*) and not just above it,
  // even 0.001 K above, where a plain fixed-point iteration crawls past the tangency for
  // ~750 iterations before escaping.
  const double below = gpu_junction_steady_c(p, 700.0, 69.2);
  CHECK(std::isfinite(below));
  CHECK(below < gpu_runaway_point_c(p));
  CHECK(std::isinf(gpu_junction_steady_c(p, 700.0, 69.2214266 + 1e-3)));
  // Point of no return at 45 °C coolant and 100 W idle: the unstable root is 172.99 °C.
  //   T = 175: 45 + 0.05 (100 + 50 (2^(115/20) - 1)) = 182.04 > 175 -> escaped;
  //   T = 170: 45 + 0.05 (100 + 50 (2^(110/20) - 1)) = 160.64 < 170 -> cools back;
  //   T = 120 < T*: not escaped whatever the power.
  CHECK(gpu_runaway_escaped(p, 175.0, 100.0, 45.0));
  CHECK_FALSE(gpu_runaway_escaped(p, 170.0, 100.0, 45.0));
  CHECK_FALSE(gpu_runaway_escaped(p, 120.0, 1000.0, 45.0));
  CHECK(gpu_runaway_escaped(p, std::numeric_limits<double>::quiet_NaN(), 100.0, 45.0));
  // Without leakage there is no runaway.
  CHECK(std::isinf(gpu_runaway_point_c(params(0.0))));
  CHECK_FALSE(gpu_runaway_escaped(params(0.0), 500.0, 100.0, 45.0));
}
