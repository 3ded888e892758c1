#include "models/power/battery.h"

#include <algorithm>
#include <cmath>

namespace dctwin::power {

RampLimitingBattery::RampLimitingBattery(BatteryParams p, double initial_soc, double initial_grid_w)
    : p_(p), e_(initial_soc * p.energy_j), g_prev_(initial_grid_w) {}

BatteryStep RampLimitingBattery::step(double load_w, double dt_s) {
  const double sq = std::sqrt(p_.round_trip_efficiency);
  const double e_min = p_.soc_min * p_.energy_j, e_max = p_.soc_max * p_.energy_j;
  const double desired = load_w + (p_.soc_target * p_.energy_j - e_) / p_.recovery_s;
  const double lo = g_prev_ - p_.ramp_limit_w_s * dt_s, hi = g_prev_ + p_.ramp_limit_w_s * dt_s;
  double g = std::clamp(desired, lo, hi);
  double b = g - load_w;
  // Power limit.
  b = std::clamp(b, -p_.power_w, p_.power_w);
  // Energy window: the most the battery can take or give over this step.
  const double max_charge = std::max(0.0, (e_max - e_) / (sq * dt_s));
  const double max_discharge = std::max(0.0, (e_ - e_min) * sq / dt_s);
  b = std::clamp(b, -max_discharge, max_charge);
  g = load_w + b;
  BatteryStep s;
  s.grid_w = g;
  s.battery_w = b;
  s.ramp_violation = g < lo - 1e-9 * std::abs(lo) || g > hi + 1e-9 * std::abs(hi);
  if (b >= 0) {
    e_ += b * sq * dt_s;
    s.loss_w = b * (1 - sq);
  } else {
    e_ += b / sq * dt_s;
    s.loss_w = -b * (1 / sq - 1);
  }
  g_prev_ = g;
  return s;
}

}  // namespace dctwin::power
