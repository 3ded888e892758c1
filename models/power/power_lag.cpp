#include "models/power/power_lag.h"

#include <algorithm>
#include <cmath>

namespace dctwin::power {

PowerLag::PowerLag(PowerLagParams p, double initial_w) : p_(p), target_(initial_w), p0_(initial_w), out_(initial_w) {}

void PowerLag::set_target(double t, double target_w) {
  // The exact response at t, from the current transition (the target when settled).
  const double now = std::isinf(next_) ? out_ : target_ + (p0_ - target_) * std::exp(-(t - t0_) / tau_);
  p0_ = now;
  t0_ = t;
  target_ = target_w;
  tau_ = target_w > now ? p_.tau_rise_s : p_.tau_fall_s;
  q_ = tau_ / 2.0;
  settle_w_ = std::max(0.5, 0.01 * std::abs(now - target_w));
  k_ = 0;
  set_quantum_output();
}

void PowerLag::advance(double t) {
  if (t < next_) return;
  ++k_;
  set_quantum_output();
}

void PowerLag::set_quantum_output() {
  const double start_gap = (p0_ - target_) * std::exp(-static_cast<double>(k_) * q_ / tau_);
  if (std::abs(start_gap) <= settle_w_) {
    out_ = target_;
    next_ = std::numeric_limits<double>::infinity();
    return;
  }
  out_ = target_ + start_gap * (tau_ / q_) * (1.0 - std::exp(-q_ / tau_));
  next_ = t0_ + static_cast<double>(k_ + 1) * q_;
}

}  // namespace dctwin::power
