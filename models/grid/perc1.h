#pragma once
/**
 * @file perc1.h
 * @brief A PERC1-structured dynamic load model (real-power path): the load's response to the
 * utility's voltage (and frequency) in time, as a utility's stability program would represent a
 * large power-electronic load. Pure function of its parameters and input series.
 *
 * ## What is public, and what is dctwin's own
 *
 * PERC1 ("Power Electronic Reconnecting and Ceasing") is a PowerWorld Simulator 24 load
 * characteristic model (October 27, 2025 patch), based on LDEV1, itself based on EPRI's November
 * 2022 report "A Positive Sequence Model for Aggregated Representation Electric Vehicle Chargers"
 * (EPRI project 1-116982, L. Sundaresh and P. Matra). The public PowerWorld help pages
 * (https://www.powerworld.com/WebHelp/Content/TransientModels_HTML/Load%20Characteristic%20PERC1.htm
 * and .../Load%20Characteristic%20LDEV1.htm) state, in their opening text:
 *  - PERC1 differs from LDEV1 by `Frecon`: after reconnecting is complete the fraction returns to
 *    (1 - Fcease + Frecon*Fcease) instead of 1;
 *  - separate lead/lag time constants Tap, Tbp (P path) and Taq, Tbq (Q path);
 *  - separate low and high frequency deadbands Dbfl, Dbfh;
 *  - a single P and Q path (not LDEV1's four fractional paths);
 *  - (LDEV1) washout blocks Kvp/Tvp and Kvq/Tvq make the load decrease transiently when the voltage
 *    decreases; MWinit is the load's initial MW; cease-and-reconnect logic.
 * The full block diagram, the parameter list and its order, the names of the cease/reconnect
 * voltage thresholds and the reconnect timing are NOT in the public text reachable here. This file
 * therefore implements a PERC1-STRUCTURED model: Fcease, Frecon, Kvp, Tvp, Tap, Tbp, Dbfl, Dbfh as
 * PowerWorld names them, with dctwin's own block arrangement (below); Vcease, Tcease, Vrecon,
 * Trecon and Tramp are named by dctwin because the public page does not list them. The Q path
 * (Kvq, Tvq, Taq, Tbq, QPRatio) is not modelled (dctwin has no reactive power in its grid events).
 *
 * ## Equations (dctwin reduction; time in s, voltage in p.u. of nominal, frequency deviation in Hz)
 *
 * Input samples v_k, df_k, each held over its step [t_k, t_k + dt_k) (zero-order hold); the steps
 * may differ in length (dt below is the sample's own step).
 *
 *     washout      w' = (v - w) / Tvp,    W = Kvp (v - w)        (w(0) = v_0; Tvp <= 0: W = 0)
 *     cease cond.  C_k = v_k < Vcease  or  df_k < -Dbfl  or  df_k > Dbfh
 *     ceasing      the low time l_k = l_{k-1} + dt while C_k holds, else 0; the load ceases when
 *                  l_k > Tcease (Tcease = 0: at the first such sample)
 *     connected    F = L                                         (normal; L = 1 at the start)
 *                  F = L_c (1 - Fcease + Frecon Fcease r(s))     (after a cease; L_c = L at the cease)
 *                  r(s) = clamp((s - Trecon) / Tramp, 0, 1)      (Tramp = 0: a step at Trecon)
 *                  s = the time the recovery condition (v >= Vrecon, df inside the deadbands) has
 *                  held since the cease (s = 0 again at each new cease; held, not reset, while
 *                  Vcease <= v < Vrecon); when r reaches 1, L = L_c (1 - Fcease + Frecon Fcease)
 *     lead/lag     y = (Tap/Tbp) u + (1 - Tap/Tbp) z,  z' = (u - z) / Tbp   (u = F (1 + W);
 *                  z(0) = u_0; Tbp <= 0: y = u)
 *     power        P_k = P0 y_k, and P_k = 0 where v_k <= 0 (no power flows at zero voltage)
 *
 * First-order states advance exactly for a held input: x_{k+1} = u_k + (x_k - u_k) exp(-dt/T);
 * outputs at sample k use the states at t_k. So a voltage step -dv at t = 0 gives the washout
 * W_k = -Kvp dv exp(-k dt / Tvp) (hand-computable), and F steps at the sample of the cease.
 *
 * ## Parameters
 *
 * | name   | unit | public? | meaning                                                            |
 * | ------ | ---- | ------- | ------------------------------------------------------------------ |
 * | Fcease | -    | yes     | fraction of the load that ceases                                   |
 * | Frecon | -    | yes     | fraction of the ceased load that reconnects                        |
 * | Kvp    | -    | yes     | P washout gain (p.u. power per p.u. voltage)                       |
 * | Tvp    | s    | yes     | P washout time constant                                            |
 * | Tap    | s    | yes     | P lead time constant                                               |
 * | Tbp    | s    | yes     | P lag time constant                                                |
 * | Dbfl   | Hz   | name    | low-frequency deadband (dctwin semantics: below it the load ceases) |
 * | Dbfh   | Hz   | name    | high-frequency deadband (dctwin semantics: above it the load ceases)|
 * | Vcease | p.u. | no      | dctwin: voltage below which the load ceases                        |
 * | Tcease | s    | no      | dctwin: time below Vcease before it ceases                         |
 * | Vrecon | p.u. | no      | dctwin: voltage at or above which reconnection proceeds            |
 * | Trecon | s    | no      | dctwin: delay from recovery to the start of reconnection           |
 * | Tramp  | s    | no      | dctwin: duration of the linear reconnection ramp                   |
 *
 * No default here stands for a published value: the defaults below are a neutral load (nothing
 * ceases, no transient) and every figure dctwin reports comes from a fit (sim/studies/perc1_fit.h).
 *
 * ## Validity
 *
 * Positive-sequence, RMS time scale (steps of 1 ms and longer); real power only; constant-power
 * behaviour between the cease events (no static voltage exponent); the frequency acts only through
 * the cease condition (no frequency gain: none is public).
 */

#include <cstddef>
#include <limits>
#include <vector>

namespace dctwin::grid {

struct Perc1Params {
  double fcease = 0.0;
  double frecon = 1.0;
  double kvp = 0.0;
  double tvp = 0.0;
  double tap = 0.0;
  double tbp = 0.0;
  double dbfl_hz = std::numeric_limits<double>::infinity();
  double dbfh_hz = std::numeric_limits<double>::infinity();
  double vcease_pu = 0.0;
  double tcease_s = 0.0;
  double vrecon_pu = 0.0;
  double trecon_s = 0.0;
  double tramp_s = 0.0;
};

/// The model's real power, per unit of the initial power P0, at each sample of `v_pu` (uniform step
/// `dt_s` > 0). `df_hz` holds the frequency deviations from nominal (empty: nominal throughout;
/// else the same length as `v_pu`). Output has v_pu.size() entries.
std::vector<double> perc1_power_pu(const Perc1Params& p, const std::vector<double>& v_pu, double dt_s,
                                   const std::vector<double>& df_hz = {});

/// The same into `out` (resized), for repeated evaluation without reallocation. `step_s` holds each
/// sample's own step (null: `dt_s` for every sample); `df_hz` may be null (nominal frequency).
void perc1_power_pu(const Perc1Params& p, const double* v_pu, std::size_t n, double dt_s, const double* df_hz,
                    std::vector<double>& out, const double* step_s = nullptr);

}  // namespace dctwin::grid
