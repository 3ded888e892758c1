#pragma once
/**
 * @file dry_cooler.h
 * @brief Dry (air-to-water) cooler: epsilon-NTU cross-flow coil with fan affinity power.
 *
 * ## Equations
 *
 * Conductance from the water-side and air-side film conductances, each scaled with its flow:
 *
 *     hA_w = hA_w,d * (m_w / m_w,d)^n_w,    hA_a = hA_a,d * s^n_a        (s = fan speed = air-flow ratio)
 *     UA   = 1 / (1/hA_w + 1/hA_a)
 *     with hA_a,d = r hA_w,d at design, so hA_w,d = UA_d (1 + r) / r and hA_a,d = UA_d (1 + r)
 *
 * Effectiveness, cross-flow with both streams unmixed (Incropera & DeWitt, Table 11.3 approx.):
 *
 *     C_w = m_w cp_w,  C_a = s m_a,d cp_a,  C_min = min, C_max = max, Cr = C_min / C_max
 *     NTU = UA / C_min
 *     eps = 1 - exp( NTU^0.22 / Cr * (exp(-Cr NTU^0.78) - 1) )          (eps = 1 - exp(-NTU) at Cr = 0)
 *
 * With the heat Q (W) as input, the water temperatures float above the dry bulb T_db:
 *
 *     T_w,in  = T_db + Q / (eps C_min)
 *     T_w,out = T_w,in - Q / C_w                  approach = T_w,out - T_db
 *     P_fan   = P_fan,d * s^3                     (affinity law, W)
 *
 * Control (dry_cooler_operate): the fan speed s in [s_min, 1] is chosen by bisection so that
 * T_w,out = setpoint; at s = 1 above the setpoint it runs flat out (setpoint not met); at s_min
 * below the setpoint it stays at s_min and the water leaves colder than the setpoint (fan
 * cycling and free convection are not modelled).
 *
 * ## Parameters (DryCoolerParams)
 *
 * | name                   | unit     | meaning                                                   |
 * | ---------------------- | -------- | --------------------------------------------------------- |
 * | ua_design_w_k          | W/K      | UA at design flows (dry_cooler_ua_from_design() derives it) |
 * | design_water_flow_kg_s | kg/s     | m_w,d                                                     |
 * | design_air_flow_kg_s   | kg/s     | m_a,d at full fan speed                                   |
 * | design_fan_power_w     | W        | P_fan,d at full speed                                     |
 * | min_fan_speed          | per unit | s_min                                                     |
 * | air_to_water_ha_ratio  | -        | r = hA_a,d / hA_w,d; Modelica Buildings default 0.5       |
 * | water_exponent         | -        | n_w; Modelica Buildings default 0.85                      |
 * | air_exponent           | -        | n_a; Modelica Buildings default 0.8                       |
 *
 * The three defaults r = 0.5, n_w = 0.85, n_a = 0.8 are those of Modelica Buildings
 * Fluid.HeatExchangers.CoolingTowers.Data.DryCooler.BaseClasses.UACorrection (generic values
 * for finned coils, not a measured product). No default is given for the design point.
 *
 * ## Validity
 *
 * Sensible heat only (no spray/adiabatic pre-cooling), dry air properties constant
 * (cp_a = 1006 J/kg K), water or a fluid with cp_w given (default water, 4186 J/kg K).
 * Preconditions (caller's job): flows > 0, 0 < min_fan_speed <= 1, ua_design_w_k > 0, heat_w >= 0.
 *
 * ## How to use
 *
 *     // 1 MW with water entering at 40 C, air at 30 C, 30 kg/s water, 200 kg/s air (UA 385 kW/K):
 *     double ua = dry_cooler_ua_from_design(1.0e6, 40.0, 30.0, 30.0, 200.0);
 *     DryCoolerParams d{ua, 30.0, 200.0, 15e3, 0.2, 0.5, 0.85, 0.8};
 *     DryCoolerPoint op = dry_cooler_operate(d, 0.8e6, 30.0, 20.0, 32.0);   // fan at 24.8 %
 *
 * ## Accuracy
 *
 * The epsilon-NTU method is exact for the stated flow arrangement with constant UA and
 * properties; the film-coefficient exponents are generic, so off-design UA is good to perhaps
 * 10-20 % without product data. The cube law overstates the fan savings at low speed. Use a
 * manufacturer's rating (capacity at a given ITD) to set ua_design_w_k.
 *
 * ## Source
 *
 * Incropera & DeWitt, Fundamentals of Heat and Mass Transfer, effectiveness relations
 * (cross-flow, both fluids unmixed); Modelica Buildings Fluid.HeatExchangers.CoolingTowers
 * .BaseClasses.DryCoolerUA and Data.DryCooler.BaseClasses.UACorrection (structure of UA and
 * default exponents); fan affinity laws, ASHRAE Handbook - HVAC Systems and Equipment (Fans).
 */

#include "models/thermal/psychrometrics.h"  // kCpAirJkgK, kCpWaterJkgK

namespace dctwin::thermal {

struct DryCoolerParams {
  double ua_design_w_k;           ///< W/K
  double design_water_flow_kg_s;  ///< kg/s
  double design_air_flow_kg_s;    ///< kg/s at s = 1
  double design_fan_power_w;      ///< W at s = 1
  double min_fan_speed;           ///< per unit
  double air_to_water_ha_ratio;   ///< r
  double water_exponent;          ///< n_w
  double air_exponent;            ///< n_a
};

/// Effectiveness of a cross-flow exchanger with both streams unmixed.
double crossflow_unmixed_effectiveness(double ntu, double capacity_ratio);

/// UA (W/K) that rejects `design_heat_w` with water entering at `water_in_c`, air at
/// `air_in_c`, and the given water and air mass flows (inverts the effectiveness by bisection).
double dry_cooler_ua_from_design(double design_heat_w, double water_in_c, double air_in_c,
                                 double water_flow_kg_s, double air_flow_kg_s);

/// UA (W/K) at a water flow (kg/s) and fan speed (per unit).
double dry_cooler_ua_w_k(const DryCoolerParams& p, double water_flow_kg_s, double fan_speed);

struct DryCoolerPoint {
  double fan_speed = 0.0;         ///< per unit
  double ua_w_k = 0.0;            ///< W/K
  double effectiveness = 0.0;
  double entering_water_c = 0.0;  ///< C
  double leaving_water_c = 0.0;   ///< C
  double approach_k = 0.0;        ///< K, leaving water - dry bulb
  double fan_power_w = 0.0;       ///< W
  bool setpoint_met = false;
};

/// Dry cooler rejecting `heat_w` at fixed fan speed.
DryCoolerPoint dry_cooler_at_speed(const DryCoolerParams& p, double heat_w, double water_flow_kg_s,
                                   double dry_bulb_c, double fan_speed);

/// Dry cooler rejecting `heat_w`, fan speed chosen to reach the leaving-water setpoint.
DryCoolerPoint dry_cooler_operate(const DryCoolerParams& p, double heat_w, double water_flow_kg_s,
                                  double dry_bulb_c, double leaving_setpoint_c);

}  // namespace dctwin::thermal
