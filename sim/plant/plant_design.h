// The cooling plant's design: what is installed and what it draws at its design point, worked
// out once from the scenario's cooling spec (sim/input/cooling_spec.h) and the heat the plant is
// designed for. A pure function: the simulated plant (sim/plant/cooling_plant.h) sizes itself
// with it from the nameplate heat, and `dctwin size` (sim/studies/sizing.h) with each deployment's
// heat under its provisioning policy.
//
//   heat into the plant     Q = IT (rack inputs) + busway + UPS losses                 (plant_heat_w)
//   liquid heat             Q_liq = f x IT, f the campus capture fraction; air heat Q_air = Q - Q_liq
//   CDUs                    redundancy.installed(max(1, ceil(Q_liq / Q_cdu)))          (when Q_liq > 0)
//   CRAHs                   redundancy.installed(max(1, ceil(Q_air / Q_crah)))         (when Q_air > 0)
//   chillers, tower cells,  N from the scenario, redundancy.installed(N) installed
//   dry coolers
//   facility water flow     m_fw = Q / (cp dT_fw)                   (facility_water.design_delta_t_k)
//   condenser water flow    m_cw = Q (1 + 1 / COP_ref) / (cp dT_cw)  (COP_ref = 1e30 without chillers)
//   pump power              P = (m / rho) dp / eta                   (models/thermal/pump.h)
//   loop time constant      tau = rho V / m_fw                       (facility_water.loop_volume_m3)
//   CDU pumps, CRAH fans,   installed units x their design (full-speed) power
//   tower / dry-cooler fans
// cp = thermal::kCpWaterJkgK and rho = thermal::kRhoWaterKgM3 (models/thermal/psychrometrics.h),
// except the CDU rating point, which is stated at cp = kCduCpJkgK on both of its sides.
#pragma once
#include "models/thermal/air_handler.h"
#include "sim/facility/facility.h"
#include "sim/input/cooling_spec.h"

namespace dctwin {

struct Scenario;

// Specific heat of the water on both sides of a CDU at its rating point, J/(kg K).
inline constexpr double kCduCpJkgK = 4180.0;

struct PlantDesign {
  double heat_w = 0;         // heat into the plant at the design point
  double liquid_heat_w = 0;  // of which to liquid (cold plates -> CDUs)
  double air_heat_w = 0;     // the rest, to room air (CRAHs)

  // Units installed (0 where the plant has none of a kind, or that side carries no heat).
  int cdus = 0, crahs = 0, chillers = 0, tower_cells = 0, dry_coolers = 0;
  int duty_chillers = 0;  // N of the chillers

  double facility_water_flow_kg_s = 0, facility_water_pump_w = 0;
  double facility_water_time_constant_s = 0;  // tau of the loop's mixed volume
  double condenser_water_flow_kg_s = 0, condenser_water_pump_w = 0;

  // Design (full-speed) electric power of all installed units of a kind.
  double cdu_pumps_w = 0, crah_fans_w = 0, tower_fans_w = 0, dry_cooler_fans_w = 0;

  // CDU heat transfer at the rating point (with CDUs): eps C_min, so that a CDU carrying q heats
  // its technology cooling loop supply to T_fw + q / eps_cmin - q / C_tcs; C_tcs = m_tcs cp.
  double cdu_eps_cmin_w_k = 0, cdu_tcs_capacity_rate_w_k = 0;
  thermal::AirHandlerParams crah{};  // one CRAH (with an air side carrying heat)

  // The heat-rejection units' own design water flow: the installed tower cells, else the
  // installed dry coolers. `dctwin size` prices the condenser water pumps at this flow; the
  // simulated plant runs them at condenser_water_flow_kg_s.
  double rejection_units_water_flow_kg_s = 0, condenser_water_pump_at_units_flow_w = 0;
};

// The plant designed for `heat_w` into the plant, `liquid_heat_w` of it to liquid.
PlantDesign plant_design(const CoolingSpec& cooling, double heat_w, double liquid_heat_w);

// Heat into the cooled space (and so into the plant) at a facility power: IT + busway + UPS losses
// (switchgear and transformer losses stay outside; see cooling_plant.h).
double plant_heat_w(const FacilityPower& p);

// The campus liquid capture fraction: each rack type's fraction weighted by its installed nameplate
// power (rack equipment active + nodes at nameplate_w). Needs sc.cooling.
double campus_capture_fraction(const Scenario& sc);

// Water flow through a heat-rejection unit (tower cell, dry cooler) at its design point:
// m = Q / (cp max(range, 1e-3 K)).
double rejection_unit_water_flow_kg_s(double design_heat_w, double design_range_k);

// Heat (W; or J from energies, it is linear) the pumps and fans put into the facility water loop:
// the facility water pumps' shaft power (their motor losses go to the plant room; pump_heat_to_fluid_w,
// models/thermal/pump.h), the CDU pumps' shaft power into the technology loops, which the CDUs hand
// to the facility water, plus, with an air side, the CDU motor losses (CDUs stand in the data
// hall, whose air the CRAHs cool), and the whole CRAH fan power (motors in the air stream;
// models/thermal/air_handler.h). The condenser water pumps' shaft power goes to the condenser
// water instead (the towers / dry coolers reject it).
double pump_fan_heat_to_facility_water_w(double facility_pumps_w, double cdu_pumps_w, double crah_fans_w, bool air_side);

// Electric power of a constant-flow water pump moving `flow_kg_s` against `head_kpa`.
double water_pump_power_w(double flow_kg_s, double head_kpa, double efficiency);

}  // namespace dctwin
