#pragma once
/**
 * @file economizer.h
 * @brief Water-side economizer: plate heat exchanger between condenser (tower / dry cooler)
 *        water and chilled water, upstream of the chillers.
 *
 * ## Equations
 *
 * The chilled water returns at T_ret and must be supplied at T_sup (T_ret > T_sup) carrying the
 * load Q = m cp (T_ret - T_sup). The economizer heat exchanger can cool the return water at best
 * to T_hx = T_cw + dT_hx, where T_cw is the water leaving the tower or dry cooler and dT_hx the
 * exchanger approach:
 *
 *     T_hx <= T_sup + tol          Full:    free fraction f = 1, chiller load 0
 *     T_sup + tol < T_hx < T_ret   Partial: f = (T_ret - T_hx) / (T_ret - T_sup), chillers trim the rest
 *     T_hx >= T_ret                Off:     f = 0, chillers carry the whole load
 *
 * tol (tolerance_k, default 0) is the temperature resolution of whatever computed T_cw: a tower
 * whose fans hold T_cw at exactly T_sup - dT_hx is found by an iterative solve that lands within
 * its tolerance either side of it, and without tol half of those points would read "partial" with
 * a chiller load of m cp x (round-off). Since Q = m cp (T_ret - T_sup), the chiller load in
 * Partial is Q_chiller = m cp (T_hx - T_sup), so tol is equally a chiller-load threshold:
 * a load below m cp tol is none (for a 30 MW loop at 8 K, m cp tol = 3.75 kW at tol = 1e-3 K,
 * under 1 % of one 5 MW chiller's 10 % minimum part load, where it would only cycle).
 *
 *     Q_free    = f Q
 *     Q_chiller = (1 - f) Q
 *     T_leave   = max(T_sup, min(T_ret, T_hx))   chilled water leaving the exchanger (C)
 *
 * f is linear in temperature because the chilled-water flow (and so m cp) is the same through
 * the exchanger and the chillers (series arrangement, exchanger first).
 *
 * ## Parameters
 *
 * | name                  | unit | meaning                                                   |
 * | --------------------- | ---- | --------------------------------------------------------- |
 * | load_w                | W    | chilled-water load Q                                      |
 * | return_c              | C    | chilled-water return T_ret                                |
 * | supply_setpoint_c     | C    | chilled-water supply setpoint T_sup                       |
 * | cooling_water_c       | C    | water from the tower / dry cooler entering the exchanger  |
 * | hx_approach_k         | K    | exchanger approach dT_hx (typically 1-3 K; no default)    |
 * | tolerance_k           | K    | tol, resolution of T_cw (>= 0; default 0)                 |
 *
 * ## Validity
 *
 * Steady state, series (integrated) economizer, exchanger sized for the full chilled-water flow;
 * the exchanger approach is taken as constant (in reality it grows with load for a fixed plate
 * area). The tower or dry cooler must be able to reject the free part of the load at the
 * assumed T_cw: compose with cooling_tower.h / dry_cooler.h and iterate. Preconditions (caller's
 * job): return_c > supply_setpoint_c, load_w >= 0, hx_approach_k >= 0.
 *
 * ## How to use
 *
 *     EconomizerPoint e = waterside_economizer(5.0e6, 18.0, 12.0, 13.0, 2.0);
 *     // T_hx = 15 C: partial, f = (18 - 15) / (18 - 12) = 0.5, chiller load 2.5 MW
 *
 * ## Accuracy
 *
 * The three-mode logic is how integrated water-side economizers are controlled (ASHRAE 90.1 asks
 * that economizers be integrated, i.e. able to carry part of the load while the chillers run).
 * Its energy
 * result is as good as the tower model giving T_cw and the assumed exchanger approach.
 *
 * ## Source
 *
 * ASHRAE Handbook - HVAC Systems and Equipment / HVAC Applications (Data Centers, "water-side
 * economizer"); ASHRAE Standard 90.1 section 6.5.1 (economizers, integrated control). The linear
 * fraction is an energy balance on the chilled-water stream, not an empirical fit.
 */

namespace dctwin::thermal {

enum class EconomizerMode { Off, Partial, Full };

struct EconomizerPoint {
  EconomizerMode mode = EconomizerMode::Off;
  double free_fraction = 0.0;  ///< f, share of the load carried by the exchanger
  double free_load_w = 0.0;    ///< W
  double chiller_load_w = 0.0; ///< W
  double hx_leaving_c = 0.0;   ///< C, chilled water leaving the exchanger (entering the chillers)
};

EconomizerPoint waterside_economizer(double load_w, double return_c, double supply_setpoint_c,
                                     double cooling_water_c, double hx_approach_k, double tolerance_k = 0.0);

}  // namespace dctwin::thermal
