// The plant design (sim/plant/plant_design.h) against figures worked out by hand, and the simulated
// plant's design in summary.json against it.
#include <doctest/doctest.h>

#include "models/thermal/psychrometrics.h"
#include "sim/plant/plant_design.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

// A plant with every kind of unit: CDUs 1 MW each (N+1), CRAHs 250 kW each (N), 4 + 1 chillers
// (COP 5), 6 + 1 tower cells; facility water dT 10 K, condenser water dT 5 K.
CoolingSpec hand_spec() {
  const auto red = [](const char* text) { return *Redundancy::parse(text); };
  CoolingSpec s;
  s.cdu = CduSpec{.design_heat_w = 1e6, .tcs_flow_kg_s = 30, .fws_flow_kg_s = 30, .tcs_return_c = 45, .fws_supply_c = 30,
                  .pump_power_w = 10e3, .redundancy = red("N+1")};
  s.facility_water = {.supply_c = 30, .design_delta_t_k = 10, .loop_volume_m3 = 100, .pump_head_kpa = 200, .pump_efficiency = 0.8};
  s.air = AirSideSpec{.crah_design_heat_w = 250e3, .crah_design_fan_power_w = 5e3, .crah_min_speed = 0.3, .design_delta_t_k = 12,
                      .redundancy = red("N")};
  s.chillers = ChillerSpec{.count = 4, .redundancy = red("N+1")};
  s.chillers->params.ref_cop = 5;
  s.towers = TowerSpec{.cells = 6, .redundancy = red("N+1")};
  s.towers->params.design_fan_power_w = 30e3;
  s.towers->params.design_water_flow_kg_s = 100;
  s.condenser = {.pump_head_kpa = 150, .pump_efficiency = 0.75, .design_delta_t_k = 5};
  return s;
}

constexpr double kCp = thermal::kCpWaterJkgK;   // 4186 J/(kg K)
constexpr double kRho = thermal::kRhoWaterKgM3;  // 997 kg/m3

}  // namespace

TEST_CASE("plant design: unit counts from the heat, with their redundancy") {
  // 10 MW into the plant, 7.5 MW of it to liquid: ceil(7.5 / 1) = 8 CDUs + 1 spare; the 2.5 MW to
  // air needs 10 CRAHs of 250 kW (N: no spare).
  const PlantDesign d = plant_design(hand_spec(), 10e6, 7.5e6);
  CHECK(d.heat_w == 10e6);
  CHECK(d.liquid_heat_w == 7.5e6);
  CHECK(d.air_heat_w == 2.5e6);
  CHECK(d.cdus == 9);
  CHECK(d.crahs == 10);
  CHECK(d.duty_chillers == 4);
  CHECK(d.chillers == 5);
  CHECK(d.tower_cells == 7);
  CHECK(d.dry_coolers == 0);
  // A heat just over a whole number of units takes one more; exactly a whole number does not.
  CHECK(plant_design(hand_spec(), 10e6, 8e6).cdus == 9);
  CHECK(plant_design(hand_spec(), 10e6, 8.01e6).cdus == 10);
  // No liquid heat: no CDU, no CDU pump; all heat to air: 40 CRAHs.
  const PlantDesign all_air = plant_design(hand_spec(), 10e6, 0);
  CHECK(all_air.cdus == 0);
  CHECK(all_air.cdu_pumps_w == 0);
  CHECK(all_air.crahs == 40);
}

TEST_CASE("plant design: facility and condenser water flows and pump powers by hand") {
  const PlantDesign d = plant_design(hand_spec(), 10e6, 7.5e6);
  // m_fw = Q / (cp dT) = 10e6 / (4186 x 10) = 238.892 kg/s.
  CHECK(d.facility_water_flow_kg_s == doctest::Approx(238.8915432).epsilon(1e-9));
  // P = (m / rho) dp / eta = (238.892 / 997) x 200e3 / 0.8 = 59.903 kW.
  CHECK(d.facility_water_pump_w == doctest::Approx(238.8915432 / 997.0 * 200e3 / 0.8).epsilon(1e-9));
  CHECK(d.facility_water_pump_w == doctest::Approx(59902.59).epsilon(1e-6));
  // tau = rho V / m = 997 x 100 / 238.892 = 417.344 s.
  CHECK(d.facility_water_time_constant_s == doctest::Approx(417.3442).epsilon(1e-6));
  // m_cw = Q (1 + 1 / COP) / (cp dT_cw) = 10e6 x 1.2 / (4186 x 5) = 573.340 kg/s.
  CHECK(d.condenser_water_flow_kg_s == doctest::Approx(573.3397037).epsilon(1e-9));
  CHECK(d.condenser_water_pump_w == doctest::Approx(573.3397037 / 997.0 * 150e3 / 0.75).epsilon(1e-9));
  // The towers' own design flow: 7 cells x 100 kg/s, its pump power at that flow.
  CHECK(d.rejection_units_water_flow_kg_s == 700);
  CHECK(d.condenser_water_pump_at_units_flow_w == doctest::Approx(700 / 997.0 * 150e3 / 0.75).epsilon(1e-12));
  // Installed units at design power: 9 x 10 kW CDU pumps, 10 x 5 kW CRAH fans, 7 x 30 kW tower fans.
  CHECK(d.cdu_pumps_w == doctest::Approx(90e3).epsilon(1e-12));
  CHECK(d.crah_fans_w == 50e3);
  CHECK(d.tower_fans_w == 210e3);
  CHECK(d.dry_cooler_fans_w == 0);
  // One CRAH moves its design heat at the design air rise: 250e3 / (1006 x 12) = 20.709 kg/s.
  CHECK(d.crah.design_air_flow_kg_s == doctest::Approx(250e3 / (1006.0 * 12)).epsilon(1e-12));
}

