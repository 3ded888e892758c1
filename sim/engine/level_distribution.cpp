#include "sim/engine/level_distribution.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace dctwin {

namespace {
struct Level {
  double level, seconds;
};
}  // namespace

double LevelDistribution::key(double level) const {
  return width_ > 0 ? (std::floor(level / width_) + 0.5) * width_ : level;
}

void LevelDistribution::add(double level, double seconds) {
  if (!(seconds > 0) || !std::isfinite(level)) return;
  time_s_[key(level)] += seconds;
  total_s_ += seconds;
  if (time_s_.size() > kMaxLevels) coarsen();
}

// Re-bins into power-of-two bins aligned at 0: a bin of width 2w holds two whole bins of width w,
// so a bin centre re-keys into the bin that holds every level it stood for.
void LevelDistribution::coarsen() {
  if (width_ == 0) {
    const double span = time_s_.rbegin()->first - time_s_.begin()->first;
    width_ = std::exp2(std::floor(std::log2(span / static_cast<double>(kMaxLevels))));
  }
  while (time_s_.size() > kMaxLevels / 2) {
    width_ *= 2;
    std::map<double, double> binned;
    for (const auto& [level, s] : time_s_) binned[key(level)] += s;
    time_s_ = std::move(binned);
  }
}

std::optional<double> LevelDistribution::quantile(double q) const {
  if (time_s_.empty() || !(total_s_ > 0)) return std::nullopt;
  const double target = std::clamp(q, 0.0, 1.0) * total_s_;
  double cum = 0;
  for (const auto& [level, s] : time_s_) {
    cum += s;
    if (cum >= target) return level;
  }
  return time_s_.rbegin()->first;  // rounding: the sum fell just short of the total
}

void LevelDistribution::save(CheckpointWriter& w) const {
  std::vector<Level> v;
  v.reserve(time_s_.size());
  for (const auto& [level, s] : time_s_) v.push_back({level, s});
  w.put_vector(v);
  w.put(total_s_);
  w.put(width_);
}

void LevelDistribution::load(CheckpointReader& r) {
  std::vector<Level> v;
  r.get_vector(v);
  time_s_.clear();
  for (const auto& l : v) time_s_[l.level] = l.seconds;
  r.get(total_s_);
  r.get(width_);
}

}  // namespace dctwin
