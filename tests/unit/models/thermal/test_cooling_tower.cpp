#include <doctest/doctest.h>

#include "models/thermal/cooling_tower.h"

using namespace dctwin::thermal;

namespace {
// TEST VALUES: design 25.6 C wet bulb, 3.9 K approach, 5.6 K range, 400 kg/s, 75 kW fan,
// FR_min 0.2, free convection 0.125 (the last two as in an EnergyPlus example input).
CoolingTowerParams test_tower() {
  return CoolingTowerParams{25.6, 3.9, 5.6, 400.0, 75.0e3, 0.2, 0.125, yorkcalc_coefficients()};
}
constexpr double kDesignHeatW = 400.0 * 4186.0 * 5.6;  // = 9 376 640 W
}  // namespace

TEST_CASE("cooling tower: YorkCalc correlation by hand") {
  const auto c = yorkcalc_coefficients();
  // Twb = 0, Tr = 0, LG = 0: only c[0]
  CHECK(yorkcalc_approach_k(c, 0.0, 0.0, 0.0) == doctest::Approx(-0.359741205).epsilon(1e-15));
  // Twb = 0, Tr = 0, LG = 1: c[0] + c[9] + c[18] = -0.359741205 + 2.847658011 - 0.065376626 = 2.42254018
  CHECK(yorkcalc_approach_k(c, 0.0, 0.0, 1.0) == doctest::Approx(2.4225401806).epsilon(1e-10));
  // Twb = 10, Tr = 0, LG = 0: c0 + 10 c1 + 100 c2 = -0.359741205 - 0.55053608 + 0.23850432 = -0.67177297
  CHECK(yorkcalc_approach_k(c, 10.0, 0.0, 0.0) == doctest::Approx(-0.671772965).epsilon(1e-9));
  // Twb = 0, Tr = 2, LG = 0: c[0] + 2 c[3] + 4 c[6] = -0.359741205 + 0.347853754 - 0.022359398
  //   = -0.034246849
  CHECK(yorkcalc_approach_k(c, 0.0, 2.0, 0.0) == doctest::Approx(-0.034246849).epsilon(1e-8));
  // full 27-term evaluation (independent script): Twb 20, Tr 5, LG 1.2 -> 5.7605628 K
  CHECK(yorkcalc_approach_k(c, 20.0, 5.0, 1.2) == doctest::Approx(5.7605628).epsilon(1e-7));
  // EnergyPlus reference condition (25.6 C wb, 35 -> 29.4 C, LG 1): ~3.8 K approach
  CHECK(yorkcalc_approach_k(c, 25.5556, 5.5556, 1.0) == doctest::Approx(3.841).epsilon(1e-3));
}

TEST_CASE("cooling tower: design point calibration") {
  const CoolingTowerParams t = test_tower();
  const double frw = cooling_tower_reference_water_flow_ratio(t);
  CHECK(frw == doctest::Approx(1.0090439).epsilon(1e-6));
  CHECK(yorkcalc_approach_k(t.coefficients, 25.6, 5.6, frw) == doctest::Approx(3.9).epsilon(1e-9));
  // at the design heat, flow and wet bulb with the fan at full speed the water leaves at 29.5 C
  CHECK(cooling_tower_leaving_water_c(t, kDesignHeatW, 400.0, 25.6, 1.0) == doctest::Approx(29.5).epsilon(1e-9));
  const CoolingTowerPoint op = cooling_tower_operate(t, kDesignHeatW, 400.0, 25.6, 29.0);
  CHECK(op.regime == TowerRegime::FullSpeed);
  CHECK_FALSE(op.setpoint_met);
  CHECK(op.fan_power_w == doctest::Approx(75.0e3).epsilon(1e-12));
  CHECK(op.range_k == doctest::Approx(5.6).epsilon(1e-12));
  CHECK(op.entering_water_c == doctest::Approx(35.1).epsilon(1e-9));
  CHECK(op.heat_rejected_w == doctest::Approx(kDesignHeatW).epsilon(1e-15));
  CHECK(cooling_tower_within_yorkcalc_range(25.6, op.range_k, op.approach_k, op.water_flow_ratio, 1.0));
  CHECK_FALSE(cooling_tower_within_yorkcalc_range(28.0, 5.6, 3.9, 1.0, 1.0));
}

