#include <doctest/doctest.h>

#include <cmath>

#include "models/thermal/chiller.h"
#include "models/thermal/cooling_tower.h"
#include "models/thermal/economizer.h"

using namespace dctwin::thermal;

namespace {
struct PlantState {
  ChillerStaging chillers;
  CoolingTowerPoint tower;
  double cond_entering_c;
};

// Chillers (DOE-2 centrifugal curves, 3.5 MW each, 4+1) rejecting to a YorkCalc tower; the
// condenser entering temperature is the tower leaving temperature: fixed-point iteration.
PlantState solve_plant(double load_w, double wet_bulb_c, double tower_setpoint_c) {
  const ChillerParams ch = chiller_doe2_centrifugal(3.5e6);
  const CoolingTowerParams tw{25.6, 3.9, 5.6, 720.0, 150.0e3, 0.2, 0.125, yorkcalc_coefficients()};
  PlantState s{};
  s.cond_entering_c = tower_setpoint_c;
  for (int i = 0; i < 100; ++i) {
    s.chillers = chiller_plant_stage(ch, 4, 1, 0, 0.9, load_w, 6.67, s.cond_entering_c);
    s.tower = cooling_tower_operate(tw, s.chillers.total_condenser_heat_w, 720.0, wet_bulb_c,
                                    tower_setpoint_c);
    const double next = s.tower.leaving_water_c;
    if (std::fabs(next - s.cond_entering_c) < 1e-12) break;
    s.cond_entering_c = next;
  }
  return s;
}
}  // namespace

TEST_CASE("plant balance: heat rejected at the tower = chiller load + chiller power") {
  for (double load : {2.0e6, 5.0e6, 9.0e6, 12.0e6}) {
    for (double wb : {12.0, 20.0, 25.6}) {
      const PlantState s = solve_plant(load, wb, 29.4);
      const double expected = load + s.chillers.total_power_w;
      CHECK(s.chillers.total_unmet_w == 0.0);
      CHECK(s.tower.heat_rejected_w == doctest::Approx(expected).epsilon(1e-9));
      // and the water side carries it: m cp range = Q
      CHECK(720.0 * kCpWaterJkgK * s.tower.range_k == doctest::Approx(expected).epsilon(1e-9));
      // the loop closed: the chillers saw the tower's leaving water
      CHECK(s.cond_entering_c == doctest::Approx(s.tower.leaving_water_c).epsilon(1e-9));
    }
  }
}

TEST_CASE("plant balance: hot wet bulb costs chiller power") {
  // at 9 MW the tower cannot reach 29.4 C at a 25.6 C wet bulb, the condenser water runs warmer
  // and the chillers draw more than at 12 C wet bulb (where the tower holds 29.4 C)
  const PlantState cool = solve_plant(9.0e6, 12.0, 29.4);
  const PlantState hot = solve_plant(9.0e6, 25.6, 29.4);
  CHECK(cool.tower.setpoint_met);
  CHECK(hot.cond_entering_c > cool.cond_entering_c);
  CHECK(hot.chillers.total_power_w > cool.chillers.total_power_w);
}

TEST_CASE("plant balance: economizer split conserves the load") {
  // 6 MW, return 18 C, supply 12 C, tower water 13 C, 2 K approach: half free, half chillers;
  // the chillers' condenser heat is their half plus their power
  const EconomizerPoint e = waterside_economizer(6.0e6, 18.0, 12.0, 13.0, 2.0);
  const ChillerStaging st =
      chiller_plant_stage(chiller_doe2_centrifugal(3.5e6), 4, 1, 0, 0.9, e.chiller_load_w, 7.0, 29.4);
  CHECK(e.free_load_w + e.chiller_load_w == doctest::Approx(6.0e6).epsilon(1e-12));
  CHECK(st.total_condenser_heat_w == doctest::Approx(3.0e6 + st.total_power_w).epsilon(1e-12));
}
