#pragma once
/**
 * @file rack_heat.h
 * @brief Split of a rack's heat between liquid (cold plates) and air, and the coolant temperature rise.
 *
 * ## Equations
 *
 *     Q_liquid = f_liq * P_rack          (W, captured by cold plates into the TCS loop)
 *     Q_air    = (1 - f_liq) * P_rack    (W, rejected to the room air by fans)
 *     dT       = Q / (m * cp)            (K, temperature rise of a stream carrying Q)
 *     m        = Q / (cp * dT)           (kg/s, flow for a target rise)
 *
 * All electrical power drawn by IT ends up as heat (steady state; energy stored in the hardware
 * is negligible), so P_rack is the rack's electrical input power.
 *
 * ## Parameters
 *
 * | name                    | unit     | meaning                                          |
 * | ----------------------- | -------- | ------------------------------------------------ |
 * | liquid_capture_fraction | 0..1     | f_liq, share of the rack heat taken by liquid     |
 * | flow_kg_s               | kg/s     | coolant (or air) mass flow                        |
 * | cp_j_kg_k               | J/(kg K) | specific heat: water ~4180, PG25 ~3900, air ~1006 |
 *
 * The capture fraction is SCENARIO DATA, not a model constant: an air-cooled DGX/HGX H100 rack
 * has f_liq = 0; a liquid-cooled GB200 NVL72 rack sends most of its heat to liquid but part
 * (power shelves, switches, NICs, drives cooled by fans) to air, and the share depends on the
 * rack configuration and vendor; docs/references.md holds no public figure for it, so dctwin ships
 * no default. The specific heats above are typical textbook values (water at ~25-40 °C; the
 * PG25 figure is approximate).
 *
 * ## Validity
 *
 * 0 <= f_liq <= 1, m > 0, cp > 0 (caller's job). Constant cp over the rise.
 *
 * ## How to use
 *
 *     RackHeatSplit s = rack_heat_split(132.0e3, 0.85);   // 0.85: a scenario's value
 *     double rise = coolant_rise_k(s.liquid_w, 2.0, 4180.0);
 *
 * ## Accuracy
 *
 * Exact as an energy balance; the accuracy is that of the capture fraction, which in practice
 * varies with inlet temperatures (a warmer room pushes more heat into liquid where plates and
 * air paths share components) by a few percent.
 *
 * ## Source
 *
 * First law (steady-flow energy balance), e.g. Incropera et al., "Fundamentals of Heat and Mass
 * Transfer", ch. 1 and ch. 8 (mean-temperature energy balance).
 */

namespace dctwin::thermal {

struct RackHeatSplit {
  double liquid_w;
  double air_w;
};

RackHeatSplit rack_heat_split(double rack_power_w, double liquid_capture_fraction);

/// Temperature rise (K) of a stream of `flow_kg_s` carrying `heat_w`.
double coolant_rise_k(double heat_w, double flow_kg_s, double cp_j_kg_k);

/// Mass flow (kg/s) needed to carry `heat_w` with a rise of `rise_k`.
double coolant_flow_for_rise_kg_s(double heat_w, double rise_k, double cp_j_kg_k);

}  // namespace dctwin::thermal
