#pragma once
/**
 * @file power_factor.h
 * @brief Power factor of a server PSU or power shelf against its load, and the reactive power that
 * goes with a power factor.
 *
 * ## Equation
 *
 *     x       = P_out / P_rated                                   (per unit load)
 *     PF(x)   = piecewise-linear through (0.10, 0.65), (0.20, 0.80), (0.50, 0.90), (1.00, 0.95);
 *               held at 0.65 below 10 % and at 0.95 above 100 %
 *     Q       = P tan(acos PF)                                    (var, drawn; P the input power, W)
 *
 * ## Source
 *
 * The points are the minimum power factors the ENERGY STAR Program Requirements for Computer
 * Servers ask of a server PSU (> 0.65 / 0.80 / 0.90 / 0.95 at 10 / 20 / 50 / 100 % load), as quoted in
 * Intel's Server Chassis P4000S Family Technical Product Specification, rev. 1.5, section 2.3.2.1.
 * They are a floor: a certified PSU is at least this good, so the curve is a conservative
 * (lowest-allowed) power factor, not a measured one (assumption).
 *
 * ## Validity
 *
 * Q from PF treats the whole shortfall of the power factor as displacement. An active-PFC rectifier
 * loses power factor mostly to current distortion, not to a phase shift, so this Q overstates the
 * fundamental reactive power: an upper bound for the voltage change it causes (pcc.h). Preconditions:
 * load_fraction >= 0; 0 < pf <= 1.
 */

namespace dctwin::power {

/// Lowest-allowed power factor of a server PSU at `load_fraction` of its rating (curve above).
double psu_power_factor(double load_fraction);

/// Reactive power (var) drawn with active power `p_w` (W) at power factor `pf` (lagging).
double reactive_power_var(double p_w, double pf);

}  // namespace dctwin::power
