#include <doctest/doctest.h>

#include <initializer_list>

#include "models/power/fan.h"

using namespace dctwin::power;

namespace {
const FanParams kFans{300.0, 0.2, 10000.0};  // 300 W at full speed for 10 kW (test values)
}  // namespace

TEST_CASE("fan: affinity law by hand") {
  // design heat: s = 1 -> 300 W
  CHECK(fan_power_w(kFans, 10000.0) == doctest::Approx(300.0).epsilon(1e-12));
  // 5 kW: s = 0.5 -> 300 * 0.125 = 37.5 W
  CHECK(fan_power_w(kFans, 5000.0) == doctest::Approx(37.5).epsilon(1e-12));
  // 7.5 kW: s = 0.75 -> 300 * 0.421875 = 126.5625 W
  CHECK(fan_power_w(kFans, 7500.0) == doctest::Approx(126.5625).epsilon(1e-12));
}

TEST_CASE("fan: half heat gives one eighth of the power above minimum speed") {
  // 2.5 kW: s = 0.25 -> 4.6875 W; 5 kW -> 37.5 W; ratio 1/8
  CHECK(fan_power_w(kFans, 2500.0) == doctest::Approx(4.6875).epsilon(1e-12));
  for (double q : {4000.0, 5000.0, 8000.0, 10000.0}) {
    CHECK(fan_power_w(kFans, q / 2.0) == doctest::Approx(fan_power_w(kFans, q) / 8.0).epsilon(1e-12));
  }
}

TEST_CASE("fan: minimum speed floor") {
  // 1 kW: s = 0.1 < 0.2 -> s = 0.2 -> 300 * 0.008 = 2.4 W
  CHECK(fan_speed_fraction(kFans, 1000.0) == doctest::Approx(0.2).epsilon(1e-12));
  CHECK(fan_power_w(kFans, 1000.0) == doctest::Approx(2.4).epsilon(1e-12));
  CHECK(fan_power_w(kFans, 0.0) == doctest::Approx(2.4).epsilon(1e-12));
  CHECK(fan_power_w(kFans, -50.0) == doctest::Approx(2.4).epsilon(1e-12));
  // just above the floor the cube law resumes: 2.1 kW -> s = 0.21 -> 300 * 0.009261 = 2.7783 W
  CHECK(fan_power_w(kFans, 2100.0) == doctest::Approx(2.7783).epsilon(1e-9));
}

TEST_CASE("fan: heat above design is reported, not clipped") {
  // 12 kW: s = 1.2 -> 300 * 1.728 = 518.4 W > max_w
  CHECK(fan_speed_fraction(kFans, 12000.0) == doctest::Approx(1.2).epsilon(1e-12));
  CHECK(fan_power_w(kFans, 12000.0) == doctest::Approx(518.4).epsilon(1e-12));
  CHECK(fan_power_w(kFans, 12000.0) > kFans.max_w);
}

TEST_CASE("fan: no fans gives zero power") {
  const FanParams none{};
  CHECK(fan_power_w(none, 5000.0) == 0.0);
  CHECK(fan_power_w(none, 0.0) == 0.0);
}
