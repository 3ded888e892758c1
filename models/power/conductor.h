#pragma once
/**
 * @file conductor.h
 * @brief Resistive (I^2 R) loss of PDUs, busways, switchgear and cables.
 *
 * ## Equation
 *
 *     loss = f_fl * P_rated * (P / P_rated)^2        (W)
 *
 * At constant voltage and power factor the current is proportional to the power carried, so the
 * resistive loss I^2 R scales with the square of the load and is pinned by its value at rated
 * power, f_fl * P_rated.
 *
 * ## Parameters (ConductorParams)
 *
 * | name                | unit     | meaning                                                   |
 * | ------------------- | -------- | --------------------------------------------------------- |
 * | rated_w             | W        | rated real power of the element                           |
 * | full_load_loss_frac | per unit | loss at rated power as a fraction of rated power, f_fl    |
 *
 * `load_out_w` is the real power delivered downstream (W). Treating it rather than the input as P
 * is an approximation of order f_fl (the loss itself is small against the power carried).
 *
 * ## Validity
 *
 * Steady state, constant voltage and power factor, conductor temperature near the one at which
 * f_fl was stated. Preconditions (caller's job): rated_w > 0, full_load_loss_frac >= 0. Load
 * above rated is computed with the same law and never clipped; reporting it is the caller's job.
 *
 * ## How to use
 *
 *     ConductorParams busway{1.0e6, 0.005};          // 1 MW busway, 0.5 % loss at full load
 *     double loss = conductor_loss_w(busway, 5.0e5); // 1250 W at half load
 *
 * ## Accuracy
 *
 * Exact for a pure resistance at fixed temperature, voltage and power factor. It ignores the rise
 * of copper and aluminium resistance with temperature (about 0.4 %/K, so a conductor running hot
 * at full load loses somewhat more than a cold one), skin and proximity effects, harmonic currents
 * (which add I^2 R loss without adding real power), and the small constant losses of PDU
 * electronics and meters. No default f_fl is given: it depends on the conductor size and length
 * and should come from the element's data sheet or a cable calculation.
 *
 * ## Source
 *
 * Joule's law, P = I^2 R; the same square-law term is the a2 term of the UPS loss decomposition
 * in Schneider Electric white paper 108.
 */

namespace dctwin::power {

struct ConductorParams {
  double rated_w;              ///< W, rated real power
  double full_load_loss_frac;  ///< per unit: loss at rated power / rated power
};

/// Resistive loss (W) at real power `load_out_w` (W).
double conductor_loss_w(const ConductorParams& p, double load_out_w);

}  // namespace dctwin::power
