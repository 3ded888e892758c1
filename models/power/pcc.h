#pragma once
/**
 * @file pcc.h
 * @brief Voltage at the point of common coupling (PCC) from the load's active and reactive power,
 * through the grid's short-circuit impedance.
 *
 * ## Equation
 *
 *     Z    = V^2 / S_sc                         (ohm; V line-to-line, S_sc three-phase short-circuit power)
 *     R    = Z / sqrt(1 + (X/R)^2),  X = R (X/R)
 *     dV/V = (R dP + X dQ) / V^2  =  (dP + (X/R) dQ) / (S_sc sqrt(1 + (X/R)^2))
 *     V(t) / V0 = 1 - (R (P(t) - P0) + X (Q(t) - Q0)) / V^2     (drop for a rise in load)
 *
 * P in W, Q in var (positive: inductive, drawn), V in V, S_sc in VA. The first-order voltage-drop
 * approximation of a source impedance behind a stiff bus (IEC TR 61000-3-7:2008, the relative
 * voltage change d = (R dP + X dQ) / V^2; the same form as the fictitious grid of IEC 61400-21).
 *
 * ## Validity
 *
 * Relative changes small against 1 (a few %), balanced three-phase load, a grid that is a Thevenin
 * source behind its short-circuit impedance (no other loads, no voltage regulation). Preconditions
 * (caller's job): nominal_v > 0, short_circuit_va > 0, x_over_r > 0.
 */
#include <vector>

namespace dctwin::power {

struct PccGrid {
  double nominal_v = 0;         ///< line-to-line nominal voltage, V
  double short_circuit_va = 0;  ///< three-phase short-circuit power at the PCC, VA
  double x_over_r = 0;          ///< X / R of the grid impedance
};

/// R and X of the grid impedance (ohm).
double pcc_resistance_ohm(const PccGrid& g);
double pcc_reactance_ohm(const PccGrid& g);

/// Relative voltage change dV/V for a change dP (W), dQ (var); positive = a drop.
double pcc_relative_voltage_change(const PccGrid& g, double dp_w, double dq_var);

/// V(t) / V0 per sample for P and Q series (same length), relative to their first samples.
std::vector<double> pcc_voltage_pu(const PccGrid& g, const std::vector<double>& p_w, const std::vector<double>& q_var);

}  // namespace dctwin::power
