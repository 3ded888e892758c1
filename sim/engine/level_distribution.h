// Time-weighted distribution of a piecewise-constant signal (the meter power): how long the signal
// held each level, so its quantiles are those of the exact signal, whatever the output step.
//
//   F(x)   = (time with level <= x) / (total time)
//   Q(q)   = min { level x : F(x) >= q }   (lower quantile, the inverse of F; q in 0..1)
//
// Levels are kept exactly up to kMaxLevels distinct values; beyond that (power ramps, weather-driven
// cooling) each level is replaced by the centre of its bin of width w = 2^k W, the smallest power of
// two that keeps at most kMaxLevels / 2 bins, and w doubles again when needed. A quantile is then
// within w / 2 of the exact one; w <= 4 * (largest - smallest level) / kMaxLevels, about 6 kW for a
// 25 MW range. Deterministic, saved in checkpoints. Adds are buffered and merged into the sorted
// levels kBatch at a time, with the same sums in the same order as one add at a time (a batch is cut
// at the add that takes the count past kMaxLevels, where the bins coarsen).
#pragma once
#include <cstddef>
#include <utility>
#include <vector>
#include <optional>

#include "sim/engine/checkpoint.h"

namespace dctwin {

class LevelDistribution {
 public:
  static constexpr std::size_t kMaxLevels = std::size_t{1} << 14;

  void add(double level, double seconds);
  // Q(q) as defined above; nullopt when no time was added.
  std::optional<double> quantile(double q) const;
  double total_s() const { return total_s_; }
  std::size_t size() const { return settled().levels.size(); }
  double bin_width() const { return settled().width; }  // 0 while exact

  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r);

 private:
  static constexpr std::size_t kBatch = 4096;
  using Levels = std::vector<std::pair<double, double>>;
  struct Bins {
    Levels levels;  // (level or bin centre, seconds), ascending and distinct
    double width = 0;
    void merge(const Levels& adds);  // adds (level, seconds) in the order they came
    std::size_t merge_from(const Levels& adds, std::size_t first);
    void coarsen();
    double key(double level) const;
  };
  Bins settled() const;  // bins_ with the buffered adds merged (a copy only when some are buffered)

  Bins bins_;
  Levels pending_;  // buffered adds
  double total_s_ = 0;
};

}  // namespace dctwin
