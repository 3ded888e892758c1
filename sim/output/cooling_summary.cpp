#include "sim/output/cooling_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/units.h"
#include "models/thermal/psychrometrics.h"
#include "sim/plant/cooling_plant.h"

namespace dctwin {

namespace {

constexpr double kRho = thermal::kRhoWaterKgM3;

// The lowest of a GPU junction limit over the rack types (null without cooling.gpu_thermal).
json lowest_gpu_limit(const Scenario& sc, double thermal::GpuJunctionParams::*field) {
  if (!sc.cooling->gpu_thermal || sc.cooling->gpu_thermal->by_rack_type.empty()) return nullptr;
  double v = std::numeric_limits<double>::infinity();
  for (const auto& p : sc.cooling->gpu_thermal->by_rack_type) v = std::min(v, p.*field);  // NaN (no GPUs) skipped
  return std::isfinite(v) ? json(v) : json(nullptr);
}

// Top-level figures: energy, PUE, water, hours by mode, the hottest facility water, alarms.
void add_headline(json& s, const EngineResult& r) {
  const CoolingOutcome& c = *r.cooling;
  const auto& e = r.recorder.energy_j();
  const double mwh = units::kJPerMWh;
  const double it = e[kIt];
  s["cooling_modelled"] = true;
  s["cooling_energy_mwh"] = c.energy_j / mwh;
  s["pue"] = it > 0 ? json(e[kUtility] / it) : json(nullptr);
  s["water_m3"] = c.water_kg / kRho;
  s["wue_l_per_kwh"] = it > 0 ? json(c.water_kg / kRho * 1000.0 / (it / 3.6e6)) : json(nullptr);
  s["free_cooling_hours"] = {{"full", c.free_full_s / 3600.0}, {"partial", c.free_partial_s / 3600.0}};
  s["chiller_hours"] = c.chiller_s / 3600.0;
  s["heat_rejection_fan_hours"] = {{"cooling_towers", c.design.tower_cells > 0 ? json(c.tower_fan_s / 3600.0) : json(nullptr)},
                                   {"dry_coolers", c.design.dry_coolers > 0 ? json(c.dry_cooler_fan_s / 3600.0) : json(nullptr)}};
  s["max_facility_water_c"] = c.max_facility_water_supply_c;
  s["peak_cooling_mw"] = r.recorder.peak_w()[kCooling] / 1e6;
  json alarms = json::array();
  for (const auto& a : c.alarms)
    alarms.push_back({{"kind", a.kind}, {"place", a.place}, {"limit", a.limit}, {"peak", a.peak}, {"start_s", a.start_s}, {"end_s", a.end_s}});
  s["alarms"] = alarms;
}

// The "cooling" object: the plant's energy by component, heat balance, temperatures and design.
json cooling_object(const Scenario& sc, const CoolingOutcome& c) {
  const double mwh = units::kJPerMWh;
  const PlantDesign& d = c.design;
  return {
      {"thermal_step_s", sc.thermal_step_s},
      {"weather", c.weather},
      {"heat_in_space", "IT (rack inputs) + busway + UPS losses; switchgear and transformer losses are outside the cooled space"},
      {"liquid_capture_fraction", c.capture_fraction},
      {"energy_mwh_by_component",
       {{"chillers", c.chiller_j / mwh}, {"tower_fans", c.tower_fan_j / mwh}, {"dry_cooler_fans", c.dry_cooler_fan_j / mwh},
        {"facility_and_condenser_pumps", c.pump_j / mwh}, {"cdu_pumps", c.cdu_pump_j / mwh}, {"crah_fans", c.crah_fan_j / mwh}}},
      {"heat_absorbed_mwh", c.heat_absorbed_j / mwh},
      {"pump_and_fan_heat_mwh", c.pump_fan_heat_j / mwh},
      {"condenser_pump_heat_mwh", c.condenser_pump_heat_j / mwh},
      {"pump_and_fan_heat",
       "into the facility water: facility water and CDU pump shaft power (motor efficiency 0.9, EnergyPlus default; CDU motor "
       "losses too where CRAHs cool the hall) and all CRAH fan power; condenser pump shaft power into the condenser water"},
      {"liquid_heat_mwh", c.liquid_heat_j / mwh},
      {"air_heat_mwh", c.air_heat_j / mwh},
      {"heat_to_plant_mwh", c.heat_to_plant_j / mwh},
      {"heat_stored_mwh", c.stored_j / mwh},
      {"heat_rejected_outdoors_mwh", c.rejected_outdoors_j / mwh},
      {"heat_balance_rel_error", c.heat_balance_rel_error},
      {"max_facility_return_c", c.max_facility_water_return_c},
      {"max_tcs_supply_c", c.max_tcs_supply_c},
      {"max_rack_inlet_c", c.max_rack_inlet_c},
      {"chiller_hours_outside_curve_range", c.chiller_outside_curve_s / 3600.0},
      {"tower_hours_outside_model_range", c.design.tower_cells > 0 ? json(c.tower_outside_range_s / 3600.0) : json(nullptr)},
      {"plant_solves_not_converged", c.unconverged_solves},
      {"design_heat_mw", d.heat_w / 1e6},
      {"facility_water_flow_kg_s", d.facility_water_flow_kg_s},
      {"condenser_water_flow_kg_s", d.condenser_water_flow_kg_s},
      {"units_installed",
       {{"cdus", d.cdus}, {"crahs", d.crahs}, {"chillers", d.chillers}, {"tower_cells", d.tower_cells}, {"dry_coolers", d.dry_coolers}}},
      {"limits_c",
       {{"facility_water_supply", c.facility_water_supply_limit_c},
        {"rack_inlet_allowable", std::isnan(c.rack_inlet_limit_c) ? json(nullptr) : json(c.rack_inlet_limit_c)},
        {"gpu_junction_lowest", lowest_gpu_limit(sc, &thermal::GpuJunctionParams::limit_c)},
        {"gpu_throttle_lowest", lowest_gpu_limit(sc, &thermal::GpuJunctionParams::throttle_c)}}},
      {"series", c.series ? json{{"file", "cooling.csv"}, {"interval_s", to_seconds(c.series->interval())}} : json(nullptr)}};
}

// Conservation with cooling: meter = IT + distribution losses + cooling.
double energy_balance_rel_error(const EngineResult& r) {
  const auto& e = r.recorder.energy_j();
  const double losses = e[kBuswayLoss] + e[kUpsLoss] + e[kSwitchgearLoss] + e[kTransformerLoss];
  const double meter = std::abs(e[kUtility] - (e[kIt] + losses + e[kCooling])) / std::max(e[kUtility], 1e-300);
  const double it_err = std::abs(e[kIt] - r.recorder.it_energy_j().total_w()) / std::max(e[kIt], 1e-300);
  return std::max(meter, it_err);
}

// GPU junction temperatures (null when the scenario has no cooling.gpu_thermal).
void add_gpu_thermal(json& s, const Scenario& sc, const CoolingOutcome& c) {
  const double mwh = units::kJPerMWh;
  s["max_junction_c"] = nullptr;
  s["throttled_gpu_hours"] = nullptr;
  if (c.gpu) {
    const GpuThermalOutcome& g = *c.gpu;
    s["max_junction_c"] = std::isnan(g.max_junction_c) ? json(nullptr) : json(g.max_junction_c);
    s["throttled_gpu_hours"] = g.throttled_gpu_s / 3600.0;
    json cohorts = json::array();
    for (const auto& k : g.cohorts)
      cohorts.push_back({{"cohort", k.name}, {"rack_type", k.rack_type}, {"cooling", k.cooling}, {"gpus", k.gpus},
                         {"r_th_k_w", k.r_th_k_w}, {"max_junction_c", std::isnan(k.max_junction_c) ? json(nullptr) : json(k.max_junction_c)}, {"throttled_hours", k.throttled_s / 3600.0},
                         {"runaway_coolant_c", std::isfinite(k.runaway_coolant_c) ? json(k.runaway_coolant_c) : json(nullptr)}});
    s["gpu_thermal"] = {{"leakage_modelled", sc.cooling->gpu_thermal->leakage},
                        {"leakage_energy_mwh", sc.cooling->gpu_thermal->leakage ? json(g.leakage_energy_j / mwh) : json(nullptr)},
                        {"cohorts", cohorts}};
    if (const auto& x = g.runaway)
      s["thermal_runaway"] = {{"cohort", x->cohort},       {"t_s", x->t_s},
                              {"junction_c", std::isnan(x->junction_c) ? json(nullptr) : json(x->junction_c)}, {"coolant_c", x->coolant_c},
                              {"runaway_point_c", x->runaway_point_c},
                              {"r_dl_dt", std::isnan(x->r_dl_dt) ? json(nullptr) : json(x->r_dl_dt)},
                              {"reason", x->reason}};
  }
}

// Plant failures (what-if): when each began, and how long until the first alarm after it.
json plant_failures(const CoolingOutcome& c) {
  json fl = json::array();
  for (const auto& f : c.failures) {
    json x = {{"unit", f.unit_name}, {"count", f.count}, {"at_s", f.at_s},
              {"end_s", std::isfinite(f.duration_s) ? json(f.at_s + f.duration_s) : json(nullptr)},
              {"first_alarm", nullptr}, {"time_to_first_alarm_s", nullptr}};
    for (const auto& a : c.alarms)  // sorted by start; alarms already open at the failure do not count
      if (a.start_s >= f.at_s) {
        x["first_alarm"] = {{"kind", a.kind}, {"place", a.place}, {"start_s", a.start_s}};
        x["time_to_first_alarm_s"] = a.start_s - f.at_s;
        break;
      }
    fl.push_back(x);
  }
  return fl;
}

// The run's not_modelled list with the cooling lines replaced by those of a cooled run.
json cooled_not_modelled(const json& not_modelled, const CoolingOutcome& c) {
  json nm = json::array();
  for (const auto& x : not_modelled)
    if (x.get<std::string>().rfind("cooling", 0) != 0 && x.get<std::string>().rfind("GPU junction", 0) != 0) nm.push_back(x);
  if (!c.gpu) nm.push_back("GPU junction temperatures and their feedback (leakage, throttling): the scenario has no cooling.gpu_thermal");
  nm.push_back("cooling: CDU valve control (constant flows); pump and fan heat added to the loops; rack inlet air temperature rise when CRAHs fail");
  return nm;
}

}  // namespace

void add_cooling_summary(json& s, const Scenario& sc, const EngineResult& r) {
  if (!r.cooling) return;
  const CoolingOutcome& c = *r.cooling;
  add_headline(s, r);
  s["cooling"] = cooling_object(sc, c);
  s["energy_balance_rel_error"] = energy_balance_rel_error(r);
  add_gpu_thermal(s, sc, c);
  if (!c.failures.empty()) s["plant_failures"] = plant_failures(c);
  s["not_modelled"] = cooled_not_modelled(s["not_modelled"], c);
}

}  // namespace dctwin
