#include "models/power/battery.h"

#include <algorithm>
#include <cmath>

namespace dctwin::power {

RampLimitingBattery::RampLimitingBattery(BatteryParams p, double initial_soc, double initial_grid_w)
    : p_(p), e_(initial_soc * p.energy_j), g_prev_(initial_grid_w) {}

double ramp_limited_grid_w(const BatteryParams& p, double e_j, double g_prev_w, double load_w, double dt_s) {
  const double desired = load_w + (p.soc_target * p.energy_j - e_j) / p.recovery_s;
  return std::clamp(desired, g_prev_w - p.ramp_limit_w_s * dt_s, g_prev_w + p.ramp_limit_w_s * dt_s);
}

double storage_power_w(const BatteryParams& p, double e_j, double grid_w, double load_w, double horizon_s, double min_grid_w) {
  const double sq = std::sqrt(p.round_trip_efficiency);
  const double e_min = p.soc_min * p.energy_j, e_max = p.soc_max * p.energy_j;
  double b = grid_w - load_w;
  // Power limit, then the grid floor (no export).
  b = std::clamp(b, -p.power_w, p.power_w);
  b = std::max(b, min_grid_w - load_w);
  // Energy window: the most the battery can take or give over the horizon.
  const double max_charge = std::max(0.0, (e_max - e_j) / (sq * horizon_s));
  const double max_discharge = std::max(0.0, (e_j - e_min) * sq / horizon_s);
  return std::clamp(b, -max_discharge, max_charge);
}

double storage_balance_rel_error(double grid_j, double load_j, double initial_j, double final_j, double loss_j) {
  const double rhs = load_j + (final_j - initial_j) + loss_j;
  return std::abs(grid_j - rhs) / std::max(std::abs(grid_j), 1e-300);
}

double store_energy(const BatteryParams& p, double& e_j, double battery_w, double dt_s) {
  const double sq = std::sqrt(p.round_trip_efficiency);
  if (battery_w >= 0) {
    e_j += battery_w * sq * dt_s;
    return battery_w * (1 - sq);
  }
  e_j += battery_w / sq * dt_s;
  return -battery_w * (1 / sq - 1);
}

BatteryStep RampLimitingBattery::step(double load_w, double dt_s) {
  const double lo = g_prev_ - p_.ramp_limit_w_s * dt_s, hi = g_prev_ + p_.ramp_limit_w_s * dt_s;
  const double g_set = ramp_limited_grid_w(p_, e_, g_prev_, load_w, dt_s);
  const double b = storage_power_w(p_, e_, g_set, load_w, dt_s);
  const double g = load_w + b;
  BatteryStep s;
  s.grid_w = g;
  s.battery_w = b;
  s.ramp_violation = g < lo - 1e-9 * std::abs(lo) || g > hi + 1e-9 * std::abs(hi);
  s.loss_w = store_energy(p_, e_, b, dt_s);
  g_prev_ = g;
  return s;
}

}  // namespace dctwin::power
