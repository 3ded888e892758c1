#include "models/thermal/gpu_junction.h"

#include <cmath>
#include <limits>

namespace dctwin::thermal {

double gpu_leakage_delta_w(const GpuJunctionParams& p, double junction_c) {
  if (p.leakage_w_at_ref <= 0) return 0.0;
  return p.leakage_w_at_ref * (std::exp2((junction_c - p.leakage_ref_c) / p.leakage_doubling_k) - 1.0);
}

double gpu_junction_steady_c(const GpuJunctionParams& p, double power_w, double coolant_c) {
  // T = g(T) = T_c + R (P + dL(T)), g increasing and convex: iterating from the lowest possible
  // temperature (dL >= -L_ref) climbs monotonically to the smallest fixed point, or past 250 °C
  // when there is none.
  double t = coolant_c + p.r_th_k_w * (power_w - p.leakage_w_at_ref);
  for (int i = 0; i < 500; ++i) {
    const double next = coolant_c + p.r_th_k_w * (power_w + gpu_leakage_delta_w(p, t));
    if (next > 250.0) return std::numeric_limits<double>::infinity();
    if (std::abs(next - t) < 1e-9) return next;
    t = next;
  }
  return t;
}

double gpu_junction_step_c(const GpuJunctionParams& p, double t_now_c, double power_w, double coolant_c, double dt_s) {
  const double target = coolant_c + p.r_th_k_w * (power_w + gpu_leakage_delta_w(p, t_now_c));
  return target + (t_now_c - target) * std::exp(-dt_s / p.tau_s);
}

double gpu_thermal_limit_w(const GpuJunctionParams& p, double coolant_c) {
  return (p.throttle_c - coolant_c) / p.r_th_k_w - gpu_leakage_delta_w(p, p.throttle_c);
}

}  // namespace dctwin::thermal
