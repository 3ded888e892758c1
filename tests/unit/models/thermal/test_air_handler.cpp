#include <doctest/doctest.h>

#include <cmath>

#include "models/thermal/air_handler.h"

using namespace dctwin::thermal;

TEST_CASE("air handler: airflow and fan power by hand") {
  // 100 kW at 12 K: m = 100000 / (1006 * 12) = 8.28363 kg/s
  CHECK(air_mass_flow_kg_s(1.0e5, 12.0) == doctest::Approx(8.2836315).epsilon(1e-7));
  CHECK(air_mass_flow_kg_s(1.0e5, 10.0, 1000.0) == doctest::Approx(10.0).epsilon(1e-15));
  const AirHandlerParams crah{20.0, 15.0e3, 0.3};
  // 100 kW, 12 K: s = 8.28363/20 = 0.4141816; P = 15 kW * 0.4141816^3 = 15000 * 0.0710513 = 1065.770 W
  AirHandlerPoint op = air_handler_operate(crah, 1.0e5, 12.0);
  CHECK(op.speed == doctest::Approx(0.41418158).epsilon(1e-7));
  CHECK(op.fan_power_w == doctest::Approx(1065.7702).epsilon(1e-6));
  CHECK_FALSE(op.over_capacity);
  // light load: held at 30 % speed, 15 kW * 0.027 = 405 W
  op = air_handler_operate(crah, 1.0e4, 12.0);
  CHECK(op.speed == doctest::Approx(0.3).epsilon(1e-15));
  CHECK(op.fan_power_w == doctest::Approx(405.0).epsilon(1e-12));
  // overload: 300 kW at 12 K needs 24.85 kg/s > 20: s = 1.2425, reported, not clipped
  op = air_handler_operate(crah, 3.0e5, 12.0);
  CHECK(op.over_capacity);
  CHECK(op.speed == doctest::Approx(1.24254473).epsilon(1e-7));
  // a smaller temperature rise needs more air and more power
  double prev = -1.0;
  for (int i = 20; i >= 5; --i) {
    const double p = air_handler_operate(crah, 1.5e5, 1.0 * i).fan_power_w;
    CHECK(p > prev);
    prev = p;
  }
}

TEST_CASE("air handler: ASHRAE air classes") {
  CHECK(ashrae_recommended_range().low_c == 18.0);
  CHECK(ashrae_recommended_range().high_c == 27.0);
  CHECK(ashrae_air_inlet_status(22.0, AshraeAirClass::A1) == AirInletStatus::Recommended);
  CHECK(ashrae_air_inlet_status(27.0, AshraeAirClass::A1) == AirInletStatus::Recommended);
  CHECK(ashrae_air_inlet_status(29.0, AshraeAirClass::A1) == AirInletStatus::Allowable);
  CHECK(ashrae_air_inlet_status(32.0, AshraeAirClass::A1) == AirInletStatus::Allowable);
  CHECK(ashrae_air_inlet_status(33.0, AshraeAirClass::A1) == AirInletStatus::OutOfRange);
  CHECK(ashrae_air_inlet_status(33.0, AshraeAirClass::A2) == AirInletStatus::Allowable);
  CHECK(ashrae_air_inlet_status(36.0, AshraeAirClass::A2) == AirInletStatus::OutOfRange);
  CHECK(ashrae_air_inlet_status(39.0, AshraeAirClass::A3) == AirInletStatus::Allowable);
  CHECK(ashrae_air_inlet_status(44.0, AshraeAirClass::A3) == AirInletStatus::OutOfRange);
  CHECK(ashrae_air_inlet_status(44.0, AshraeAirClass::A4) == AirInletStatus::Allowable);
  CHECK(ashrae_air_inlet_status(46.0, AshraeAirClass::A4) == AirInletStatus::OutOfRange);
  CHECK(ashrae_air_inlet_status(14.0, AshraeAirClass::A1) == AirInletStatus::OutOfRange);
  CHECK(ashrae_air_inlet_status(12.0, AshraeAirClass::A2) == AirInletStatus::Allowable);
  CHECK(ashrae_air_inlet_status(4.0, AshraeAirClass::A4) == AirInletStatus::OutOfRange);
  // the classes nest: each allowable range contains the previous one and the recommended one
  const AshraeAirClass order[] = {AshraeAirClass::A1, AshraeAirClass::A2, AshraeAirClass::A3, AshraeAirClass::A4};
  for (int i = 0; i < 4; ++i) {
    const TemperatureRange r = ashrae_allowable_range(order[i]);
    CHECK(r.low_c <= 18.0);
    CHECK(r.high_c >= 27.0);
    if (i > 0) {
      CHECK(r.low_c <= ashrae_allowable_range(order[i - 1]).low_c);
      CHECK(r.high_c > ashrae_allowable_range(order[i - 1]).high_c);
    }
  }
}

TEST_CASE("air handler: ASHRAE liquid classes") {
  CHECK(ashrae_liquid_class_max_supply_c(AshraeLiquidClass::W17) == 17.0);
  CHECK(ashrae_liquid_class_max_supply_c(AshraeLiquidClass::W45) == 45.0);
  CHECK(std::isinf(ashrae_liquid_class_max_supply_c(AshraeLiquidClass::WPlus)));
  CHECK(ashrae_liquid_class_for_supply(15.0) == AshraeLiquidClass::W17);
  CHECK(ashrae_liquid_class_for_supply(17.0) == AshraeLiquidClass::W17);
  CHECK(ashrae_liquid_class_for_supply(17.5) == AshraeLiquidClass::W27);
  CHECK(ashrae_liquid_class_for_supply(30.0) == AshraeLiquidClass::W32);
  CHECK(ashrae_liquid_class_for_supply(40.0) == AshraeLiquidClass::W40);
  CHECK(ashrae_liquid_class_for_supply(44.0) == AshraeLiquidClass::W45);
  CHECK(ashrae_liquid_class_for_supply(50.0) == AshraeLiquidClass::WPlus);
  CHECK(ashrae_liquid_class_allows(AshraeLiquidClass::W32, 32.0));
  CHECK_FALSE(ashrae_liquid_class_allows(AshraeLiquidClass::W32, 32.5));
  CHECK(ashrae_liquid_class_allows(AshraeLiquidClass::WPlus, 60.0));
}
