#include "models/power/fan.h"

#include <algorithm>

namespace dctwin::power {

double fan_speed_fraction(const FanParams& p, double heat_w) {
  return std::max(heat_w / p.design_heat_w, p.min_speed_fraction);
}

double fan_power_w(const FanParams& p, double heat_w) {
  if (p.max_w == 0.0) return 0.0;  // no fans; avoids 0 * inf when design_heat_w is also 0
  const double s = fan_speed_fraction(p, heat_w);
  return p.max_w * s * s * s;
}

}  // namespace dctwin::power
