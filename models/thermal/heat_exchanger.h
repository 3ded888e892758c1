#pragma once
/**
 * @file heat_exchanger.h
 * @brief Effectiveness-NTU heat exchanger: counterflow, parallel flow, crossflow (both unmixed).
 *
 * ## Equations (Incropera et al., Fundamentals of Heat and Mass Transfer, ch. 11, Table 11.3)
 *
 *     C_h = m_h * cp_h,  C_c = m_c * cp_c            (W/K, capacity rates)
 *     C_min = min(C_h, C_c),  Cr = C_min / C_max,  NTU = UA / C_min
 *     Q = eps * C_min * (T_h,in - T_c,in)             (W, from hot to cold)
 *     T_h,out = T_h,in - Q / C_h,   T_c,out = T_c,in + Q / C_c
 *
 *     counterflow:  eps = (1 - exp(-NTU (1 - Cr))) / (1 - Cr exp(-NTU (1 - Cr)))   (Cr < 1)
 *                   eps = NTU / (1 + NTU)                                          (Cr = 1)
 *     parallel:     eps = (1 - exp(-NTU (1 + Cr))) / (1 + Cr)
 *     crossflow, both fluids unmixed (approximation, Incropera eq. 11.32):
 *                   eps = 1 - exp[(1/Cr) NTU^0.22 (exp(-Cr NTU^0.78) - 1)]
 *     any, Cr = 0:  eps = 1 - exp(-NTU)
 *
 * Counterflow is evaluated with the Cr = 1 limit when |1 - Cr| < 1e-9 (the general formula is
 * 0/0 there). The inverse NTU(eps, Cr) is closed-form for counterflow and parallel flow
 * (Incropera Table 11.4) and found by bisection for crossflow.
 *
 * ## Parameters
 *
 * | name         | unit | meaning                                                  |
 * | ------------ | ---- | -------------------------------------------------------- |
 * | flow         | -    | Counterflow, ParallelFlow, CrossflowUnmixed              |
 * | ua_w_k       | W/K  | overall conductance UA                                   |
 * | c_hot_w_k    | W/K  | hot-side capacity rate m_h * cp_h                        |
 * | c_cold_w_k   | W/K  | cold-side capacity rate m_c * cp_c                       |
 * | t_hot_in_c   | °C   | hot inlet temperature                                    |
 * | t_cold_in_c  | °C   | cold inlet temperature                                   |
 *
 * ## Validity
 *
 * Steady state, constant properties, no phase change, no heat loss to the surroundings.
 * Preconditions (caller's job): UA >= 0, capacity rates >= 0. A zero capacity rate on one side
 * (no flow) gives Q = 0. If T_h,in < T_c,in the same formulas give Q < 0 (heat flows the other
 * way), which is physically right.
 *
 * ## How to use
 *
 *     HxResult r = hx_solve(HxFlow::Counterflow, 5.0e5, 1.3e5, 1.35e5, 45.0, 26.8);
 *     double ua  = hx_ua_for_effectiveness(HxFlow::Counterflow, 0.835, 1.3e5, 1.35e5);
 *
 * ## Accuracy
 *
 * The relations are exact for their idealised geometry given UA; the error in practice is in UA,
 * which changes with flow (film coefficients h ~ m^0.8 in turbulent flow; see cdu.h) and with
 * fouling and fluid properties. Plate heat exchangers as used in CDUs are close to pure
 * counterflow (multi-pass units less so). The crossflow formula is Incropera's approximation of
 * the exact series; it is poor at small NTU: at NTU = 0.1 it gives up to ~3 % less than even
 * parallel flow (Cr ~ 1; checked in the tests), at NTU = 0.5 ~0.2 % less, and from NTU ~1 on it
 * lies between parallel flow and counterflow as it should. Its error against the exact series
 * was not checked here.
 *
 * ## Source
 *
 * F. P. Incropera, D. P. DeWitt, T. L. Bergman, A. S. Lavine, "Fundamentals of Heat and Mass
 * Transfer", 6th ed., Wiley, ch. 11 "Heat Exchangers", sec. 11.4 and Tables 11.3-11.4.
 */

namespace dctwin::thermal {

enum class HxFlow { Counterflow, ParallelFlow, CrossflowUnmixed };

/// Effectiveness for `ntu` >= 0 and 0 <= `cr` <= 1.
double hx_effectiveness(HxFlow flow, double ntu, double cr);

/// NTU that gives effectiveness `eps` at `cr`. Precondition: 0 <= eps < eps_max(cr) where
/// eps_max is 1 (counterflow, crossflow with Cr < 1) or 1/(1+Cr) (parallel); returns +inf at
/// or above it.
double hx_ntu_for_effectiveness(HxFlow flow, double eps, double cr);

struct HxResult {
  double q_w;            ///< heat from hot to cold side, W
  double t_hot_out_c;
  double t_cold_out_c;
  double effectiveness;
  double ntu;
  double cr;
};

HxResult hx_solve(HxFlow flow, double ua_w_k, double c_hot_w_k, double c_cold_w_k, double t_hot_in_c,
                  double t_cold_in_c);

/// UA (W/K) for effectiveness `eps` at capacity rates `c_hot_w_k`, `c_cold_w_k`.
double hx_ua_for_effectiveness(HxFlow flow, double eps, double c_hot_w_k, double c_cold_w_k);

}  // namespace dctwin::thermal
