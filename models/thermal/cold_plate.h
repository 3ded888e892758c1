#pragma once
/**
 * @file cold_plate.h
 * @brief Cold plate: chip temperature = coolant inlet + P * R_th, reached through a first-order lag.
 *
 * ## Equations
 *
 *     T_ss(t)    = T_coolant,in + P * R_th                          (°C, steady state)
 *     T(t + dt)  = T_ss + (T(t) - T_ss) * exp(-dt / tau)            (exact for constant P, T_in over dt)
 *     T_out      = T_coolant,in + P / (m * cp)                      (coolant outlet, steady)
 *     dp         = dp_design * (m / m_design)^n                     (Pa, flow resistance)
 *
 * R_th is referenced to the coolant INLET temperature, the convention of the OCP OAI liquid
 * cooling guidelines (Chen et al., 2023) and of Modelica Buildings `ColdPlateR_P`
 * (R = (T_case - T_inlet) / Q). R_th may depend on flow: cold_plate_resistance_k_w interpolates
 * a table of (flow, R) points linearly and holds the end values outside it.
 *
 * The exponential update is the exact solution of tau dT/dt = T_ss - T for piecewise-constant
 * inputs, so it is stable and exact at any step dt (dt >> tau simply lands on T_ss), as the
 * engine's fixed-step continuous update requires (docs/design.md, "Hybrid time").
 *
 * ## Parameters (ColdPlateParams)
 *
 * | name            | unit  | meaning                                              | example            |
 * | --------------- | ----- | ---------------------------------------------------- | ------------------ |
 * | r_th_k_w        | K/W   | chip-to-coolant-inlet thermal resistance             | 0.035 (illustrative H100-class, see below) |
 * | tau_s           | s     | time constant of the chip temperature response        | 2                  |
 * | dp_design_pa    | Pa    | pressure drop at design flow                          | 50 000             |
 * | flow_design_kg_s| kg/s  | design coolant mass flow through the plate            | scenario data      |
 * | dp_exponent     | -     | n in dp ~ m^n (1 laminar .. 2 turbulent)              | 1.85               |
 *
 * Values: the ~2 s time constant and ~50 kPa design pressure drop are the figures of
 * docs/references.md for Modelica Buildings `Racks/LiquidSinglePhase/ColdPlateR_P` (its data record
 * `LiquidSinglePhase.Data.Generic` has dp_nominal = 50 000 Pa and flow exponent n = 1.85;
 * note one version of the Modelica model, `Cabinets.ColdPlateR_P`, defaults the fluid-volume
 * time constant to 5 s, so treat tau as a scenario parameter). The OCP 1 kW OAM cold plate with
 * DI water (Modelica Buildings record `OCP_1kW_OAM_Water`, from Chen et al. 2023 fig. 8) has a
 * case-to-inlet resistance of 0.0172 / 0.0160 / 0.0154 / 0.0151 K/W at 2 / 3 / 4 / 5 L/min:
 * `ocp_1kw_oam_water_resistance()` returns that table.
 *
 * `cold_plate_h100_class_illustrative()` uses R_th = 0.035 K/W junction-to-inlet: an
 * ILLUSTRATIVE, UNSOURCED value (no public junction-to-coolant resistance exists for the H100),
 * chosen so that a 700 W GPU with 30 °C inlet water runs at 30 + 700 * 0.035 = 54.5 °C. It is
 * larger than the OCP case-to-inlet figure because it also spans die, lid and interface
 * resistances. Replace it with measured data for real studies.
 *
 * ## Validity
 *
 * Single-phase liquid cooling, flow at or near design (R_th from the table at the actual flow);
 * P >= 0, tau > 0, dt >= 0 (caller's job). The lag lumps die, lid, plate and fluid into one
 * time constant: fast events (ms power swings of a training step) are smoothed with tau, which
 * is right for the coolant and plate, but the die itself responds faster.
 *
 * ## How to use
 *
 *     ColdPlateParams cp = cold_plate_h100_class_illustrative();
 *     double tss = cold_plate_steady_c(cp, 700.0, 30.0);          // 54.5 °C
 *     double t1  = cold_plate_step_c(cp, 30.0, 700.0, 30.0, 1.0); // after 1 s from 30 °C
 *
 * ## Accuracy
 *
 * With a resistance measured for the plate and flow in use, the steady chip temperature is
 * typically within a few kelvin (the OCP data fit error is ~1 % of R). The single time constant
 * is a simplification of a multi-layer thermal network; expect shape errors in the first
 * seconds after a step.
 *
 * ## Source
 *
 * Modelica Buildings Library, `Buildings.Applications.DataCenters.LiquidCooled.Racks.ColdPlateR_P`
 * and its data records; C. Chen et al., "OCP OAI System Liquid Cooling Guidelines", Open
 * Compute Project, 2023.
 */
#include <vector>

namespace dctwin::thermal {

struct ColdPlateParams {
  double r_th_k_w;           ///< K/W, chip to coolant inlet
  double tau_s;              ///< s
  double dp_design_pa;       ///< Pa at flow_design_kg_s
  double flow_design_kg_s;   ///< kg/s
  double dp_exponent = 1.85; ///< n in dp ~ m^n
};

struct ResistancePoint {
  double flow_kg_s;
  double r_th_k_w;
};

/// Steady chip temperature (°C).
double cold_plate_steady_c(const ColdPlateParams& p, double power_w, double coolant_in_c);

/// Chip temperature after `dt_s` from `t_now_c`, with power and inlet held constant (exact).
double cold_plate_step_c(const ColdPlateParams& p, double t_now_c, double power_w, double coolant_in_c, double dt_s);

/// Coolant outlet temperature (°C) in steady state: T_in + P / (m cp). Precondition: m, cp > 0.
double cold_plate_outlet_c(double power_w, double coolant_in_c, double flow_kg_s, double cp_j_kg_k);

/// Pressure drop (Pa) at `flow_kg_s`: dp_design * (|m| / m_design)^n.
double cold_plate_dp_pa(const ColdPlateParams& p, double flow_kg_s);

/// R_th at `flow_kg_s` from a table sorted by flow (linear, end values held). Precondition: non-empty.
double cold_plate_resistance_k_w(const std::vector<ResistancePoint>& table, double flow_kg_s);

/// OCP 1 kW OAM, DI water: 2/3/4/5 L/min -> 0.0172/0.0160/0.0154/0.0151 K/W (water 997 kg/m3).
std::vector<ResistancePoint> ocp_1kw_oam_water_resistance();

/// Illustrative H100-class plate: R 0.035 K/W (unsourced, see header), tau 2 s, 50 kPa at
/// 0.0167 kg/s (1 L/min per 700 W GPU, ~10 K coolant rise; illustrative).
ColdPlateParams cold_plate_h100_class_illustrative();

}  // namespace dctwin::thermal
