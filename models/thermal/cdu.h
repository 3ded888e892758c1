#pragma once
/**
 * @file cdu.h
 * @brief Coolant distribution unit: counterflow ε-NTU heat exchanger between the technology
 *        cooling loop (TCS, to the racks) and the facility water (FWS), with its pump on affinity laws.
 *
 * ## Equations
 *
 * Hot side = TCS water returning from the racks; cold side = facility water supply.
 *
 *     C_tcs = m_tcs * cp_tcs,  C_fws = m_fws * cp_fws
 *     UA(m_tcs, m_fws) = 1 / ( 1 / (hA_tcs,d * (m_tcs/m_tcs,d)^n) + 1 / (hA_fws,d * (m_fws/m_fws,d)^n) )
 *     Q = eps(NTU, Cr) * C_min * (T_tcs,return - T_fws,supply)         (counterflow, heat_exchanger.h)
 *     T_tcs,supply = T_tcs,return - Q / C_tcs        (to the racks)
 *     T_fws,return = T_fws,supply + Q / C_fws        (back to the facility)
 *     P_pump = P_pump,d * (m_tcs / m_tcs,d)^k        (affinity laws: flow ~ speed, power ~ speed^3, k = 3)
 *
 * Design UA comes from one rating point: eps_d = Q_d / (C_min,d * (T_tcs,return,d - T_fws,supply,d)),
 * UA_d = NTU(eps_d, Cr_d) * C_min,d. The split of UA_d into the two film conductances uses
 * r = hA_fws,d / hA_tcs,d (default 1): hA_tcs,d = UA_d (1 + r) / r, hA_fws,d = UA_d (1 + r).
 * Film conductances scale as m^n with n = 0.8 (turbulent forced convection, Dittus-Boelter),
 * as Modelica Buildings `CDUs/Data/Generic_epsNTU` does (nPla = nRac = 0.8).
 *
 * ## Parameters
 *
 * CduDesign (the rating point):
 *
 * | name                  | unit | meaning                                                      |
 * | --------------------- | ---- | ------------------------------------------------------------ |
 * | q_w                   | W    | design heat load                                             |
 * | tcs_flow_kg_s         | kg/s | design TCS (rack loop) flow                                   |
 * | fws_flow_kg_s         | kg/s | design facility-side flow                                    |
 * | cp_tcs_j_kg_k         | J/(kg K) | TCS fluid specific heat                                  |
 * | cp_fws_j_kg_k         | J/(kg K) | facility fluid specific heat                             |
 * | tcs_return_c          | °C   | design rack outlet = TCS return into the CDU                  |
 * | fws_supply_c          | °C   | design facility water entering the CDU                        |
 * | pump_power_w          | W    | CDU power at design flow (pumps; assigned here to the pump)   |
 * | hA_ratio              | -    | r = hA_fws / hA_tcs at design (default 1)                     |
 * | film_exponent         | -    | n, h ~ m^n (default 0.8)                                     |
 * | pump_exponent         | -    | k, P ~ (m/m_d)^k (default 3)                                 |
 *
 * ## Example: Google "Project Deschutes" CDU (Modelica Buildings record GoogleProjectDeschutes)
 *
 * 2 MW; approach 3 K; 74 kW power; 45 °C from the IT loop; IT loop 31.48 kg/s DI water
 * (cp 4180 J/(kg K)); facility loop 32.30 kg/s PG25 entering at 26.8 °C. The record derives
 * IT supply = 45 - 2e6 / (31.48 * 4180) = 29.80 °C and facility entering = 29.80 - 3 = 26.8 °C.
 * The record does not give the PG25 specific heat: `cdu_design_google_deschutes()` uses
 * 4180 J/(kg K) on both sides (an assumption; PG25's lower cp, roughly 3.9 kJ/(kg K), would make
 * the facility-side rise ~7 % larger). Then eps_d = 15.199 / 18.2 = 0.8351.
 *
 * ## Validity
 *
 * Steady heat transfer at each step (the CDU's water volume adds a lag of tens of seconds that
 * is left to the loop transport model), flows between ~30 % and ~120 % of design (the m^0.8 law
 * fails in laminar flow), one or more identical CDUs in parallel (scale flows and Q by the
 * count). Preconditions (caller's job): flows >= 0, design values > 0.
 *
 * ## How to use
 *
 *     CduParams cdu = cdu_from_design(cdu_design_google_deschutes());
 *     CduResult r = cdu_solve(cdu, 31.48, 32.30, 45.0, 26.8);   // r.tcs_supply_c ~ 29.8 °C
 *     CduFlowForSupply f = cdu_fws_flow_for_supply(cdu, 31.48, 45.0, 26.8, 30.0, 40.0);
 *
 * ## Accuracy
 *
 * At the rating point the model reproduces the rating exactly (by construction). Away from it,
 * the error is that of the UA scaling: a few percent in Q for flows within ±30 % of design with
 * plate heat exchangers; the pump's cube law overstates savings at low speed when the loop
 * holds a minimum differential pressure (use a smaller exponent, ~2, then). Real CDUs also have
 * fixed electrical loads (controls, VFD losses), here lumped into the pump's design power.
 *
 * ## Source
 *
 * Modelica Buildings Library, `Buildings.Applications.DataCenters.LiquidCooled.CDUs.CDU_epsNTU`,
 * data records `Generic_epsNTU` and `GoogleProjectDeschutes` (OCP 2026 figures); Incropera et al.,
 * "Fundamentals of Heat and Mass Transfer", ch. 11 (ε-NTU) and ch. 8 (Dittus-Boelter, Nu ~ Re^0.8);
 * pump affinity laws (any pump handbook, e.g. Karassik et al., "Pump Handbook").
 */

