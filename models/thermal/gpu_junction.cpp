#include "models/thermal/gpu_junction.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace dctwin::thermal {

double gpu_leakage_delta_w(const GpuJunctionParams& p, double junction_c) {
  if (p.leakage_w_at_ref <= 0) return 0.0;
  return p.leakage_w_at_ref * (std::exp2((junction_c - p.leakage_ref_c) / p.leakage_doubling_k) - 1.0);
}

double gpu_runaway_point_c(const GpuJunctionParams& p) {
  if (p.leakage_w_at_ref <= 0) return std::numeric_limits<double>::infinity();
  return p.leakage_ref_c + p.leakage_doubling_k * std::log2(p.leakage_doubling_k / (p.r_th_k_w * p.leakage_w_at_ref * std::numbers::ln2));
}

double gpu_leakage_gain(const GpuJunctionParams& p, double junction_c) {
  if (p.leakage_w_at_ref <= 0) return 0.0;
  return p.r_th_k_w * p.leakage_w_at_ref * std::numbers::ln2 / p.leakage_doubling_k *
         std::exp2((junction_c - p.leakage_ref_c) / p.leakage_doubling_k);
}

double gpu_runaway_coolant_c(const GpuJunctionParams& p, double power_w) {
  if (p.leakage_w_at_ref <= 0) return std::numeric_limits<double>::infinity();
  return gpu_runaway_point_c(p) - p.leakage_doubling_k / std::numbers::ln2 - p.r_th_k_w * (power_w - p.leakage_w_at_ref);
}

bool gpu_runaway_escaped(const GpuJunctionParams& p, double junction_c, double min_power_w, double coolant_c) {
  if (!std::isfinite(junction_c)) return true;
  if (!(junction_c > gpu_runaway_point_c(p))) return false;
  return coolant_c + p.r_th_k_w * (min_power_w + gpu_leakage_delta_w(p, junction_c)) > junction_c;
}

double gpu_junction_steady_c(const GpuJunctionParams& p, double power_w, double coolant_c) {
  if (coolant_c > gpu_runaway_coolant_c(p, power_w)) return std::numeric_limits<double>::infinity();
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
