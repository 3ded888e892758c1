#include "models/thermal/chiller.h"

#include "models/thermal/psychrometrics.h"  // kCpWaterJkgK

#include <algorithm>
#include <cmath>

namespace dctwin::thermal {

double biquadratic(const std::array<double, 6>& c, double x, double y) {
  return c[0] + c[1] * x + c[2] * x * x + c[3] * y + c[4] * y * y + c[5] * x * y;
}

double quadratic(const std::array<double, 3>& c, double x) { return c[0] + c[1] * x + c[2] * x * x; }

double chiller_warm_water_eir_factor(const ChillerParams& p, double chw_leaving_c,
                                     double cond_entering_c, double cond_rise_k) {
  const double xe = p.chw_leaving_max_c;
  if (p.chw_extrapolation_k <= 0.0 || chw_leaving_c <= xe) return 1.0;
  constexpr double kMinFactor = 0.6;  // assumption, see the header
  const double x = std::min(chw_leaving_c, xe + p.chw_extrapolation_k);
  // Refrigerant temperatures (K): condensing above the leaving condenser water, evaporating below
  // the leaving chilled water.
  const double t_cond = cond_entering_c + std::max(cond_rise_k, 0.0) + p.cond_approach_k + 273.15;
  const double t_evap_e = xe - p.evap_approach_k + 273.15, t_evap = x - p.evap_approach_k + 273.15;
  const double lift_e = (t_cond - t_evap_e) / t_evap_e;
  if (lift_e <= 0.0) return kMinFactor;
  const double lift = (t_cond - t_evap) / t_evap;
  return std::clamp(lift / lift_e, kMinFactor, 1.0);
}

namespace {
// The x the biquadratics see: held at the fitted maximum inside the warm-water span.
double curve_x(const ChillerParams& p, double chw_leaving_c) {
  return p.chw_extrapolation_k > 0.0 && chw_leaving_c > p.chw_leaving_max_c ? p.chw_leaving_max_c : chw_leaving_c;
}
}  // namespace

double chiller_capft(const ChillerParams& p, double chw_leaving_c, double cond_entering_c) {
  return biquadratic(p.curves.capft, curve_x(p, chw_leaving_c), cond_entering_c);
}

double chiller_eirft(const ChillerParams& p, double chw_leaving_c, double cond_entering_c,
                     double cond_rise_k) {
  return biquadratic(p.curves.eirft, curve_x(p, chw_leaving_c), cond_entering_c) *
         chiller_warm_water_eir_factor(p, chw_leaving_c, cond_entering_c, cond_rise_k);
}

double chiller_eirfplr(const ChillerParams& p, double plr) { return quadratic(p.curves.eirfplr, plr); }

double chiller_available_capacity_w(const ChillerParams& p, double chw_leaving_c,
                                    double cond_entering_c) {
  return p.ref_capacity_w * chiller_capft(p, chw_leaving_c, cond_entering_c);
}

bool chiller_within_curve_range(const ChillerParams& p, double chw_leaving_c,
                                double cond_entering_c) {
  return chw_leaving_c >= p.chw_leaving_min_c && chw_leaving_c <= p.chw_leaving_max_c &&
         cond_entering_c >= p.cond_entering_min_c && cond_entering_c <= p.cond_entering_max_c;
}

ChillerPoint chiller_operate(const ChillerParams& p, double load_w, double chw_leaving_c,
                             double cond_entering_c) {
  ChillerPoint r;
  r.load_w = load_w;
  r.capft = chiller_capft(p, chw_leaving_c, cond_entering_c);
  r.eirft = chiller_eirft(p, chw_leaving_c, cond_entering_c);
  r.available_capacity_w = p.ref_capacity_w * r.capft;
  if (load_w <= 0.0) return r;  // off: no power, no heat
  if (r.available_capacity_w <= 0.0) {
    r.unmet_w = load_w;
    return r;
  }
  r.plr = std::min(load_w / r.available_capacity_w, p.max_plr);
  r.evaporator_w = r.plr * r.available_capacity_w;
  r.unmet_w = load_w - r.evaporator_w;
  if (r.unmet_w < 1e-12 * load_w) {  // rounding only: the load is met
    r.evaporator_w = load_w;
    r.unmet_w = 0.0;
  }
  r.cycling_ratio = r.plr < p.min_plr ? std::min(1.0, r.plr / p.min_plr) : 1.0;
  r.plr_operating = std::max(r.plr, p.min_unloading_ratio);
  r.eirfplr = chiller_eirfplr(p, r.plr_operating);
  r.power_w = r.available_capacity_w / p.ref_cop * r.eirft * r.eirfplr * r.cycling_ratio;
  // The condenser water's rise dT_c = (Q_evap + P) / (m_c cp) enters the warm-water factor, which
  // sets P: fixed point from dT_c = 0 (a contraction, see the header).
  if (p.cond_flow_kg_s > 0.0 && p.chw_extrapolation_k > 0.0 && chw_leaving_c > p.chw_leaving_max_c) {
    double rise = 0.0;
    for (int it = 0; it < 50; ++it) {
      const double next = (r.evaporator_w + r.power_w) / (p.cond_flow_kg_s * kCpWaterJkgK);
      const bool settled = std::abs(next - rise) < 1e-9;
      rise = next;
      r.eirft = chiller_eirft(p, chw_leaving_c, cond_entering_c, rise);
      r.power_w = r.available_capacity_w / p.ref_cop * r.eirft * r.eirfplr * r.cycling_ratio;
      if (settled) break;
    }
  }
  r.false_load_w =
      std::max(0.0, r.available_capacity_w * r.plr_operating * r.cycling_ratio - r.evaporator_w);
  r.condenser_heat_w = r.evaporator_w + r.power_w;
  r.cop = r.power_w > 0.0 ? r.evaporator_w / r.power_w : 0.0;
  return r;
}

ChillerStaging chiller_plant_stage(const ChillerParams& p, int n_duty, int n_standby,
                                   int n_failed, double stage_plr, double load_w,
                                   double chw_leaving_c, double cond_entering_c) {
  ChillerStaging s;
  s.max_running = std::max(0, std::min(n_duty, n_duty + n_standby - n_failed));
  if (load_w <= 0.0) return s;
  const double q_avail = chiller_available_capacity_w(p, chw_leaving_c, cond_entering_c);
  int needed = s.max_running + 1;  // "more than may run" unless computed below
  if (q_avail > 0.0 && stage_plr > 0.0) {
    const double k = std::ceil(load_w / (stage_plr * q_avail) - 1e-12);
    needed = static_cast<int>(std::max(1.0, std::min(k, static_cast<double>(s.max_running) + 1.0)));
  }
  s.capacity_exceeded = needed > s.max_running;
  s.running = std::min(needed, s.max_running);
  if (s.running == 0) {
    s.total_unmet_w = load_w;
    return s;
  }
  s.load_each_w = load_w / s.running;
  s.each = chiller_operate(p, s.load_each_w, chw_leaving_c, cond_entering_c);
  s.plr_each = s.each.plr;
  s.total_power_w = s.running * s.each.power_w;
  s.total_condenser_heat_w = s.running * s.each.condenser_heat_w;
  s.total_unmet_w = s.running * s.each.unmet_w;
  return s;
}

ChillerParams chiller_doe2_centrifugal(double ref_capacity_w) {
  ChillerParams p{};
  p.ref_capacity_w = ref_capacity_w;
  p.ref_cop = 5.5;
  p.ref_chw_leaving_c = 6.67;
  p.ref_cond_entering_c = 29.4;
  p.min_plr = 0.1;
  p.max_plr = 1.0;
  p.min_unloading_ratio = 0.2;
  p.curves.capft = {0.257896, 0.0389016, -0.000217080, 0.0468684, -0.000942840, -0.000343440};
  p.curves.eirft = {0.933884, -0.0582120, 0.00450036, 0.00243000, 0.000486000, -0.00121500};
  p.curves.eirfplr = {0.222903, 0.313387, 0.463710};
  p.chw_leaving_min_c = 5.0;
  p.chw_leaving_max_c = 10.0;
  p.evap_approach_k = p.cond_approach_k = kChillerApproachDefaultK;
  p.cond_entering_min_c = 24.0;
  p.cond_entering_max_c = 35.0;
  return p;
}

ChillerParams chiller_mcquay_wsc_471kw() {
  ChillerParams p{};
  p.ref_capacity_w = 471200.0;
  p.ref_cop = 5.89;
  p.ref_chw_leaving_c = 8.89;
  p.ref_cond_entering_c = 26.67;
  p.min_plr = 0.10;
  p.max_plr = 1.15;
  p.min_unloading_ratio = 0.10;
  p.curves.capft = {2.521130E-01, 1.324053E-02, -8.637329E-03,
                    8.581056E-02, -4.261176E-03, 8.661899E-03};
  p.curves.eirft = {4.475238E-01, -2.588210E-02, -1.459053E-03,
                    4.342595E-02, -1.000651E-03, 1.920106E-03};
  p.curves.eirfplr = {2.778889E-01, 2.338363E-01, 4.883748E-01};
  p.chw_leaving_min_c = 7.22;
  p.chw_leaving_max_c = 12.78;
  p.evap_approach_k = p.cond_approach_k = kChillerApproachDefaultK;
  p.cond_entering_min_c = 12.78;
  p.cond_entering_max_c = 26.67;
  return p;
}

}  // namespace dctwin::thermal
