#include <doctest/doctest.h>

#include <cmath>

#include "models/power/power_factor.h"

using namespace dctwin::power;

TEST_CASE("power factor: the ENERGY STAR server PSU points, between them and beyond") {
  CHECK(psu_power_factor(0.10) == doctest::Approx(0.65));
  CHECK(psu_power_factor(0.20) == doctest::Approx(0.80));
  CHECK(psu_power_factor(0.50) == doctest::Approx(0.90));
  CHECK(psu_power_factor(1.00) == doctest::Approx(0.95));
  CHECK(psu_power_factor(0.35) == doctest::Approx(0.85));    // halfway between 20 % and 50 %
  CHECK(psu_power_factor(0.75) == doctest::Approx(0.925));   // halfway between 50 % and 100 %
  CHECK(psu_power_factor(0.0) == doctest::Approx(0.65));     // held below 10 %
  CHECK(psu_power_factor(1.2) == doctest::Approx(0.95));     // held above 100 %
}

TEST_CASE("power factor: reactive power by hand") {
  // PF 0.8: S = P / 0.8, Q = sqrt(S^2 - P^2) = 0.75 P.
  CHECK(reactive_power_var(1000, 0.8) == doctest::Approx(750));
  CHECK(reactive_power_var(1000, 1.0) == doctest::Approx(0));
  // A 3.3 kW PSU at 50 % load drawing 1719 W: PF 0.90, Q = 1719 tan(acos 0.9) = 832.6 var.
  CHECK(reactive_power_var(1719, psu_power_factor(0.5)) == doctest::Approx(1719 * std::tan(std::acos(0.9))).epsilon(1e-12));
}
