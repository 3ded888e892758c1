#include <doctest/doctest.h>

#include <cmath>

#include "models/power/pcc.h"

using namespace dctwin::power;

TEST_CASE("pcc: impedance and voltage change by hand") {
  // 138 kV, 2000 MVA, X/R 10: Z = 138e3^2 / 2e9 = 9.522 ohm; R = Z / sqrt(101) = 0.94748; X = 9.4748.
  const PccGrid g{138e3, 2e9, 10};
  CHECK(pcc_resistance_ohm(g) == doctest::Approx(9.522 / std::sqrt(101.0)).epsilon(1e-4));
  CHECK(pcc_reactance_ohm(g) == doctest::Approx(10 * 9.522 / std::sqrt(101.0)).epsilon(1e-4));
  // dP = 20 MW, dQ = 0: dV/V = 20e6 / (2e9 sqrt(101)) = 0.0995 %.
  CHECK(pcc_relative_voltage_change(g, 20e6, 0) == doctest::Approx(20e6 / (2e9 * std::sqrt(101.0))).epsilon(1e-9));
  // dQ weighs X/R times more than dP: 2 Mvar = 20 MW.
  CHECK(pcc_relative_voltage_change(g, 0, 2e6) == doctest::Approx(pcc_relative_voltage_change(g, 20e6, 0)).epsilon(1e-9));
  const auto v = pcc_voltage_pu(g, {10e6, 30e6, 10e6}, {1e6, 1e6, 3e6});
  REQUIRE(v.size() == 3);
  CHECK(v[0] == 1);
  CHECK(v[1] == doctest::Approx(1 - 20e6 / (2e9 * std::sqrt(101.0))));
  CHECK(v[2] == doctest::Approx(v[1]));
  CHECK(pcc_voltage_pu(g, {1, 2}, {1}).empty());
}
