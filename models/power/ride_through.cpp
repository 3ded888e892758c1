#include "models/power/ride_through.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dctwin::power {

double psu_holdup_s(const PsuHoldUpParams& p) { return p.holdup_rated_s / std::max(p.load_fraction, 1e-6); }

bool psu_rides(const PsuHoldUpParams& p, double remaining_pu, double duration_s) {
  return remaining_pu >= p.min_input_pu || duration_s <= psu_holdup_s(p);
}

double itic_min_pu(double duration_s) {
  if (duration_s <= 0.02) return 0.0;
  if (duration_s <= 0.5) return 0.70;
  if (duration_s <= 10.0) return 0.80;
  return 0.90;
}

bool itic_rides(double remaining_pu, double duration_s) { return remaining_pu >= itic_min_pu(duration_s); }

bool ups_input_ok(const UpsRideThroughParams& p, double nominal_hz, double v_pu, double f_hz) {
  return v_pu >= p.input_min_pu && std::abs(f_hz - nominal_hz) <= p.frequency_band_hz;
}

double ups_detection_window_s(const UpsRideThroughParams& p, double nominal_hz) {
  return p.detection_window_s.value_or(0.5 / std::max(nominal_hz, 1e-9));
}

SlidingRms::SlidingRms(double window_s) : window_s_(window_s) {
  if (window_s_ > 0) steps_.emplace_back(window_s_, 1.0);
}

void SlidingRms::push(double v_pu, double dt_s) {
  if (window_s_ <= 0) {
    steps_.assign(1, {1.0, v_pu * v_pu});
    return;
  }
  if (dt_s >= window_s_) {
    steps_.assign(1, {window_s_, v_pu * v_pu});
    return;
  }
  steps_.emplace_back(dt_s, v_pu * v_pu);
  double total = 0;
  for (const auto& s : steps_) total += s.first;
  // Drop the oldest steps, and shorten the oldest kept one, so the steps cover exactly the window.
  std::size_t drop = 0;
  while (drop < steps_.size() && total - steps_[drop].first >= window_s_) total -= steps_[drop++].first;
  steps_.erase(steps_.begin(), steps_.begin() + static_cast<std::ptrdiff_t>(drop));
  if (total > window_s_) steps_.front().first -= total - window_s_;
}

double SlidingRms::rms_pu() const {
  double num = 0, den = 0;
  for (const auto& s : steps_) num += s.first * s.second, den += s.first;
  return den > 0 ? std::sqrt(num / den) : 1.0;
}

double ups_autonomy_s(double energy_j, double load_w) {
  if (load_w <= 0) return std::numeric_limits<double>::infinity();
  return std::max(0.0, energy_j) / load_w;
}

double retransfer_fraction(const UpsRideThroughParams& p, double since_ok_s) {
  const int g_count = std::max(1, p.retransfer_groups);
  double r = 0;
  for (int g = 0; g < g_count; ++g) {
    const double s = since_ok_s - p.retransfer_delay_s - g * p.retransfer_interval_s;
    if (s < 0) continue;
    r += (p.walk_in_s > 0 ? std::min(1.0, s / p.walk_in_s) : 1.0) / g_count;
  }
  return std::min(1.0, r);
}

double generator_accepted_fraction(const GeneratorParams& p, double since_start_s) {
  if (since_start_s < p.start_s) return 0.0;
  const int stages = std::max(1, p.stages);
  const double k = p.stage_interval_s > 0 ? std::floor((since_start_s - p.start_s) / p.stage_interval_s) + 1 : stages;
  return std::min<double>(stages, k) / stages;
}

std::vector<DriveOff> drive_off_intervals(const DriveTripParams& d, const std::vector<VoltageDip>& dips) {
  // Low stretches: dips below the trip level, adjacent ones merged.
  std::vector<std::pair<double, double>> low;
  for (const auto& x : dips) {
    if (!(x.v_pu < d.trip_pu) || x.end_s <= x.start_s) continue;
    if (!low.empty() && x.start_s <= low.back().second) low.back().second = std::max(low.back().second, x.end_s);
    else low.emplace_back(x.start_s, x.end_s);
  }
  std::vector<DriveOff> out;
  bool off = false;
  DriveOff cur;
  for (const auto& [a, b] : low) {
    if (off && a <= cur.restart_s) {  // still locked out: the lockout starts again from this dip's end
      cur.restart_s = b + d.restart_lockout_s;
      continue;
    }
    if (off) out.push_back(cur), off = false;
    if (b - a > d.ride_through_s) off = true, cur = {a + d.ride_through_s, b + d.restart_lockout_s};
  }
  if (off) out.push_back(cur);
  return out;
}

double chiller_restart_fraction(const DriveTripParams& d, double since_restart_s) {
  if (since_restart_s < 0) return 0.0;
  return d.chiller_ramp_s > 0 ? std::min(1.0, since_restart_s / d.chiller_ramp_s) : 1.0;
}

bool DisturbanceCounter::record(double t_s) {
  times_.push_back(t_s);
  return count_in_window(t_s) >= static_cast<std::size_t>(std::max(1, n_));
}

std::size_t DisturbanceCounter::count_in_window(double t_s) const {
  std::size_t c = 0;
  for (double t : times_)
    if (t <= t_s && t > t_s - window_s_) ++c;
  return c;
}

}  // namespace dctwin::power
