// The coupled cooling plant (sim/plant/cooling_plant.h) on tests/data/tiny-cooling.json: heat balance,
// PUE by hand, the cooling column, and input errors naming the JSON path.
#include <doctest/doctest.h>

#include <cmath>

#include "models/thermal/pump.h"
#include "sim/run.h"
#include "sim/plant/cooling_plant.h"
#include "sim/output/results.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
Scenario load_cooled(std::vector<std::string> overrides = {}) { return test::load_tiny_cooling(std::move(overrides)); }

std::string input_error(const std::vector<std::string>& overrides) {
  try {
    load_cooled(overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("cooling: without a cooling object nothing changes and cooling stays null") {
  const Scenario sc = test::load_tiny();
  CHECK_FALSE(sc.cooling.has_value());
  const RunResult r = run_scenario(sc);
  CHECK(r.summary["cooling_modelled"] == false);
  CHECK(r.summary["cooling_energy_mwh"].is_null());
  CHECK(r.summary["pue"].is_null());
  CHECK(r.engine.cooling == nullptr);
  CHECK(timeseries_csv(r.engine.recorder).find("cooling_mw") == std::string::npos);
}

TEST_CASE("cooling: the default scenario has cooling null unless it has a cooling block") {
  const Scenario sc = load_default_scenario({{"simulation.duration_s=5"}});
  const RunResult r = run_scenario(sc);
  CHECK(r.summary["cooling_modelled"].get<bool>() == sc.cooling.has_value());
  if (!sc.cooling) CHECK(r.summary["pue"].is_null());
}

TEST_CASE("cooling: heat balance closes to 1e-6 at any thermal step, with a changing load") {
  for (const char* step : {"1", "0.3", "7", "60"}) {
    CAPTURE(step);
    const Scenario sc = load_cooled({"simulation.duration_s=600", "simulation.thermal_step_s=" + std::string(step)});
    const RunResult r = run_scenario(sc);
    const json& c = r.summary["cooling"];
    CHECK(c["heat_balance_rel_error"].get<double>() <= 1e-6);
    const double absorbed = c["heat_absorbed_mwh"].get<double>();
    CHECK(std::abs(absorbed - c["heat_to_plant_mwh"].get<double>() - c["heat_stored_mwh"].get<double>()) <= 1e-6 * absorbed);
    // Heat in the space: IT + busway + UPS losses.
    const json& s = r.summary;
    const double space = s["it_energy_mwh"].get<double>() + s["losses_mwh_by_stage"]["busway"].get<double>() +
                         s["losses_mwh_by_stage"]["ups"].get<double>();
    // ... + the pumps' and fans' heat into the facility water (the system balance run_scenario checks).
    CHECK(absorbed == doctest::Approx(space + c["pump_and_fan_heat_mwh"].get<double>()).epsilon(1e-9));
    CHECK(c["pump_and_fan_heat_mwh"].get<double>() > 0);
    CHECK(c["liquid_heat_mwh"].get<double>() == doctest::Approx(0.5 * s["it_energy_mwh"].get<double>()).epsilon(1e-9));
    CHECK(s["energy_balance_rel_error"].get<double>() <= 1e-9);
  }
}

TEST_CASE("cooling: meter = IT + losses + cooling, PUE = facility / IT, the CSV gets cooling_mw") {
  const Scenario sc = load_cooled({"simulation.duration_s=100"});
  const RunResult r = run_scenario(sc);
  const json& s = r.summary;
  CHECK(s["cooling_modelled"] == true);
  const double it = s["it_energy_mwh"].get<double>(), cool = s["cooling_energy_mwh"].get<double>();
  const double fac = s["facility_energy_mwh"].get<double>();
  CHECK(fac == doctest::Approx(it + s["losses_energy_mwh"].get<double>() + cool).epsilon(1e-12));
  CHECK(s["pue"].get<double>() == doctest::Approx(fac / it).epsilon(1e-12));
  CHECK(s["pue"].get<double>() > 1.0);
  const std::string csv = timeseries_csv(r.engine.recorder);
  CHECK(csv.substr(0, csv.find('\n')).find(",cooling_mw") != std::string::npos);
  // Bins add up to the totals.
  const Recorder& rec = r.engine.recorder;
  double sum = 0;
  for (std::size_t k = 0; k < rec.bin_count(); ++k) sum += rec.bin_mean_w(k, kCooling) * to_seconds(rec.bin_length(k));
  CHECK(sum == doctest::Approx(rec.energy_j()[kCooling]).epsilon(1e-12));
  CHECK(s["peak_facility_mw"].get<double>() >= s["peak_it_mw"].get<double>());
}

TEST_CASE("cooling: PUE by hand on a plant whose only loads are constant pumps") {
  // All IT heat to liquid (the busway and UPS losses go to air: CRAH fans set to 0 W), dry coolers with no fan power, full free cooling in -20 °C air:
  // the cooling power is the facility water pump + condenser pump + CDU pump, all constant.
  const Scenario sc = load_cooled(
      {"simulation.duration_s=50", "cooling.liquid_capture.default_fraction=1", "cooling.air.crah_fan_power_kw=0",
       "cooling.weather.design_day={\"dry_bulb_c\": -20, \"daily_range_k\": 0, \"wet_bulb_c\": -21}",
       "cooling.heat_rejection={\"dry_coolers\": {\"count\": 1, \"redundancy\": \"N\", \"design_heat_kw\": 5, "
       "\"design_entering_water_c\": 30, \"design_dry_bulb_c\": 20, \"design_range_k\": 5, \"design_air_flow_kg_s\": 2, "
       "\"fan_power_kw\": 0, \"leaving_setpoint_c\": 29}, "
       "\"chillers\": {\"count\": 1, \"redundancy\": \"N\", \"ref_capacity_kw\": 10, \"ref_cop\": 5.5, \"curve_set\": \"doe2-centrifugal-5.5cop\"}, "
       "\"condenser_water\": {\"design_delta_t_k\": 5.6, \"pump_head_kpa\": 150, \"pump_efficiency\": 0.7}, "
       "\"economizer\": {\"enabled\": true, \"hx_approach_k\": 2}}"});
  const Facility facility(sc);
  const FacilityPower np = facility.evaluate_nameplate();
  const double q_design = np.it_w + np.loss_w[0] + np.loss_w[1];
  const double m_fw = q_design / (4186.0 * 6.0);
  const double m_cw = q_design * (1 + 1 / 5.5) / (4186.0 * 5.6);
  const double n_cdu = std::ceil(np.it_w / 2000.0);  // 2 kW CDUs for the liquid (= IT) nameplate heat
  CHECK(n_cdu == 2);
  const double p_cool = m_fw / 997.0 * 200e3 / 0.7 + m_cw / 997.0 * 150e3 / 0.7 + n_cdu * 50.0;  // CDU pumps 0.05 kW each
  const RunResult r = run_scenario(sc);
  const json& s = r.summary;
  CHECK(s["cooling_energy_mwh"].get<double>() == doctest::Approx(p_cool * 50 / 3.6e9).epsilon(1e-9));
  const double it = s["it_energy_mwh"].get<double>();
  const double pue = (it + s["losses_energy_mwh"].get<double>() + p_cool * 50 / 3.6e9) / it;
  CHECK(s["pue"].get<double>() == doctest::Approx(pue).epsilon(1e-9));
  CHECK(s["chiller_hours"].get<double>() == 0.0);
  CHECK(s["free_cooling_hours"]["full"].get<double>() == doctest::Approx(50.0 / 3600).epsilon(1e-9));
  CHECK(s["water_m3"].get<double>() == 0.0);
  CHECK(s["alarms"].empty());

  // The pumps' heat reaches the plant. Facility water pumps: shaft power 0.9 P_fw into the loop
  // (motor losses to the plant room, EnergyPlus defaults, models/thermal/pump.h); CDU pumps: all
  // of 2 x 50 W (shaft heat via the CDUs, motor losses to the hall air the CRAHs cool; the busway
  // and UPS losses give this plant an air side); CRAH fans 0 W. Condenser pumps: 0.9 P_cw into
  // the condenser water, rejected outdoors with the loop's heat (no chiller runs).
  const json& c = s["cooling"];
  const double p_fw = m_fw / 997.0 * 200e3 / 0.7, p_cw = m_cw / 997.0 * 150e3 / 0.7;
  const double loop_heat_mwh = (0.9 * p_fw + n_cdu * 50.0) * 50 / 3.6e9;
  CHECK(c["pump_and_fan_heat_mwh"].get<double>() == doctest::Approx(loop_heat_mwh).epsilon(1e-9));
  const double space = it + s["losses_mwh_by_stage"]["busway"].get<double>() + s["losses_mwh_by_stage"]["ups"].get<double>();
  CHECK(c["heat_absorbed_mwh"].get<double>() == doctest::Approx(space + loop_heat_mwh).epsilon(1e-9));
  CHECK(c["heat_to_plant_mwh"].get<double>() + c["heat_stored_mwh"].get<double>() ==
        doctest::Approx(space + loop_heat_mwh).epsilon(1e-9));
  CHECK(c["condenser_pump_heat_mwh"].get<double>() == doctest::Approx(0.9 * p_cw * 50 / 3.6e9).epsilon(1e-9));
  CHECK(c["heat_rejected_outdoors_mwh"].get<double>() ==
        doctest::Approx(c["heat_to_plant_mwh"].get<double>() + 0.9 * p_cw * 50 / 3.6e9).epsilon(1e-9));
  CHECK(c["heat_balance_rel_error"].get<double>() <= 1e-9);
}

TEST_CASE("cooling: alarms when the facility water and the rack inlet exceed their classes") {
  // A supply setpoint of 35 °C is above W32, and the supply air it allows, 35 + 4 K coil approach,
  // is above A1's 32 °C.
  const Scenario sc =
      load_cooled({"simulation.duration_s=30", "cooling.facility_water.supply_c=35", "cooling.air.supply_air_c=39"});
  const RunResult r = run_scenario(sc);
  const json& al = r.summary["alarms"];
  REQUIRE(al.size() >= 2);
  bool fw = false, air = false;
  for (const auto& a : al) {
    if (a["kind"] == "facility_water_above_class") {
      fw = true;
      CHECK(a["limit"].get<double>() == 32.0);
      CHECK(a["start_s"].get<double>() == 0.0);
      CHECK(a["end_s"].get<double>() == doctest::Approx(30.0));  // one interval, not one per step
    }
    if (a["kind"] == "rack_inlet_above_class") air = true;
  }
  CHECK(fw);
  CHECK(air);
  CHECK(r.summary["max_facility_water_c"].get<double>() == 35.0);
}

TEST_CASE("cooling: bad input names the JSON path") {
  CHECK(input_error({"cooling.facility_water.supply_c=-5"}).find("$.cooling.facility_water.supply_c") != std::string::npos);
  CHECK(input_error({"cooling.heat_rejection.chillers.curve_set=\"foo\""}).find("$.cooling.heat_rejection.chillers.curve_set") !=
        std::string::npos);
  CHECK(input_error({"cooling.air.ashrae_class=\"A9\""}).find("$.cooling.air.ashrae_class") != std::string::npos);
  CHECK(input_error({"cooling.weather={\"epw_file\": \"no-such-file.epw\"}"}).find("$.cooling.weather.epw_file") != std::string::npos);
  CHECK(input_error({"cooling.liquid_capture.by_rack_type={\"r2\": 0.5}"}).find("$.cooling.liquid_capture.by_rack_type") !=
        std::string::npos);
  CHECK(input_error({"cooling.cdu=null"}).find("$.cooling") != std::string::npos);
  CHECK(input_error({"cooling.facility_water.flow=3"}).find("$.cooling.facility_water.flow") != std::string::npos);
  CHECK(input_error({"simulation.thermal_step_s=0"}).find("$.simulation.thermal_step_s") != std::string::npos);
}

TEST_CASE("cooling: an EPW file relative to the scenario is read") {
  test::TempDir dir("cooling-epw");
  std::filesystem::copy_file(test::source_path("data/weather/chicago.epw"), dir.file("chi.epw"));
  std::string text = test::read_file(test::source_path("tests/data/tiny-cooling.json"));
  test::write_file(dir.file("s.json"), text);
  LoadOptions lo;
  lo.overrides = {"cooling.weather={\"epw_file\": \"chi.epw\", \"start_day_of_year\": 196}", "simulation.duration_s=60"};
  const Scenario sc = load_scenario_file(dir.file("s.json"), lo);
  REQUIRE(sc.cooling);
  CHECK(sc.cooling->weather.epw != nullptr);
  const RunResult r = run_scenario(sc);
  CHECK(r.summary["cooling_modelled"] == true);
}

TEST_CASE("cooling: a tower holding the economizer's setpoint is full free cooling, no chiller time") {
  // Wet bulb 10 C all day: the tower fans (variable speed) hold T_sup - approach = 18 - 2 = 16 C,
  // so every step is full free cooling and no chiller runs. By hand: full = the run's 600 s, partial
  // 0, chiller 0. (Before, the tower's bisection landing 1e-10 K either side of 16 C made half the
  // steps "partial" with a chiller load of milliwatts, and counted them as chiller time.)
  const Scenario sc = load_cooled({"cooling.weather.design_day={\"dry_bulb_c\": 15, \"daily_range_k\": 0, \"wet_bulb_c\": 10}",
                                   "simulation.duration_s=600", "simulation.output_step_s=60", "simulation.thermal_step_s=1"});
  const RunResult r = run_scenario(sc);
  const json& s = r.summary;
  CHECK(s["free_cooling_hours"]["full"].get<double>() == doctest::Approx(600.0 / 3600).epsilon(1e-9));
  CHECK(s["free_cooling_hours"]["partial"].get<double>() == 0.0);
  CHECK(s["chiller_hours"].get<double>() == 0.0);
}

TEST_CASE("cooling: the facility water loop starts settled at the step-mean heat, not the first phase's") {
  // tiny-cooling's job alternates 1 s compute / 1 s communication. Over the first 10 ms the loop
  // (tau = rho V / m, about half an hour here) hands the plant its starting return temperature:
  // heat to the plant = m cp (T_ret(0) - T_sup) x 0.01 s to 1e-6, with T_ret(0) = T_sup + Q_mean / (m cp)
  // and Q_mean the heat (IT + busway + UPS losses) at the step-mean GPU power (w_compute + w_comm) / 2
  // plus the pumps' and fans' heat.
  // (Before: Q at the compute phase's power, the first instant's.)
  const Scenario sc = load_cooled({"simulation.duration_s=0.01", "simulation.output_step_s=0.01", "simulation.thermal_step_s=0.01"});
  const Facility facility(sc);
  const std::vector<JobPlan> plans = plan_jobs(sc, facility);
  REQUIRE(plans[0].step.size() == 2);
  const double w_mean = 0.5 * (plans[0].step[0].gpu_w + plans[0].step[1].gpu_w);
  CHECK(plans[0].step[0].gpu_w > plans[0].step[1].gpu_w);
  std::vector<JobState> st(facility.cohorts(), JobState{true, power::GpuPhase::Compute, w_mean, 1.0});
  const FacilityPower p = facility.evaluate(st);
  const double q_mean = p.it_w + p.loss_w[0] + p.loss_w[1];
  const RunResult r = run_scenario(sc);
  // The pumps' and fans' heat (their first step's) is part of the settled loop's heat too.
  const double pump_fan_j = r.summary["cooling"]["pump_and_fan_heat_mwh"].get<double>() * 3.6e9;
  CHECK(pump_fan_j > 0);
  CHECK(r.summary["cooling"]["heat_to_plant_mwh"].get<double>() * 3.6e9 == doctest::Approx(q_mean * 0.01 + pump_fan_j).epsilon(1e-5));
}

TEST_CASE("cooling: the tower standby cell gets no water, and hours outside the YorkCalc range are reported") {
  // One duty cell: N and N+1 run the same cell at the same flow (m_cw / N), so fan energy and water
  // are identical (before, N+1 spread the water over 2 cells: half the flow ratio, other fans).
  auto run = [](const char* red) {
    return run_scenario(load_cooled({"simulation.duration_s=600", "simulation.output_step_s=60", "simulation.thermal_step_s=10",
                                     std::string("cooling.heat_rejection.cooling_towers.redundancy=\"") + red + "\"",
                                     "cooling.weather.design_day={\"dry_bulb_c\": 30, \"daily_range_k\": 0, \"wet_bulb_c\": 22}"}))
        .summary;
  };
  const json n = run("N"), n1 = run("N+1");
  CHECK(n1["cooling"]["units_installed"]["tower_cells"].get<int>() == 2);
  CHECK(n1["cooling"]["energy_mwh_by_component"]["tower_fans"].get<double>() ==
        n["cooling"]["energy_mwh_by_component"]["tower_fans"].get<double>());
  CHECK(n1["water_m3"].get<double>() == n["water_m3"].get<double>());
  CHECK(n["cooling"]["tower_hours_outside_model_range"].get<double>() >= 0.0);
  // Without towers the figure is null (dry coolers only).
  CHECK(run_scenario(load_cooled({"cooling.heat_rejection={\"dry_coolers\": {\"count\": 1, \"redundancy\": \"N\", \"design_heat_kw\": 5, "
                                  "\"design_entering_water_c\": 30, \"design_dry_bulb_c\": 20, \"design_range_k\": 5, \"design_air_flow_kg_s\": 2, "
                                  "\"fan_power_kw\": 0.1, \"leaving_setpoint_c\": 29}, "
                                  "\"condenser_water\": {\"design_delta_t_k\": 5.6, \"pump_head_kpa\": 150, \"pump_efficiency\": 0.7}, "
                                  "\"economizer\": {\"enabled\": true, \"hx_approach_k\": 2}}"}))
            .summary["cooling"]["tower_hours_outside_model_range"]
            .is_null());
}

TEST_CASE("cooling: a chiller staging step does not leave the plant solve unconverged") {
  // Default campus, wet bulb held at 11.75 C: the chiller load sits at the 2 -> 3 chiller staging
  // threshold; 2 chillers give a warmer condenser water (more load, so 3 start), 3 a cooler one (so
  // one stops), and the fixed point alternated for ever (2 of the 10 solves unconverged before).
  // By hand: every solve settles (bisection to 1e-3 K at the threshold): 0 unconverged.
  const Scenario sc = load_default_scenario({{"simulation.duration_s=600", "simulation.output_step_s=60", "simulation.thermal_step_s=60",
                                              "cooling.weather={\"design_day\": {\"dry_bulb_c\": 16, \"daily_range_k\": 0, \"wet_bulb_c\": 11.75}}"}});
  REQUIRE(sc.cooling);
  const RunResult r = run_scenario(sc);
  CHECK(r.summary["cooling"]["plant_solves_not_converged"].get<double>() == 0.0);
  CHECK(r.summary["chiller_hours"].get<double>() == doctest::Approx(600.0 / 3600).epsilon(1e-9));
}