TEST_CASE("plant design: the CDU rating point and a plant without chillers") {
  const PlantDesign d = plant_design(hand_spec(), 10e6, 7.5e6);
  // At its rating point a CDU moves its design heat over tcs_return - fws_supply = 15 K:
  // eps C_min = 1e6 / 15 W/K; C_tcs = 30 kg/s x 4180 J/(kg K).
  CHECK(d.cdu_eps_cmin_w_k == doctest::Approx(1e6 / 15).epsilon(1e-6));
  CHECK(d.cdu_tcs_capacity_rate_w_k == 30 * 4180.0);
  CoolingSpec free = hand_spec();
  free.chillers.reset();
  const PlantDesign f = plant_design(free, 10e6, 7.5e6);
  CHECK(f.chillers == 0);
  CHECK(f.duty_chillers == 0);
  CHECK(f.condenser_water_flow_kg_s == doctest::Approx(10e6 / (kCp * 5)).epsilon(1e-12));
}

TEST_CASE("plant design: the small formulas") {
  FacilityPower p;
  p.it_w = 1e6;
  p.loss_w[0] = 1e4;  // busway
  p.loss_w[1] = 2e4;  // UPS
  for (std::size_t i = 2; i < p.loss_w.size(); ++i) p.loss_w[i] = 5e5;  // outside the cooled space
  CHECK(plant_heat_w(p) == 1.03e6);
  CHECK(rejection_unit_water_flow_kg_s(kCp * 1000 * 5, 5) == doctest::Approx(1000).epsilon(1e-12));
  CHECK(water_pump_power_w(kRho, 100, 0.5) == doctest::Approx(2e5).epsilon(1e-12));  // 1 m3/s x 100 kPa / 0.5
  // Pump and fan heat into the facility water: 100 kW facility pumps -> 90 kW shaft; 10 kW CDU
  // pumps -> 9 kW shaft (+ 1 kW motor losses via the CRAHs with an air side); 20 kW CRAH fans all.
  CHECK(pump_fan_heat_to_facility_water_w(1e5, 1e4, 2e4, true) == doctest::Approx(9e4 + 1e4 + 2e4).epsilon(1e-15));
  CHECK(pump_fan_heat_to_facility_water_w(1e5, 1e4, 0, false) == doctest::Approx(9e4 + 9e3).epsilon(1e-15));
}

TEST_CASE("plant design: the simulated plant reports the design worked out from the nameplate heat") {
  const Scenario sc = test::load_tiny_cooling({"simulation.duration_s=30"});
  const RunResult r = run_scenario(sc);
  const Facility f(sc);
  const FacilityPower np = f.evaluate_nameplate();
  const PlantDesign d = plant_design(*sc.cooling, plant_heat_w(np), campus_capture_fraction(sc) * np.it_w);
  const json& c = r.summary["cooling"];
  CHECK(c["design_heat_mw"].get<double>() == d.heat_w / 1e6);
  CHECK(c["facility_water_flow_kg_s"].get<double>() == d.facility_water_flow_kg_s);
  CHECK(c["condenser_water_flow_kg_s"].get<double>() == d.condenser_water_flow_kg_s);
  CHECK(c["units_installed"]["cdus"].get<int>() == d.cdus);
  CHECK(c["units_installed"]["crahs"].get<int>() == d.crahs);
  CHECK(c["units_installed"]["chillers"].get<int>() == d.chillers);
  CHECK(c["units_installed"]["tower_cells"].get<int>() == d.tower_cells);
  CHECK(c["units_installed"]["dry_coolers"].get<int>() == d.dry_coolers);
}
