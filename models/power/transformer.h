#pragma once
/**
 * @file transformer.h
 * @brief Distribution transformer losses: constant core loss plus load (winding) loss.
 *
 * ## Equation
 *
 *     S    = P_out / pf                      (apparent power delivered, VA)
 *     loss = P0 + Pk * (S / S_rated)^2       (W)
 *     eta  = P_out / (P_out + loss)          (0 at zero load)
 *
 * The core (no-load, iron) loss P0 is paid whenever the transformer is energised; the
 * winding (load, copper) loss is I^2 R and, at constant voltage, grows with the square of the
 * apparent power. Efficiency therefore peaks where the winding loss equals the core loss,
 * at S / S_rated = sqrt(P0 / Pk).
 *
 * ## Parameters (TransformerParams)
 *
 * | name           | unit | meaning                                                          |
 * | -------------- | ---- | ---------------------------------------------------------------- |
 * | rated_kva      | kVA  | nameplate apparent power S_rated                                 |
 * | no_load_loss_w | W    | core loss P0, independent of load                                 |
 * | load_loss_w    | W    | winding loss Pk at rated kVA (a nameplate / test-report figure)  |
 *
 * Inputs of the functions: `load_out_w` is the real power delivered on the secondary side (W),
 * `power_factor` is in (0, 1].
 *
 * ## Validity
 *
 * Steady state, sinusoidal, balanced load, 0 <= S <= ~1.2 S_rated. Preconditions (checked by the
 * caller, not here): rated_kva > 0, losses >= 0, 0 < power_factor <= 1, load_out_w >= 0.
 * Overload (S > S_rated) is computed with the same law and never clipped; reporting it is the
 * caller's job.
 *
 * ## How to use
 *
 *     TransformerParams t{2500.0, 2000.0, 17000.0};            // 2.5 MVA, P0 2 kW, Pk 17 kW
 *     double loss = transformer_loss_w(t, 1.25e6, 1.0);        // 6250 W
 *     double eta  = transformer_efficiency(t, 1.25e6, 1.0);    // 0.99502
 *
 * ## Accuracy
 *
 * This is the standard two-term equivalent-circuit loss model behind transformer efficiency
 * ratings; it is exact at the two test points that define P0 and Pk and as good as those figures.
 * It ignores the dependence of winding resistance on temperature (copper resistance rises about
 * 0.4 %/K), extra eddy-current and stray losses from harmonic currents drawn by rectifier loads
 * (the reason K-factor transformers exist), the effect of voltage deviation on core loss, and
 * the power of cooling fans on forced-air units. With a clean load these effects are small
 * against the total loss; with heavy harmonic content the load loss is underestimated.
 *
 * ## Source
 *
 * Loss form and rating points: US DOE energy conservation standard for distribution transformers,
 * 10 CFR 431.196 (efficiency rated at 35 % load for low-voltage dry-type units, 50 % for
 * medium-voltage). No default coefficients are provided: take P0 and Pk from the unit's test
 * report or from the DOE minimum efficiency for its class.
 */

namespace dctwin::power {

struct TransformerParams {
  double rated_kva;       ///< kVA, nameplate apparent power
  double no_load_loss_w;  ///< W, core loss P0
  double load_loss_w;     ///< W, winding (copper) loss Pk at rated kVA
};

/// Total loss (W) at real output `load_out_w` (W) and `power_factor` (0, 1].
double transformer_loss_w(const TransformerParams& p, double load_out_w, double power_factor);

/// P_out / (P_out + loss); 0 at zero load.
double transformer_efficiency(const TransformerParams& p, double load_out_w, double power_factor);

}  // namespace dctwin::power
