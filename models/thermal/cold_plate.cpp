#include "models/thermal/cold_plate.h"

#include <cmath>

namespace dctwin::thermal {

double cold_plate_steady_c(const ColdPlateParams& p, double power_w, double coolant_in_c) {
  return coolant_in_c + power_w * p.r_th_k_w;
}

double cold_plate_step_c(const ColdPlateParams& p, double t_now_c, double power_w, double coolant_in_c, double dt_s) {
  const double tss = cold_plate_steady_c(p, power_w, coolant_in_c);
  return tss + (t_now_c - tss) * std::exp(-dt_s / p.tau_s);
}

double cold_plate_outlet_c(double power_w, double coolant_in_c, double flow_kg_s, double cp_j_kg_k) {
  return coolant_in_c + power_w / (flow_kg_s * cp_j_kg_k);
}

double cold_plate_dp_pa(const ColdPlateParams& p, double flow_kg_s) {
  return p.dp_design_pa * std::pow(std::abs(flow_kg_s) / p.flow_design_kg_s, p.dp_exponent);
}

double cold_plate_resistance_k_w(const std::vector<ResistancePoint>& t, double flow_kg_s) {
  if (flow_kg_s <= t.front().flow_kg_s) return t.front().r_th_k_w;
  if (flow_kg_s >= t.back().flow_kg_s) return t.back().r_th_k_w;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (flow_kg_s <= t[i].flow_kg_s) {
      const double w = (flow_kg_s - t[i - 1].flow_kg_s) / (t[i].flow_kg_s - t[i - 1].flow_kg_s);
      return (1.0 - w) * t[i - 1].r_th_k_w + w * t[i].r_th_k_w;
    }
  }
  return t.back().r_th_k_w;
}

std::vector<ResistancePoint> ocp_1kw_oam_water_resistance() {
  constexpr double kg_s_per_l_min = 997.0 / 1000.0 / 60.0;  // water at ~25 °C
  return {{2.0 * kg_s_per_l_min, 0.0172},
          {3.0 * kg_s_per_l_min, 0.0160},
          {4.0 * kg_s_per_l_min, 0.0154},
          {5.0 * kg_s_per_l_min, 0.0151}};
}

ColdPlateParams cold_plate_h100_class_illustrative() { return ColdPlateParams{0.035, 2.0, 50000.0, 0.0167, 1.85}; }

}  // namespace dctwin::thermal
