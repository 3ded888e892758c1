#include "sim/plant/plant_design.h"

#include <algorithm>
#include <cmath>

#include "models/thermal/cdu.h"
#include "models/thermal/psychrometrics.h"
#include "models/thermal/pump.h"
#include "sim/input/scenario.h"

namespace dctwin {

namespace {

constexpr double kCp = thermal::kCpWaterJkgK;
constexpr double kRho = thermal::kRhoWaterKgM3;

// Units needed to carry `heat_w` at `unit_heat_w` each (at least one), then installed.
int units_for_heat(double heat_w, double unit_heat_w, const Redundancy& redundancy) {
  const int needed = static_cast<int>(std::ceil(heat_w / unit_heat_w - 1e-9));
  return redundancy.installed(std::max(1, needed));
}

void design_cdus(const CduSpec& c, PlantDesign& d) {
  d.cdus = units_for_heat(d.liquid_heat_w, c.design_heat_w, c.redundancy);
  const thermal::CduDesign rating{c.design_heat_w, c.tcs_flow_kg_s, c.fws_flow_kg_s, kCduCpJkgK, kCduCpJkgK,
                                  c.tcs_return_c,  c.fws_supply_c,  c.pump_power_w};
  const thermal::CduParams p = thermal::cdu_from_design(rating);
  const thermal::CduResult r = thermal::cdu_solve(p, c.tcs_flow_kg_s, c.fws_flow_kg_s, c.tcs_return_c, c.fws_supply_c);
  d.cdu_eps_cmin_w_k = r.q_w / (c.tcs_return_c - c.fws_supply_c);
  d.cdu_tcs_capacity_rate_w_k = c.tcs_flow_kg_s * kCduCpJkgK;
  d.cdu_pumps_w = d.cdus * thermal::cdu_pump_power_w(p, c.tcs_flow_kg_s);
}

void design_crahs(const AirSideSpec& a, PlantDesign& d) {
  d.crahs = units_for_heat(d.air_heat_w, a.crah_design_heat_w, a.redundancy);
  d.crah = {thermal::air_mass_flow_kg_s(a.crah_design_heat_w, a.design_delta_t_k), a.crah_design_fan_power_w, a.crah_min_speed};
  d.crah_fans_w = d.crahs * a.crah_design_fan_power_w;
}

void design_heat_rejection(const CoolingSpec& c, PlantDesign& d) {
  double cop = 1e30;  // without chillers the condenser loop carries the heat alone
  if (c.chillers) {
    d.duty_chillers = c.chillers->count;
    d.chillers = c.chillers->redundancy.installed(d.duty_chillers);
    cop = c.chillers->params.ref_cop;
  }
  const double rejected_w = d.heat_w * (1.0 + 1.0 / cop);
  d.condenser_water_flow_kg_s = rejected_w / (kCp * c.condenser.design_delta_t_k);
  d.condenser_water_pump_w =
      water_pump_power_w(d.condenser_water_flow_kg_s, c.condenser.pump_head_kpa, c.condenser.pump_efficiency);
  if (c.towers) {
    d.tower_cells = c.towers->redundancy.installed(c.towers->cells);
    d.tower_fans_w = d.tower_cells * c.towers->params.design_fan_power_w;
  }
  if (c.dry_coolers) {
    d.dry_coolers = c.dry_coolers->redundancy.installed(c.dry_coolers->count);
    d.dry_cooler_fans_w = d.dry_coolers * c.dry_coolers->params.design_fan_power_w;
  }
  if (c.towers)
    d.rejection_units_water_flow_kg_s = d.tower_cells * c.towers->params.design_water_flow_kg_s;
  else if (c.dry_coolers)
    d.rejection_units_water_flow_kg_s = d.dry_coolers * c.dry_coolers->params.design_water_flow_kg_s;
  if (d.rejection_units_water_flow_kg_s > 0)
    d.condenser_water_pump_at_units_flow_w =
        water_pump_power_w(d.rejection_units_water_flow_kg_s, c.condenser.pump_head_kpa, c.condenser.pump_efficiency);
}

}  // namespace

PlantDesign plant_design(const CoolingSpec& c, double heat_w, double liquid_heat_w) {
  PlantDesign d;
  d.heat_w = heat_w;
  d.liquid_heat_w = liquid_heat_w;
  d.air_heat_w = heat_w - liquid_heat_w;
  d.facility_water_flow_kg_s = heat_w / (kCp * c.facility_water.design_delta_t_k);
  d.facility_water_pump_w =
      water_pump_power_w(d.facility_water_flow_kg_s, c.facility_water.pump_head_kpa, c.facility_water.pump_efficiency);
  d.facility_water_time_constant_s = kRho * c.facility_water.loop_volume_m3 / d.facility_water_flow_kg_s;
  if (c.cdu && d.liquid_heat_w > 0) design_cdus(*c.cdu, d);
  if (c.air && d.air_heat_w > 0) design_crahs(*c.air, d);
  design_heat_rejection(c, d);
  return d;
}

double plant_heat_w(const FacilityPower& p) { return p.it_w + p.loss_w[0] + p.loss_w[1]; }  // kDistributionLossStages order

double campus_capture_fraction(const Scenario& sc) {
  const CoolingSpec& spec = *sc.cooling;
  std::vector<double> type_w(sc.rack_types.size(), 0.0);
  for (const auto& h : sc.halls)
    for (const auto& r : h.rows)
      for (const auto& slot : r.racks) {
        const RackType& rt = sc.rack_types[static_cast<std::size_t>(slot.rack_type)];
        double w = rt.rack_equipment.active_w;
        for (const auto& n : rt.nodes) w += n.count * sc.node_types[static_cast<std::size_t>(n.node_type)].nameplate_w;
        type_w[static_cast<std::size_t>(slot.rack_type)] += w * h.count * r.count * slot.count;
      }
  double tot = 0, liq = 0;
  for (std::size_t i = 0; i < type_w.size(); ++i) {
    tot += type_w[i];
    liq += type_w[i] * spec.capture_by_rack_type[i];
  }
  return tot > 0 ? liq / tot : spec.default_capture_fraction;
}

double rejection_unit_water_flow_kg_s(double design_heat_w, double design_range_k) {
  return design_heat_w / (kCp * std::max(design_range_k, 1e-3));
}

double pump_fan_heat_to_facility_water_w(double facility_pumps_w, double cdu_pumps_w, double crah_fans_w, bool air_side) {
  const double cdu = air_side ? cdu_pumps_w : thermal::pump_heat_to_fluid_w(cdu_pumps_w);
  return thermal::pump_heat_to_fluid_w(facility_pumps_w) + cdu + crah_fans_w;
}

double water_pump_power_w(double flow_kg_s, double head_kpa, double efficiency) {
  return thermal::pump_power_w(flow_kg_s / kRho, head_kpa * 1e3, efficiency);
}

}  // namespace dctwin
