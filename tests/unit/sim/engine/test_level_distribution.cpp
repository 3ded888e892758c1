// The buffered level distribution (sim/engine/level_distribution.h) against the definition it keeps:
// one add at a time into an ordered map, coarsened at the add that takes it past kMaxLevels.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sim/engine/checkpoint.h"
#include "sim/engine/level_distribution.h"

using namespace dctwin;

namespace {
// The unbuffered definition: a level's time summed add by add, bins doubled as needed.
struct Reference {
  std::map<double, double> time_s;
  double width = 0, total = 0;
  double key(double level) const { return width > 0 ? (std::floor(level / width) + 0.5) * width : level; }
  void add(double level, double s) {
    time_s[key(level)] += s;
    total += s;
    if (time_s.size() <= LevelDistribution::kMaxLevels) return;
    if (width == 0)
      width = std::exp2(std::floor(std::log2((time_s.rbegin()->first - time_s.begin()->first) / double(LevelDistribution::kMaxLevels))));
    while (time_s.size() > LevelDistribution::kMaxLevels / 2) {
      width *= 2;
      std::map<double, double> binned;
      for (const auto& [level, t] : time_s) binned[key(level)] += t;
      time_s = std::move(binned);
    }
  }
  // The checkpoint LevelDistribution::save writes: (level, seconds) ascending, total, width.
  std::string saved() const {
    struct Level {
      double level, seconds;
    };
    std::vector<Level> v;
    for (const auto& [level, t] : time_s) v.push_back({level, t});
    CheckpointWriter w;
    w.put_vector(v);
    w.put(total);
    w.put(width);
    return w.take();
  }
  double quantile(double q) const {
    double cum = 0;
    for (const auto& [level, s] : time_s)
      if ((cum += s) >= q * total) return level;
    return time_s.rbegin()->first;
  }
};
}  // namespace

TEST_CASE("level distribution: buffered adds give the one-at-a-time sums and bins bit for bit") {
  // Recurring levels (a training campus's states), then a widening ramp that coarsens the bins
  // several times, with the counts checked between adds at odd points of a batch.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dt(1e-3, 2.0);
  LevelDistribution d;
  Reference ref;
  const double recurring[] = {1.5e8, 1.2e8, 0.9e8, 1.5e8 + 0.25};
  for (int i = 0; i < 120000; ++i) {
    const double level = i < 30000 ? recurring[i % 4] : 1e8 + (i % 3 == 0 ? 1.0 : -1.0) * static_cast<double>(i) * 997.0 + dt(rng);
    const double s = dt(rng);
    d.add(level, s);
    ref.add(level, s);
    if (i % 9973 == 0) {
      CHECK(d.size() == ref.time_s.size());
      CHECK(d.bin_width() == ref.width);
    }
  }
  CHECK(ref.width > 0);
  CHECK(d.size() == ref.time_s.size());
  CHECK(d.bin_width() == ref.width);
  CHECK(d.total_s() == ref.total);
  for (const double q : {0.0, 0.05, 0.3, 0.5, 0.77, 0.95, 1.0}) CHECK(*d.quantile(q) == ref.quantile(q));
  // Every level's time, bit for bit (the checkpoint holds them all).
  CheckpointWriter w;
  d.save(w);
  CHECK(w.bytes() == ref.saved());
  // A checkpoint round trip keeps the sums (buffered adds included) and takes further adds alike.
  LevelDistribution back;
  const std::string bytes = w.take();
  CheckpointReader r(bytes);
  back.load(r);
  for (int i = 0; i < 5000; ++i) {
    const double level = 2e8 + i * 3.0, s = dt(rng);
    back.add(level, s);
    ref.add(level, s);
  }
  CHECK(back.size() == ref.time_s.size());
  CheckpointWriter w2;
  back.save(w2);
  CHECK(w2.bytes() == ref.saved());
  for (const double q : {0.05, 0.5, 0.95}) CHECK(*back.quantile(q) == ref.quantile(q));
}
