#include "models/power/power_cap.h"

#include <cmath>

namespace dctwin::power {

CappedPhase apply_power_cap(double phase_w, double static_w, double cap_w, double exponent, bool compute_bound) {
  CappedPhase r;
  if (cap_w >= phase_w || phase_w <= static_w) {
    r.power_w = phase_w;
    return r;
  }
  r.power_w = cap_w;
  r.clock_ratio = std::pow((cap_w - static_w) / (phase_w - static_w), 1.0 / exponent);
  r.slowdown = compute_bound ? 1.0 / r.clock_ratio : 1.0;
  return r;
}

}  // namespace dctwin::power