namespace dctwin::thermal {

struct CduDesign {
  double q_w;
  double tcs_flow_kg_s;
  double fws_flow_kg_s;
  double cp_tcs_j_kg_k;
  double cp_fws_j_kg_k;
  double tcs_return_c;
  double fws_supply_c;
  double pump_power_w;
  double hA_ratio = 1.0;
  double film_exponent = 0.8;
  double pump_exponent = 3.0;
};

struct CduParams {
  double ua_design_w_k;
  double hA_tcs_design_w_k;
  double hA_fws_design_w_k;
  double tcs_flow_design_kg_s;
  double fws_flow_design_kg_s;
  double cp_tcs_j_kg_k;
  double cp_fws_j_kg_k;
  double pump_power_design_w;
  double film_exponent;
  double pump_exponent;
  double effectiveness_design;  ///< eps at the rating point (for reference)
};

struct CduResult {
  double q_w;             ///< heat moved from TCS to FWS, W
  double tcs_supply_c;    ///< to the racks
  double fws_return_c;    ///< back to the facility
  double effectiveness;
  double ua_w_k;
  double pump_power_w;
};

/// UA and film conductances from the rating point (see the header).
CduParams cdu_from_design(const CduDesign& d);

/// UA (W/K) at the given flows; 0 when either flow is 0.
double cdu_ua_w_k(const CduParams& p, double tcs_flow_kg_s, double fws_flow_kg_s);

/// TCS pump power (W) at `tcs_flow_kg_s` (affinity law).
double cdu_pump_power_w(const CduParams& p, double tcs_flow_kg_s);

/// Heat transfer and outlet temperatures at the given flows and inlet temperatures.
CduResult cdu_solve(const CduParams& p, double tcs_flow_kg_s, double fws_flow_kg_s, double tcs_return_c,
                    double fws_supply_c);

struct CduFlowForSupply {
  double fws_flow_kg_s;  ///< facility flow that gives the setpoint (or max_fws_flow_kg_s)
  bool reachable;        ///< false when even max flow leaves the TCS supply above the setpoint
};

/// Facility-side flow (the CDU's valve) that brings the TCS supply to `tcs_supply_setpoint_c`,
/// found by bisection in [0, max_fws_flow_kg_s] (TCS supply falls monotonically with FWS flow).
CduFlowForSupply cdu_fws_flow_for_supply(const CduParams& p, double tcs_flow_kg_s, double tcs_return_c,
                                         double fws_supply_c, double tcs_supply_setpoint_c,
                                         double max_fws_flow_kg_s);

/// The Project Deschutes rating point (see the header; cp 4180 on both sides is an assumption).
CduDesign cdu_design_google_deschutes();

}  // namespace dctwin::thermal
