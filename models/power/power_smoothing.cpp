#include "models/power/power_smoothing.h"

#include <algorithm>
#include <cmath>

namespace dctwin::power {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

PowerSmoother::PowerSmoother(SmoothingParams p, double initial_w) : p_(p), demand_(initial_w) {
  out_ = target();
  next_ = kInf;
}

double PowerSmoother::target() const { return std::max(demand_, p_.floor_w); }

void PowerSmoother::set_demand(double t, double demand_w) {
  const bool was_falling = target() < out_;
  t_ = t;
  demand_ = demand_w;
  const double g = target();
  if (g >= out_) {
    hold_until_ = -kInf;  // a rise (or a return to the current level) cancels a pending fall
  } else if (!was_falling) {
    hold_until_ = t + p_.hysteresis_s;  // the target fell below the output: the hold starts now
  }
  schedule();
}

void PowerSmoother::schedule() {
  const double g = target();
  if (g > out_) {
    next_ = std::isinf(p_.ramp_up_w_s) ? t_ : t_ + p_.quantum_s;
  } else if (g < out_) {
    next_ = std::isinf(p_.ramp_down_w_s) ? std::max(t_, hold_until_) : std::max(t_ + p_.quantum_s, hold_until_);
  } else {
    next_ = kInf;
  }
}

double PowerSmoother::next_change() const { return next_; }

void PowerSmoother::advance(double t) {
  const bool step = t >= next_;
  t_ = t;
  if (!step) return;
  const double g = target();
  if (g > out_) {
    out_ = std::isinf(p_.ramp_up_w_s) ? g : std::min(g, out_ + p_.ramp_up_w_s * p_.quantum_s);
  } else if (g < out_) {
    out_ = std::isinf(p_.ramp_down_w_s) ? g : std::max(g, out_ - p_.ramp_down_w_s * p_.quantum_s);
  }
  schedule();
}

}  // namespace dctwin::power
