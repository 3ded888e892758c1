#include "models/power/fan_control.h"

#include <cmath>

namespace dctwin::power {

double fan_lag_after(double lagged_w, double heat_w, double dt_s, double tau_s) {
  if (tau_s <= 0) return heat_w;
  return heat_w + (lagged_w - heat_w) * std::exp(-dt_s / tau_s);
}

double fan_lag_mean(double lagged_w, double heat_w, double dt_s, double tau_s) {
  if (tau_s <= 0) return heat_w;
  if (dt_s <= 0) return lagged_w;
  // (1 - e^-r) / r with expm1 for accuracy at small r = dt / tau.
  const double r = dt_s / tau_s;
  return heat_w + (lagged_w - heat_w) * (-std::expm1(-r) / r);
}

}  // namespace dctwin::power
