#include "models/thermal/cdu.h"

#include <algorithm>
#include <cmath>

#include "models/thermal/heat_exchanger.h"

namespace dctwin::thermal {

CduParams cdu_from_design(const CduDesign& d) {
  const double c_tcs = d.tcs_flow_kg_s * d.cp_tcs_j_kg_k;
  const double c_fws = d.fws_flow_kg_s * d.cp_fws_j_kg_k;
  const double c_min = std::min(c_tcs, c_fws);
  const double eps = d.q_w / (c_min * (d.tcs_return_c - d.fws_supply_c));
  const double ua = hx_ua_for_effectiveness(HxFlow::Counterflow, eps, c_tcs, c_fws);
  const double r = d.hA_ratio;
  return CduParams{ua,
                   ua * (1.0 + r) / r,
                   ua * (1.0 + r),
                   d.tcs_flow_kg_s,
                   d.fws_flow_kg_s,
                   d.cp_tcs_j_kg_k,
                   d.cp_fws_j_kg_k,
                   d.pump_power_w,
                   d.film_exponent,
                   d.pump_exponent,
                   eps};
}

double cdu_ua_w_k(const CduParams& p, double tcs_flow_kg_s, double fws_flow_kg_s) {
  if (tcs_flow_kg_s <= 0.0 || fws_flow_kg_s <= 0.0) return 0.0;
  const double ha_t = p.hA_tcs_design_w_k * std::pow(tcs_flow_kg_s / p.tcs_flow_design_kg_s, p.film_exponent);
  const double ha_f = p.hA_fws_design_w_k * std::pow(fws_flow_kg_s / p.fws_flow_design_kg_s, p.film_exponent);
  return 1.0 / (1.0 / ha_t + 1.0 / ha_f);
}

double cdu_pump_power_w(const CduParams& p, double tcs_flow_kg_s) {
  return p.pump_power_design_w * std::pow(std::max(tcs_flow_kg_s, 0.0) / p.tcs_flow_design_kg_s, p.pump_exponent);
}

CduResult cdu_solve(const CduParams& p, double tcs_flow_kg_s, double fws_flow_kg_s, double tcs_return_c,
                    double fws_supply_c) {
  const double ua = cdu_ua_w_k(p, tcs_flow_kg_s, fws_flow_kg_s);
  const HxResult hx = hx_solve(HxFlow::Counterflow, ua, tcs_flow_kg_s * p.cp_tcs_j_kg_k,
                               fws_flow_kg_s * p.cp_fws_j_kg_k, tcs_return_c, fws_supply_c);
  return CduResult{hx.q_w, hx.t_hot_out_c, hx.t_cold_out_c, hx.effectiveness, ua, cdu_pump_power_w(p, tcs_flow_kg_s)};
}

CduFlowForSupply cdu_fws_flow_for_supply(const CduParams& p, double tcs_flow_kg_s, double tcs_return_c,
                                         double fws_supply_c, double tcs_supply_setpoint_c,
                                         double max_fws_flow_kg_s) {
  auto supply = [&](double m) { return cdu_solve(p, tcs_flow_kg_s, m, tcs_return_c, fws_supply_c).tcs_supply_c; };
  if (supply(max_fws_flow_kg_s) > tcs_supply_setpoint_c) return {max_fws_flow_kg_s, false};
  if (supply(0.0) <= tcs_supply_setpoint_c) return {0.0, true};
  double lo = 0.0, hi = max_fws_flow_kg_s;
  for (int i = 0; i < 100 && hi - lo > 1e-12 * max_fws_flow_kg_s; ++i) {
    const double mid = 0.5 * (lo + hi);
    (supply(mid) > tcs_supply_setpoint_c ? lo : hi) = mid;
  }
  return {hi, true};
}

CduDesign cdu_design_google_deschutes() {
  return CduDesign{2.0e6, 31.48, 32.30, 4180.0, 4180.0, 45.0, 26.8, 74.0e3};
}

}  // namespace dctwin::thermal
