#include <doctest/doctest.h>

#include "models/thermal/rack_heat.h"

using namespace dctwin::thermal;

TEST_CASE("rack heat: split by liquid-capture fraction") {
  // liquid-cooled rack, 132 kW, a scenario's capture fraction 0.85: 112.2 kW liquid, 19.8 kW air
  const RackHeatSplit s = rack_heat_split(132.0e3, 0.85);
  CHECK(s.liquid_w == doctest::Approx(112.2e3));
  CHECK(s.air_w == doctest::Approx(19.8e3));
  CHECK(s.liquid_w + s.air_w == doctest::Approx(132.0e3).epsilon(1e-15));
  // air-cooled DGX H100 rack (fraction 0): everything to air
  const RackHeatSplit a = rack_heat_split(4 * 10.2e3, 0.0);
  CHECK(a.liquid_w == 0.0);
  CHECK(a.air_w == doctest::Approx(40.8e3));
  CHECK(rack_heat_split(1000.0, 1.0).air_w == 0.0);
}

TEST_CASE("rack heat: coolant rise and flow") {
  // 112.2 kW into 2.0 kg/s of water: 112200 / (2 * 4180) = 13.4211 K
  CHECK(coolant_rise_k(112.2e3, 2.0, 4180.0) == doctest::Approx(13.42105).epsilon(1e-6));
  // 19.8 kW of air at 10 K rise: 19800 / (1006 * 10) = 1.96819 kg/s
  CHECK(coolant_flow_for_rise_kg_s(19.8e3, 10.0, 1006.0) == doctest::Approx(1.968191).epsilon(1e-6));
  // round trip
  const double m = coolant_flow_for_rise_kg_s(5.0e4, 7.0, 4180.0);
  CHECK(coolant_rise_k(5.0e4, m, 4180.0) == doctest::Approx(7.0));
}
