#include "models/power/power_cap.h"

#include <cmath>

namespace dctwin::power {

double dvfs_dynamic_fraction(const DvfsCurve& c, double x) {
  if (x >= c.knee_clock_ratio) return std::pow(x, c.exponent);
  return x * std::pow(c.knee_clock_ratio, c.exponent - 1.0);
}

double dvfs_clock_ratio(const DvfsCurve& c, double r) {
  const double knee_r = c.knee_clock_ratio > 0 ? std::pow(c.knee_clock_ratio, c.exponent) : 0.0;
  if (r >= knee_r) return std::pow(r, 1.0 / c.exponent);
  return r / std::pow(c.knee_clock_ratio, c.exponent - 1.0);
}

CappedPhase apply_power_cap(double phase_w, const DvfsCurve& curve, double cap_w, bool compute_bound) {
  CappedPhase r;
  if (cap_w >= phase_w || phase_w <= curve.static_w) {
    r.power_w = phase_w;
    return r;
  }
  r.power_w = cap_w;
  r.clock_ratio = dvfs_clock_ratio(curve, (cap_w - curve.static_w) / (phase_w - curve.static_w));
  r.slowdown = compute_bound ? 1.0 / r.clock_ratio : 1.0;
  return r;
}

CappedPhase apply_power_cap(double phase_w, double static_w, double cap_w, double exponent, bool compute_bound) {
  return apply_power_cap(phase_w, DvfsCurve{static_w, exponent, 0.0}, cap_w, compute_bound);
}

}  // namespace dctwin::power
