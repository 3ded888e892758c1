#pragma once
/**
 * @file air_handler.h
 * @brief CRAH / fan-wall air handler: airflow for a heat load, fan power by affinity, and the
 *        ASHRAE TC 9.9 air (A1-A4) and liquid (W17-W+) class checks.
 *
 * ## Equations
 *
 *     m_air = Q / (cp_a dT)                    air mass flow (kg/s) to carry Q (W) at a rise dT (K)
 *     V_air = m_air / rho                      volumetric flow (m^3/s), rho from psychrometrics.h
 *     s     = max(m_air / m_air,d, s_min)      fan speed ratio (NOT capped at 1)
 *     P_fan = P_fan,d s^3                      (W), affinity law on a fixed system curve
 *
 * Fan heat: the whole fan power P_fan ends up in the air the unit moves (the fan's aerodynamic
 * losses and the air's friction, and the motor's losses too: CRAH / fan-wall motors sit in the
 * air stream, EnergyPlus Fan:VariableVolume "Motor In Airstream Fraction" default 1.0), so the
 * coil removes Q + P_fan. The air flow is set by the room heat Q alone (the fan heat is added in
 * the unit, after the room), so P_fan does not feed back on itself.
 *
 * cp_a = 1006 J/(kg K) (dry air; moist air at W = 0.01 is ~1.5 % higher, pass cp explicitly if
 * that matters). s > 1 means the units would need more than full speed: over_capacity is set
 * and the power is the cube law extrapolated, never clipped.
 *
 * ## ASHRAE classes (TC 9.9 Thermal Guidelines for Data Processing Environments, 5th ed., 2021)
 *
 * | air class   | allowable server inlet (C) |   | liquid class | facility water supply (C) |
 * | ----------- | -------------------------- | - | ------------ | ------------------------- |
 * | recommended | 18-27 (all classes)        |   | W17          | <= 17                     |
 * | A1          | 15-32                      |   | W27          | <= 27                     |
 * | A2          | 10-35                      |   | W32          | <= 32                     |
 * | A3          | 5-40                       |   | W40          | <= 40                     |
 * | A4          | 5-45                       |   | W45          | <= 45                     |
 * |             |                            |   | W+           | > 45                      |
 *
 * Only dry-bulb inlet temperature is checked: the humidity and dew-point limits of the envelopes,
 * the altitude derating of the maximum temperature and the rate-of-change limits are not.
 * A temperature exactly on a bound counts as inside.
 *
 * ## Parameters (AirHandlerParams)
 *
 * | name                  | unit     | meaning                                    |
 * | --------------------- | -------- | ------------------------------------------ |
 * | design_air_flow_kg_s  | kg/s     | air flow at full fan speed                 |
 * | design_fan_power_w    | W        | fan power at full speed                    |
 * | min_speed             | per unit | s_min                                      |
 *
 * ## Validity
 *
 * Sensible cooling only (dry coil), fixed system curve (filters, coil, containment unchanged).
 * Preconditions (caller's job): delta_t_k > 0, design flow > 0, 0 <= min_speed <= 1, heat_w >= 0.
 *
 * ## How to use
 *
 *     double m = air_mass_flow_kg_s(100e3, 12.0);          // 100 kW at 12 K rise: 8.28 kg/s
 *     AirHandlerParams crah{20.0, 15e3, 0.3};
 *     AirHandlerPoint op = air_handler_operate(crah, 100e3, 12.0);
 *     ashrae_air_inlet_status(29.0, AshraeAirClass::A1);   // Allowable
 *     ashrae_liquid_class_for_supply(30.0);                // W32
 *
 * ## Accuracy
 *
 * The airflow relation is an energy balance (exact for the stated rise); in a real room bypass
 * and recirculation mean the units move 10-50 % more air than the IT equipment needs. The cube
 * law is exact only for a purely quadratic system curve at constant efficiency; EC fan walls
 * at low speed draw somewhat more.
 *
 * ## Source
 *
 * ASHRAE TC 9.9, Thermal Guidelines for Data Processing Environments, 5th ed. (2021): air classes
 * and recommended envelope; ASHRAE TC 9.9 liquid cooling guidelines: W classes (as listed in
 * docs/references.md); fan affinity laws, ASHRAE Handbook - HVAC Systems and Equipment. Fan
 * heat to the air stream: EnergyPlus Engineering Reference, "Fans" (motor in air stream
 * fraction) and Input Output Reference, Fan:VariableVolume.
 */

#include "models/thermal/psychrometrics.h"  // kCpAirJkgK

namespace dctwin::thermal {

/// Q / (cp dT), kg/s.
double air_mass_flow_kg_s(double heat_w, double delta_t_k, double cp_j_kg_k = kCpAirJkgK);

struct AirHandlerParams {
  double design_air_flow_kg_s;  ///< kg/s at full speed
  double design_fan_power_w;    ///< W at full speed
  double min_speed;             ///< per unit
};

struct AirHandlerPoint {
  double air_flow_kg_s = 0.0;  ///< kg/s needed
  double speed = 0.0;          ///< per unit, >= min_speed, may exceed 1
  double fan_power_w = 0.0;    ///< W
  bool over_capacity = false;  ///< speed > 1
};

/// Air flow, speed and fan power to carry `heat_w` at an air temperature rise `delta_t_k`.
AirHandlerPoint air_handler_operate(const AirHandlerParams& p, double heat_w, double delta_t_k);

enum class AshraeAirClass { A1, A2, A3, A4 };
enum class AirInletStatus { Recommended, Allowable, OutOfRange };

struct TemperatureRange {
  double low_c;
  double high_c;
};

/// 18-27 C, the recommended envelope (all classes).
TemperatureRange ashrae_recommended_range();

/// Allowable dry-bulb inlet range of a class.
TemperatureRange ashrae_allowable_range(AshraeAirClass cls);

/// Recommended if within 18-27 C, else Allowable if within the class range, else OutOfRange.
AirInletStatus ashrae_air_inlet_status(double inlet_c, AshraeAirClass cls);

enum class AshraeLiquidClass { W17, W27, W32, W40, W45, WPlus };

/// Highest facility-water supply temperature of a class (C); +infinity for W+.
double ashrae_liquid_class_max_supply_c(AshraeLiquidClass cls);

/// True when `supply_c` is within the class (<= its maximum).
bool ashrae_liquid_class_allows(AshraeLiquidClass cls, double supply_c);

/// The tightest class admitting `supply_c` (W17 for 15 C, W32 for 30 C, W+ for 50 C).
AshraeLiquidClass ashrae_liquid_class_for_supply(double supply_c);

}  // namespace dctwin::thermal
