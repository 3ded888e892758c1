#include <doctest/doctest.h>

#include "models/thermal/pump.h"

using namespace dctwin::thermal;

TEST_CASE("pump: power from flow and head by hand") {
  // 0.1 m^3/s at 300 kPa: hydraulic 30 kW; at 75 % wire-to-water 40 kW
  CHECK(pump_hydraulic_power_w(0.1, 3.0e5) == doctest::Approx(30000.0).epsilon(1e-15));
  CHECK(pump_power_w(0.1, 3.0e5, 0.75) == doctest::Approx(40000.0).epsilon(1e-12));
  // 30 m of water at 998.2 kg/m^3: 998.2 * 9.80665 * 30 = 293 669.9 Pa
  CHECK(pump_head_pa_from_m(30.0, 998.2) == doctest::Approx(293669.94).epsilon(1e-8));
}

TEST_CASE("pump: affinity laws by hand") {
  const PumpDesign d{0.1, 3.0e5, 0.75, 0.3};  // P_d = 40 kW
  PumpPoint p = pump_at_speed(d, 0.5);
  CHECK(p.flow_m3_s == doctest::Approx(0.05).epsilon(1e-15));
  CHECK(p.head_pa == doctest::Approx(75000.0).epsilon(1e-15));
  CHECK(p.power_w == doctest::Approx(5000.0).epsilon(1e-12));  // 40 kW / 8
  // flow control: 0.08 m^3/s -> s = 0.8, P = 40 kW * 0.512 = 20 480 W
  p = pump_for_flow(d, 0.08);
  CHECK(p.speed == doctest::Approx(0.8).epsilon(1e-15));
  CHECK(p.power_w == doctest::Approx(20480.0).epsilon(1e-12));
  // below the minimum speed: 0.01 m^3/s -> s = 0.3, P = 40 kW * 0.027 = 1080 W, flow 0.03
  p = pump_for_flow(d, 0.01);
  CHECK(p.speed == doctest::Approx(0.3).epsilon(1e-15));
  CHECK(p.power_w == doctest::Approx(1080.0).epsilon(1e-12));
  CHECK(p.flow_m3_s == doctest::Approx(0.03).epsilon(1e-15));
  // above design: not clipped, 0.12 -> s 1.2, P = 40 kW * 1.728 = 69 120 W
  CHECK(pump_for_flow(d, 0.12).power_w == doctest::Approx(69120.0).epsilon(1e-12));
}

TEST_CASE("pump: consistency and monotonicity") {
  const PumpDesign d{0.25, 2.0e5, 0.7, 0.0};
  double prev = -1.0;
  for (int i = 0; i <= 20; ++i) {
    const PumpPoint p = pump_at_speed(d, 0.05 * i);
    // affinity point equals V dp / eta at that point (efficiency unchanged)
    CHECK(p.power_w == doctest::Approx(pump_power_w(p.flow_m3_s, p.head_pa, 0.7)).epsilon(1e-12));
    CHECK(p.power_w > prev);
    prev = p.power_w;
  }
}

TEST_CASE("pump: heat into the fluid, EnergyPlus defaults") {
  // 40 kW electric, motor efficiency 0.9, no motor losses to the fluid: shaft 36 kW into the water.
  CHECK(pump_heat_to_fluid_w(40000.0) == doctest::Approx(36000.0).epsilon(1e-15));
  // half of the 4 kW motor losses to the fluid (a canned motor cooled by it): 36 + 2 = 38 kW
  CHECK(pump_heat_to_fluid_w(40000.0, 0.9, 0.5) == doctest::Approx(38000.0).epsilon(1e-15));
  CHECK(pump_heat_to_fluid_w(40000.0, 0.9, 1.0) == doctest::Approx(40000.0).epsilon(1e-15));
}