TEST_CASE("cooling tower: fan control regimes") {
  const CoolingTowerParams t = test_tower();
  // variable speed: 70 % load at 20 C wet bulb, setpoint 27 C -> FR_air 0.59750, P = 75e3*0.5975^3
  CoolingTowerPoint op = cooling_tower_operate(t, 0.7 * kDesignHeatW, 400.0, 20.0, 27.0);
  CHECK(op.regime == TowerRegime::VariableSpeed);
  CHECK(op.setpoint_met);
  CHECK(op.leaving_water_c == doctest::Approx(27.0).epsilon(1e-8));
  CHECK(op.air_flow_ratio == doctest::Approx(0.5975040).epsilon(1e-6));
  CHECK(op.fan_power_w == doctest::Approx(75.0e3 * op.air_flow_ratio * op.air_flow_ratio * op.air_flow_ratio).epsilon(1e-12));
  CHECK(op.fan_power_w == doctest::Approx(15998.67).epsilon(1e-5));
  // fan cycling: 30 % load at 10 C wb, setpoint 27: on-fraction 0.817068, P = 75e3*0.008*0.817068
  op = cooling_tower_operate(t, 0.3 * kDesignHeatW, 400.0, 10.0, 27.0);
  CHECK(op.regime == TowerRegime::FanCycling);
  CHECK(op.fan_on_fraction == doctest::Approx(0.8170683).epsilon(1e-6));
  CHECK(op.fan_power_w == doctest::Approx(490.241).epsilon(1e-5));
  CHECK(op.leaving_water_c == doctest::Approx(27.0).epsilon(1e-12));
  // free convection: 5 % load at 5 C wb, setpoint 29: fan off, water leaves at 20.396 C
  op = cooling_tower_operate(t, 0.05 * kDesignHeatW, 400.0, 5.0, 29.0);
  CHECK(op.regime == TowerRegime::FreeConvection);
  CHECK(op.fan_power_w == 0.0);
  CHECK(op.leaving_water_c == doctest::Approx(20.396267).epsilon(1e-6));
  // no heat: off
  op = cooling_tower_operate(t, 0.0, 400.0, 15.0, 29.0);
  CHECK(op.regime == TowerRegime::Off);
  CHECK(op.fan_power_w == 0.0);
}

TEST_CASE("cooling tower: approach and fan power are monotone in load and wet bulb") {
  const CoolingTowerParams t = test_tower();
  // approach at full fan grows with load (range) and falls as the wet bulb rises; the leaving
  // water temperature itself rises with the wet bulb
  for (double wb : {5.0, 15.0, 25.0}) {
    double prev = -1e9;
    for (int i = 1; i <= 12; ++i) {
      const double a = cooling_tower_leaving_water_c(t, 0.1 * i * kDesignHeatW, 400.0, wb, 1.0) - wb;
      CHECK(a > prev);
      prev = a;
    }
  }
  for (double load : {0.3, 0.6, 1.0}) {
    double prev_a = 1e9;
    double prev_t = -1e9;
    for (int i = 0; i <= 25; ++i) {
      const double wb = 1.0 * i;
      const double lv = cooling_tower_leaving_water_c(t, load * kDesignHeatW, 400.0, wb, 1.0);
      CHECK(lv - wb < prev_a);
      CHECK(lv > prev_t);
      prev_a = lv - wb;
      prev_t = lv;
    }
  }
  // fan power at a fixed 27 C setpoint never falls with load or with wet bulb
  for (double wb : {5.0, 10.0, 15.0, 20.0, 25.0}) {
    double prev = -1.0;
    for (int i = 1; i <= 10; ++i) {
      const double p = cooling_tower_operate(t, 0.1 * i * kDesignHeatW, 400.0, wb, 27.0).fan_power_w;
      CHECK(p >= prev);
      prev = p;
    }
  }
  for (double load : {0.3, 0.6, 1.0}) {
    double prev = -1.0;
    for (int i = 0; i <= 26; ++i) {
      const double p = cooling_tower_operate(t, load * kDesignHeatW, 400.0, 1.0 * i, 27.0).fan_power_w;
      CHECK(p >= prev);
      prev = p;
    }
  }
  // and at a fixed load it never falls when the setpoint is lowered
  double prev = -1.0;
  for (int i = 0; i <= 10; ++i) {
    const double p = cooling_tower_operate(t, 0.7 * kDesignHeatW, 400.0, 20.0, 30.0 - 0.4 * i).fan_power_w;
    CHECK(p >= prev);
    prev = p;
  }
}

