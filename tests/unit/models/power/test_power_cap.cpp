// The power-cap DVFS curve (models/power/power_cap.h): the single-exponent case, the knee, the
// inverse.
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>

#include "models/power/power_cap.h"

using namespace dctwin::power;

TEST_CASE("power cap: the single-exponent form is the curve without a knee, P_s = idle") {
  // 700 W phase, 100 W static, cap 400 W, a = 3: r = 0.5, x = 0.5^(1/3).
  const CappedPhase c = apply_power_cap(700, 100, 400, 3, true);
  CHECK(c.power_w == 400);
  CHECK(c.clock_ratio == doctest::Approx(std::cbrt(0.5)).epsilon(1e-12));
  CHECK(c.slowdown == doctest::Approx(1.0 / std::cbrt(0.5)).epsilon(1e-12));
  CHECK(apply_power_cap(700, 100, 400, 3, false).slowdown == 1.0);
  CHECK(apply_power_cap(700, 100, 800, 3, true).power_w == 700);  // above the phase power: no effect
}

TEST_CASE("power cap: below the knee dynamic power falls linearly with the clock") {
  const DvfsCurve k{100, 3, 0.6};
  // Continuous at the knee: D(0.6) = 0.6^3 either way.
  CHECK(dvfs_dynamic_fraction(k, 0.6) == doctest::Approx(0.216).epsilon(1e-12));
  CHECK(dvfs_dynamic_fraction(k, 0.6 - 1e-9) == doctest::Approx(0.216).epsilon(1e-6));
  // Below: D = x * 0.6^2; halving the clock halves the dynamic power.
  CHECK(dvfs_dynamic_fraction(k, 0.3) == doctest::Approx(0.108).epsilon(1e-12));
  for (double x : {0.1, 0.3, 0.59, 0.6, 0.8, 1.0}) CHECK(dvfs_clock_ratio(k, dvfs_dynamic_fraction(k, x)) == doctest::Approx(x).epsilon(1e-12));
  // A cap leaving 10 % of the dynamic range: cubic law x = 0.464, with the floor x = 0.1/0.36 = 0.278.
  const CappedPhase c = apply_power_cap(700, k, 160, true);
  CHECK(c.clock_ratio == doctest::Approx(0.1 / 0.36).epsilon(1e-12));
  CHECK(c.slowdown > apply_power_cap(700, 100, 160, 3, true).slowdown);
}
