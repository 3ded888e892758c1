#pragma once
/**
 * @file transformer_reactive.h
 * @brief Reactive power a transformer draws: magnetising (no-load) and leakage (load) reactance.
 *
 * ## Equation
 *
 *     Q_m   = V^2 / X_m  =  (i0 / 100) S_rated                  (var; magnetising, at rated voltage)
 *     x_pu  = (z / 100) (X/R) / sqrt(1 + (X/R)^2)               (leakage reactance, per unit of S_rated)
 *     Q_l   = I^2 X      =  x_pu S^2 / S_rated                  (var; S the apparent power carried, VA)
 *     Q     = Q_m + Q_l
 *
 * ## Parameters (TransformerReactiveParams)
 *
 * | name                | unit | meaning                                                            |
 * | ------------------- | ---- | ------------------------------------------------------------------ |
 * | rated_kva           | kVA  | nameplate apparent power S_rated                                   |
 * | no_load_current_pct | %    | exciting current i0 at rated voltage, % of rated current            |
 * | impedance_pct       | %    | short-circuit impedance z (%Z on the nameplate)                    |
 * | x_over_r            | -    | X / R of the short-circuit impedance                               |
 *
 * Defaults (`transformer_reactive_default`): z = 5.75 %, the standard impedance of three-phase
 * pad-mounted distribution transformers of 750-5000 kVA in IEEE C57.12.34 (ANSI table of nominal
 * impedances). ASSUMPTION: i0 = 1 % and X/R = 6. The exciting current is a test-report figure
 * (measured in the no-load test of IEEE C57.12.90), no standard fixes it; 1 % is taken at the high end of
 * what medium-voltage distribution transformers draw (conservative for Q). X/R = 6 is an assumed
 * value for MVA-class distribution units; take both from the unit's test report.
 *
 * ## Validity
 *
 * Steady state, sinusoidal, balanced, at rated voltage (the magnetising term scales with V^2 and is
 * taken at 1 pu), 0 <= S <= ~1.2 S_rated. The exciting current is treated as all reactive (its
 * in-phase part is the core loss, already in transformer.h). Preconditions (caller's job):
 * rated_kva > 0, percentages >= 0, x_over_r > 0, s_va >= 0.
 *
 * ## Source
 *
 * Two-winding equivalent circuit (series R + jX from the short-circuit test, shunt magnetising
 * branch from the no-load test): IEEE C57.12.90 (test code), IEEE C57.12.34 (nominal impedances).
 */

namespace dctwin::power {

struct TransformerReactiveParams {
  double rated_kva = 0;            ///< kVA
  double no_load_current_pct = 0;  ///< % of rated current
  double impedance_pct = 0;        ///< %Z
  double x_over_r = 0;             ///< X / R
};

/// z = 5.75 % (IEEE C57.12.34); i0 = 1 %, X/R = 6 (assumptions; header).
TransformerReactiveParams transformer_reactive_default(double rated_kva);

/// Magnetising reactive power Q_m (var).
double transformer_magnetising_var(const TransformerReactiveParams& p);
/// Leakage reactive power Q_l (var) at apparent power `s_va` (VA).
double transformer_leakage_var(const TransformerReactiveParams& p, double s_va);
/// Q_m + Q_l (var).
double transformer_reactive_var(const TransformerReactiveParams& p, double s_va);

}  // namespace dctwin::power
