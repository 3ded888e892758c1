#pragma once
/**
 * @file pump.h
 * @brief Centrifugal pump power from flow and head, and the affinity laws for speed control.
 *
 * ## Equations
 *
 *     P_hyd  = V * dp                           hydraulic power (W), V in m^3/s, dp in Pa
 *     P      = V * dp / eta                     electric (wire-to-water) power, eta in (0, 1]
 *     dp     = rho * g * H                      head H (m) to pressure rise (Pa), g = 9.80665 m/s^2
 *
 * Affinity laws at speed ratio s = n / n_design (same impeller, same fluid, efficiency constant):
 *
 *     V = V_d s,   dp = dp_d s^2,   P = P_d s^3,   with P_d = V_d dp_d / eta_d
 *
 * Flow control (pump_for_flow): on a system curve through the origin (dp proportional to V^2,
 * no static head: a closed loop with differential-pressure reset to zero), the speed that gives
 * a flow V is s = V / V_d, not below s_min:
 *
 *     s = max(V / V_d, s_min),   P = P_d s^3
 *
 * Heat into the pumped fluid (pump_heat_to_fluid_w; the EnergyPlus pump model): the shaft power
 * P_shaft = eta_motor P ends up in the fluid (the pump's own hydraulic losses at once, the rest
 * as friction round the loop); of the motor (and drive) losses P - P_shaft the fraction
 * f_loss goes to the fluid, the rest to the air around the motor:
 *
 *     Q_fluid = eta_motor P + (1 - eta_motor) P f_loss
 *
 * Defaults (kPumpMotorEfficiencyDefault, kPumpMotorLossToFluidDefault): eta_motor = 0.9 and
 * f_loss = 0, EnergyPlus's defaults for Pump:ConstantSpeed / Pump:VariableSpeed ("Motor
 * Efficiency" 0.9, "Fraction of Motor Inefficiencies to Fluid Stream" 0): dry-rotor (in-line,
 * end-suction) pumps have air-cooled motors, whose losses go to the room they stand in.
 *
 * ## Parameters (PumpDesign)
 *
 * | name             | unit     | meaning                                            |
 * | ---------------- | -------- | -------------------------------------------------- |
 * | flow_m3_s        | m^3/s    | design volumetric flow V_d                         |
 * | head_pa          | Pa       | design pressure rise dp_d                          |
 * | efficiency       | per unit | wire-to-water efficiency at design (pump x motor x drive) |
 * | min_speed        | per unit | s_min (VFD minimum, commonly 0.2-0.3; no default)  |
 *
 * ## Validity
 *
 * Closed loops without static head, single-phase water or glycol. With a static head or a
 * constant differential-pressure setpoint the system curve does not pass through the origin and
 * the cube law underestimates power at low flow (use the affinity laws on the real operating
 * point instead). Flow above V_d gives s > 1 and is not clipped. Preconditions (caller's job):
 * flow_m3_s > 0, head_pa >= 0, 0 < efficiency <= 1, 0 <= min_speed <= 1.
 *
 * ## How to use
 *
 *     PumpDesign p{0.1, 300e3, 0.75, 0.3};      // 100 l/s at 300 kPa, 75 % wire-to-water
 *     double pd = pump_power_w(0.1, 300e3, 0.75);// 40 kW
 *     PumpPoint q = pump_for_flow(p, 0.05);      // s = 0.5 -> 5 kW
 *
 * ## Accuracy
 *
 * The affinity laws are exact for similar operating points of one machine; efficiency in fact
 * falls at low speed (motor and drive losses grow in relative terms) and away from the best
 * efficiency point, so measured low-speed power sits above the cube law (often by 10-30 % of
 * the value at 30-50 % speed). Good enough for facility energy; not for pump selection.
 *
 * ## Source
 *
 * Pump affinity laws and hydraulic power: ASHRAE Handbook - HVAC Systems and Equipment,
 * "Centrifugal Pumps" chapter; Hydraulic Institute. Standard gravity 9.80665 m/s^2 (CGPM 1901).
 * Pump heat to the fluid: EnergyPlus Engineering Reference, "Pumps" (PumpHeattoFluid =
 * ShaftPower + (PumpPower - ShaftPower) x FracMotorLossToFluid, ShaftPower = PumpPower x
 * MotorEfficiency); defaults from the EnergyPlus Input Output Reference, "Group - Pumps".
 */

namespace dctwin::thermal {

inline constexpr double kStandardGravity = 9.80665;  ///< m/s^2

/// EnergyPlus default motor efficiency of a pump (per unit; see the header).
inline constexpr double kPumpMotorEfficiencyDefault = 0.9;
/// EnergyPlus default fraction of the motor losses that goes to the fluid (see the header).
inline constexpr double kPumpMotorLossToFluidDefault = 0.0;

/// Heat (W) a pump drawing `electric_w` puts into the fluid it moves:
/// eta_motor P + (1 - eta_motor) P f_loss.
double pump_heat_to_fluid_w(double electric_w, double motor_efficiency = kPumpMotorEfficiencyDefault,
                            double motor_loss_to_fluid = kPumpMotorLossToFluidDefault);

/// V * dp (W).
double pump_hydraulic_power_w(double flow_m3_s, double head_pa);

/// V * dp / efficiency (W).
double pump_power_w(double flow_m3_s, double head_pa, double efficiency);

/// rho * g * H (Pa) for a head in metres of a fluid of density `density_kg_m3`.
double pump_head_pa_from_m(double head_m, double density_kg_m3);

struct PumpDesign {
  double flow_m3_s;   ///< m^3/s
  double head_pa;     ///< Pa
  double efficiency;  ///< per unit, wire-to-water
  double min_speed;   ///< per unit
};

struct PumpPoint {
  double speed = 0.0;      ///< per unit of design speed
  double flow_m3_s = 0.0;  ///< m^3/s
  double head_pa = 0.0;    ///< Pa
  double power_w = 0.0;    ///< W
};

/// Affinity laws at speed ratio `speed`.
PumpPoint pump_at_speed(const PumpDesign& d, double speed);

/// Speed and power to deliver `flow_m3_s` on a system curve through the origin (s >= s_min).
PumpPoint pump_for_flow(const PumpDesign& d, double flow_m3_s);

}  // namespace dctwin::thermal
