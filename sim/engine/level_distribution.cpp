#include "sim/engine/level_distribution.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace dctwin {

namespace {
struct Level {
  double level, seconds;
};
}  // namespace

double LevelDistribution::Bins::key(double level) const {
  return width > 0 ? (std::floor(level / width) + 0.5) * width : level;
}

void LevelDistribution::add(double level, double seconds) {
  if (!(seconds > 0) || !std::isfinite(level)) return;
  pending_.emplace_back(level, seconds);
  total_s_ += seconds;
  if (pending_.size() >= kBatch) {
    bins_.merge(pending_);
    pending_.clear();
  }
}

void LevelDistribution::Bins::merge(const Levels& adds) {
  for (std::size_t i = 0; i < adds.size();) i = merge_from(adds, i);
}

// Merges adds[first, j) and returns j: up to the end, or through the add that takes the count of
// levels past kMaxLevels (the bins then coarsen, and later adds take the new keys). Each level's
// sum gets its adds in the order they came, after what it held, as one add at a time would.
std::size_t LevelDistribution::Bins::merge_from(const Levels& adds, std::size_t first) {
  struct Item {
    double key, seconds;
    std::size_t index;
  };
  std::vector<Item> items;
  items.reserve(adds.size() - first);
  for (std::size_t i = first; i < adds.size(); ++i) items.push_back({key(adds[i].first), adds[i].second, i});
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.key != b.key ? a.key < b.key : a.index < b.index; });
  // The first add of each key not held yet adds a level.
  std::vector<char> adds_level(adds.size() - first, 0);
  auto held = levels.begin();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0 && items[i].key == items[i - 1].key) continue;
    while (held != levels.end() && held->first < items[i].key) ++held;
    if (held == levels.end() || held->first != items[i].key) adds_level[items[i].index - first] = 1;
  }
  std::size_t end = adds.size(), count = levels.size();
  for (std::size_t i = first; i < adds.size(); ++i)
    if (adds_level[i - first] && ++count > kMaxLevels) {
      end = i + 1;
      break;
    }
  Levels merged;
  merged.reserve(levels.size() + items.size());
  auto a = levels.begin();
  for (const Item& it : items) {
    if (it.index >= end) continue;
    while (a != levels.end() && a->first < it.key) merged.push_back(*a++);
    if (a != levels.end() && a->first == it.key) merged.push_back(*a++);
    if (merged.empty() || merged.back().first != it.key) merged.emplace_back(it.key, 0.0);
    merged.back().second += it.seconds;
  }
  merged.insert(merged.end(), a, levels.end());
  levels = std::move(merged);
  if (levels.size() > kMaxLevels) coarsen();
  return end;
}

// Re-bins into power-of-two bins aligned at 0: a bin of width 2w holds two whole bins of width w,
// so a bin centre re-keys into the bin that holds every level it stood for.
void LevelDistribution::Bins::coarsen() {
  if (width == 0) {
    const double span = levels.back().first - levels.front().first;
    width = std::exp2(std::floor(std::log2(span / static_cast<double>(kMaxLevels))));
  }
  while (levels.size() > kMaxLevels / 2) {
    width *= 2;
    Levels binned;
    for (const auto& [level, s] : levels) {
      const double k = key(level);  // ascending with level
      if (binned.empty() || binned.back().first != k) binned.emplace_back(k, 0.0);
      binned.back().second += s;
    }
    levels = std::move(binned);
  }
}

LevelDistribution::Bins LevelDistribution::settled() const {
  Bins b = bins_;
  b.merge(pending_);
  return b;
}

std::optional<double> LevelDistribution::quantile(double q) const {
  const Bins b = settled();
  if (b.levels.empty() || !(total_s_ > 0)) return std::nullopt;
  const double target = std::clamp(q, 0.0, 1.0) * total_s_;
  double cum = 0;
  for (const auto& [level, s] : b.levels) {
    cum += s;
    if (cum >= target) return level;
  }
  return b.levels.back().first;  // rounding: the sum fell just short of the total
}

void LevelDistribution::save(CheckpointWriter& w) const {
  const Bins b = settled();
  std::vector<Level> v;
  v.reserve(b.levels.size());
  for (const auto& [level, s] : b.levels) v.push_back({level, s});
  w.put_vector(v);
  w.put(total_s_);
  w.put(b.width);
}

void LevelDistribution::load(CheckpointReader& r) {
  std::vector<Level> v;
  r.get_vector(v);
  for (const auto& l : v)
    if (!std::isfinite(l.level)) throw CheckpointError("finite power levels", std::to_string(l.level));
  // As a map keyed by level would hold them: ascending, the last of equal levels kept.
  std::stable_sort(v.begin(), v.end(), [](const Level& a, const Level& b) { return a.level < b.level; });
  bins_.levels.clear();
  pending_.clear();
  for (const auto& l : v) {
    if (!bins_.levels.empty() && bins_.levels.back().first == l.level) bins_.levels.back().second = l.seconds;
    else bins_.levels.emplace_back(l.level, l.seconds);
  }
  r.get(total_s_);
  r.get(bins_.width);
}

}  // namespace dctwin
