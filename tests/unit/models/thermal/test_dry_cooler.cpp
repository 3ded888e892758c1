#include <doctest/doctest.h>

#include "models/thermal/dry_cooler.h"

using namespace dctwin::thermal;

TEST_CASE("dry cooler: cross-flow effectiveness by hand") {
  // NTU 1, Cr 0.5: 1 - exp(1^0.22/0.5 * (exp(-0.5*1^0.78) - 1)) = 1 - exp(2*(0.6065307 - 1))
  //   = 1 - exp(-0.7869387) = 1 - 0.4552363 = 0.5447637
  CHECK(crossflow_unmixed_effectiveness(1.0, 0.5) == doctest::Approx(0.5447637).epsilon(1e-7));
  // Cr = 0: 1 - exp(-NTU) = 1 - e^-1 = 0.6321206
  CHECK(crossflow_unmixed_effectiveness(1.0, 0.0) == doctest::Approx(0.6321206).epsilon(1e-7));
  CHECK(crossflow_unmixed_effectiveness(0.0, 0.5) == 0.0);
  double prev = 0.0;
  for (int i = 1; i <= 50; ++i) {
    const double e = crossflow_unmixed_effectiveness(0.2 * i, 0.7);
    CHECK(e > prev);
    CHECK(e < 1.0);
    prev = e;
  }
}

TEST_CASE("dry cooler: UA split and scaling by hand") {
  // TEST VALUES: UA_d = 100 kW/K, r = 0.5 -> hA_w,d = 300 kW/K, hA_a,d = 150 kW/K
  const DryCoolerParams d{1.0e5, 30.0, 200.0, 15.0e3, 0.2, 0.5, 0.85, 0.8};
  CHECK(dry_cooler_ua_w_k(d, 30.0, 1.0) == doctest::Approx(1.0e5).epsilon(1e-12));
  // half fan speed: hA_a = 150000 * 0.5^0.8 = 150000 * 0.5743492 = 86152.38
  // UA = 1 / (1/300000 + 1/86152.38) = 66 931.38 W/K
  CHECK(dry_cooler_ua_w_k(d, 30.0, 0.5) == doctest::Approx(66931.384).epsilon(1e-7));
  // heat rejection at full speed, 0.5 MW, 30 kg/s, 20 C dry bulb:
  // C_w = 125 580, C_a = 201 200 W/K, Cr = 0.6241551, NTU = 100000/125580 = 0.7963051
  // eps = 0.4621676; T_in = 20 + 5e5/(0.4621676*125580) = 28.6149 C; T_out = 28.6149 - 3.98153 = 24.6334 C
  const DryCoolerPoint p = dry_cooler_at_speed(d, 5.0e5, 30.0, 20.0, 1.0);
  CHECK(p.effectiveness == doctest::Approx(0.46216763).epsilon(1e-7));
  CHECK(p.entering_water_c == doctest::Approx(28.6148953).epsilon(1e-8));
  CHECK(p.leaving_water_c == doctest::Approx(24.6333696).epsilon(1e-8));
  CHECK(p.approach_k == doctest::Approx(4.6333696).epsilon(1e-7));
  CHECK(p.fan_power_w == doctest::Approx(15.0e3).epsilon(1e-12));
  // energy balance: C_w (T_in - T_out) = Q
  CHECK(30.0 * kCpWaterJkgK * (p.entering_water_c - p.leaving_water_c) == doctest::Approx(5.0e5).epsilon(1e-12));
}

TEST_CASE("dry cooler: design inversion and fan control") {
  // 1 MW with water entering at 40 C, air at 30 C, 30 kg/s water, 200 kg/s air:
  // eps = 1e6 / (125580 * 10) = 0.7963051; NTU = 3.0679478; UA = 385 272.9 W/K
  const double ua = dry_cooler_ua_from_design(1.0e6, 40.0, 30.0, 30.0, 200.0);
  CHECK(ua == doctest::Approx(385272.888).epsilon(1e-8));
  const DryCoolerParams d{ua, 30.0, 200.0, 15.0e3, 0.2, 0.5, 0.85, 0.8};
  // round trip: at design the water enters at 40 C and leaves 40 - 1e6/125580 = 32.0369 C
  const DryCoolerPoint des = dry_cooler_at_speed(d, 1.0e6, 30.0, 30.0, 1.0);
  CHECK(des.entering_water_c == doctest::Approx(40.0).epsilon(1e-10));
  CHECK(des.leaving_water_c == doctest::Approx(32.0369486).epsilon(1e-8));
  // 0.8 MW at 20 C, setpoint 32 C: speed 0.247963, fan 15 kW * 0.247963^3 = 228.69 W
  DryCoolerPoint op = dry_cooler_operate(d, 0.8e6, 30.0, 20.0, 32.0);
  CHECK(op.setpoint_met);
  CHECK(op.leaving_water_c == doctest::Approx(32.0).epsilon(1e-8));
  CHECK(op.fan_speed == doctest::Approx(0.2479627).epsilon(1e-6));
  CHECK(op.fan_power_w == doctest::Approx(228.69).epsilon(1e-4));
  // hot day (30 C): speed 0.886591
  op = dry_cooler_operate(d, 0.8e6, 30.0, 30.0, 32.0);
  CHECK(op.fan_speed == doctest::Approx(0.8865910).epsilon(1e-6));
  // too hot (35 C): full speed, setpoint missed, water above 35 C
  op = dry_cooler_operate(d, 0.8e6, 30.0, 35.0, 32.0);
  CHECK(op.fan_speed == 1.0);
  CHECK_FALSE(op.setpoint_met);
  CHECK(op.leaving_water_c > 35.0);
  // cold (10 C), light load: minimum speed, water colder than the setpoint
  op = dry_cooler_operate(d, 0.1e6, 30.0, 10.0, 32.0);
  CHECK(op.fan_speed == doctest::Approx(0.2).epsilon(1e-12));
  CHECK(op.leaving_water_c == doctest::Approx(11.951376).epsilon(1e-6));
}

TEST_CASE("dry cooler: monotone in load, dry bulb and fan speed") {
  const DryCoolerParams d{385272.888, 30.0, 200.0, 15.0e3, 0.2, 0.5, 0.85, 0.8};
  double prev = -1e9;
  for (int i = 1; i <= 10; ++i) {  // approach grows with load
    const double a = dry_cooler_at_speed(d, i * 1.0e5, 30.0, 25.0, 1.0).approach_k;
    CHECK(a > prev);
    prev = a;
  }
  prev = 1e9;
  for (int i = 1; i <= 10; ++i) {  // and falls with fan speed
    const double a = dry_cooler_at_speed(d, 8.0e5, 30.0, 25.0, 0.1 * i).approach_k;
    CHECK(a < prev);
    prev = a;
  }
  prev = -1.0;
  for (int i = 0; i <= 30; ++i) {  // fan power to hold 32 C never falls as the day warms
    const double p = dry_cooler_operate(d, 8.0e5, 30.0, 5.0 + i, 32.0).fan_power_w;
    CHECK(p >= prev);
    prev = p;
  }
}