TEST_CASE("cooling tower: water use by hand") {
  // latent heat: 9.6 MW / 2.4 MJ/kg = 4.0 kg/s evaporated; drift 8e-5 * 400 * 1.0 = 0.032 kg/s;
  // blowdown 4.0/(3-1) - 0.032 = 1.968 kg/s; make-up 4.0 + 0.032 + 1.968 = 6.0 kg/s
  const TowerInletAir air{30.0, 24.0};  // not used by LatentHeat / LossFactor
  TowerWaterParams w{EvaporationMethod::LatentHeat, 2.4e6, 0.002, 8.0e-5, 3.0};
  TowerWater u = cooling_tower_water(w, 9.6e6, 400.0, 5.6, 1.0, air);
  CHECK(u.evaporation_kg_s == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(u.drift_kg_s == doctest::Approx(0.032).epsilon(1e-12));
  CHECK(u.blowdown_kg_s == doctest::Approx(1.968).epsilon(1e-12));
  CHECK(u.makeup_kg_s == doctest::Approx(6.0).epsilon(1e-12));
  // loss factor: 0.002/K * 5.6 K * 400 kg/s = 4.48 kg/s; drift at half air
  // flow 8e-5*400*0.5 = 0.016; blowdown 4.48/2 - 0.016 = 2.224; make-up 6.72 kg/s
  TowerWaterParams e = tower_water_energyplus_defaults();
  CHECK(e.method == EvaporationMethod::SaturatedExit);
  e.method = EvaporationMethod::LossFactor;
  u = cooling_tower_water(e, 9.6e6, 400.0, 5.6, 0.5, air);
  CHECK(u.evaporation_kg_s == doctest::Approx(4.48).epsilon(1e-12));
  CHECK(u.drift_kg_s == doctest::Approx(0.016).epsilon(1e-12));
  CHECK(u.blowdown_kg_s == doctest::Approx(2.224).epsilon(1e-12));
  CHECK(u.makeup_kg_s == doctest::Approx(6.72).epsilon(1e-12));
  // more cycles of concentration -> less blowdown; 6 cycles: 4.0/5 - 0.032 = 0.768
  w.cycles_of_concentration = 6.0;
  CHECK(cooling_tower_water(w, 9.6e6, 400.0, 5.6, 1.0, air).blowdown_kg_s == doctest::Approx(0.768).epsilon(1e-12));
  // drift larger than the solids balance needs: blowdown floors at zero
  w.drift_fraction = 0.01;  // 4 kg/s drift > 4.0/5
  CHECK(cooling_tower_water(w, 9.6e6, 400.0, 5.6, 1.0, air).blowdown_kg_s == 0.0);
  // make-up rises with heat
  w = TowerWaterParams{EvaporationMethod::LatentHeat, 2.4e6, 0.002, 8.0e-5, 3.0};
  double prev = -1.0;
  for (int i = 0; i <= 10; ++i) {
    const double m = cooling_tower_water(w, i * 1.0e6, 400.0, 5.6, 1.0, air).makeup_kg_s;
    CHECK(m > prev);
    prev = m;
  }
}

TEST_CASE("cooling tower: saturated-exit evaporation by hand, below the latent-heat bound") {
  // Computed by hand (ASHRAE Fundamentals ch. 1 formulas in a separate script, bisection for the
  // saturated leaving state): V_design = 0.5 * 75 kW / 190 Pa = 197.368 m^3/s, Q = 9.4 MW per
  // cell, sea level.
  //  30 C dry bulb / 24 C wet bulb: W_in = 0.016336, v = 0.88136 m^3/kg -> m_da = 223.94 kg/s,
  //    h_in = 71.948 kJ/kg, h_out = h_in + 9.4e6/223.94 = 113.924 kJ/kg -> saturated at
  //    32.562 C, W_out = 0.031686; E = 223.94 * (0.031686 - 0.016336) = 3.4375 kg/s.
  //  5 C / 3 C (cold: more sensible heat): m_da = 248.93 kg/s, h_out = 52.521 kJ/kg -> 18.515 C,
  //    W_out = 0.013368, W_in = 0.0038754; E = 2.3631 kg/s.
  //  35 C / 20 C (hot and dry: the air is cooled by evaporation): E = 4.1344 kg/s.
  const double v = tower_design_air_flow_m3_s(75e3);
  CHECK(v == doctest::Approx(197.368421).epsilon(1e-8));
  CHECK(tower_saturated_exit_evaporation_kg_s(9.4e6, v, {30.0, 24.0}) == doctest::Approx(3.4375).epsilon(2e-4));
  CHECK(tower_saturated_exit_evaporation_kg_s(9.4e6, v, {5.0, 3.0}) == doctest::Approx(2.3631).epsilon(2e-4));
  CHECK(tower_saturated_exit_evaporation_kg_s(9.4e6, v, {35.0, 20.0}) == doctest::Approx(4.1344).epsilon(2e-4));
  // The latent-heat bound Q / h_fg = 9.4e6 / 2.43e6 = 3.868 kg/s (1.48 kg per kWh): humid and cold
  // air stay below it; the old loss factor (0.002/K * 5.6 K * 401 kg/s = 4.49 kg/s) did not.
  const double bound = 9.4e6 / 2.43e6;
  CHECK(tower_saturated_exit_evaporation_kg_s(9.4e6, v, {30.0, 24.0}) < bound);
  CHECK(tower_saturated_exit_evaporation_kg_s(9.4e6, v, {25.6, 25.6}) < 0.8 * bound);
  CHECK(tower_saturated_exit_evaporation_kg_s(9.4e6, v, {5.0, 3.0}) < 0.65 * bound);
  // no heat or no air: nothing evaporates
  CHECK(tower_saturated_exit_evaporation_kg_s(0.0, v, {30.0, 24.0}) == 0.0);
  CHECK(tower_saturated_exit_evaporation_kg_s(9.4e6, 0.0, {30.0, 24.0}) == 0.0);
  // through cooling_tower_water: air flow scales with FR_air, blowdown from cycles and drift
  TowerWaterParams w = tower_water_energyplus_defaults();
  w.design_air_flow_m3_s = v;
  const TowerWater u = cooling_tower_water(w, 9.4e6, 401.0, 5.6, 1.0, {30.0, 24.0});
  CHECK(u.evaporation_kg_s == doctest::Approx(3.4375).epsilon(2e-4));
  CHECK(u.drift_kg_s == doctest::Approx(8e-5 * 401.0).epsilon(1e-12));
  CHECK(u.blowdown_kg_s == doctest::Approx(u.evaporation_kg_s / 2.0 - u.drift_kg_s).epsilon(1e-12));
  CHECK(cooling_tower_water(w, 9.4e6, 401.0, 5.6, 0.5, {30.0, 24.0}).evaporation_kg_s ==
        doctest::Approx(tower_saturated_exit_evaporation_kg_s(9.4e6, 0.5 * v, {30.0, 24.0})).epsilon(1e-12));
}
