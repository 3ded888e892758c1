// Recorder: integrates piecewise-constant power exactly into energy totals and into output bins
// of a fixed width (the output resolution). A bin holds the energy that fell inside it, so its
// mean power is exact and the totals do not depend on the output resolution (docs/design.md, "Exact energy").
// It also keeps how long the meter power (kUtility) held each level (sim/engine/level_distribution.h),
// so percentiles of the meter power (summary swing_mw) are those of the exact power, not of the bins.
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "sim/engine/event_queue.h"
#include "sim/engine/level_distribution.h"
#include "sim/facility/facility.h"
#include "sim/engine/checkpoint.h"

namespace dctwin {

// Facility-level series, in this order in timeseries.csv. kCooling (cooling plant electric power,
// included in kUtility) is written only when cooling is modelled (has_cooling()).
enum Column : int { kUtility, kIt, kGpu, kPsuLoss, kBuswayLoss, kUpsLoss, kSwitchgearLoss, kTransformerLoss, kCooling, kColumnCount };
const char* column_name(int c);  // CSV header, e.g. "facility_mw"

using PowerRow = std::array<double, kColumnCount>;  // W
PowerRow to_row(const FacilityPower& p);

class Recorder {
 public:
  Recorder(SimTime duration, SimTime bin_width);

  // Adds power `p` held constant over [t0, t1).
  void add(SimTime t0, SimTime t1, const PowerRow& p, const ItBreakdown& it);

  std::size_t bin_count() const { return bins_.size(); }
  SimTime bin_width() const { return bin_; }
  SimTime bin_start(std::size_t k) const { return static_cast<SimTime>(k) * bin_; }
  SimTime bin_length(std::size_t k) const;
  double bin_mean_w(std::size_t k, int column) const;   // W
  const std::array<double, kColumnCount>& energy_j() const { return energy_j_; }
  const ItBreakdown& it_energy_j() const { return it_energy_j_; }  // fields hold J, not W
  const PowerRow& peak_w() const { return peak_w_; }
  const std::array<SimTime, kColumnCount>& peak_time() const { return peak_t_; }
  // Time at each level of the exact meter power (kUtility; including cooling after merge_cooling).
  const LevelDistribution& utility_levels() const { return utility_levels_; }
  // Adds the cooling plant's series (sim/plant/cooling_plant.h): `cooling` holds kCooling = plant power
  // and kUtility = meter including it, over the same bins. Its kCooling energy goes into kCooling
  // and kUtility here; the meter peak and utility_levels() become the cooling recorder's (meter incl. cooling).
  void merge_cooling(const Recorder& cooling);
  bool has_cooling() const { return has_cooling_; }
  // Checkpoints (sim/engine/checkpoint.h) and partial results: the state, and cutting the run at `end`
  // (bins past it dropped, the last one shortened).
  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r);
  void truncate(SimTime end);

 private:
  SimTime duration_, bin_;
  std::vector<PowerRow> bins_;  // energy per bin, J
  std::array<double, kColumnCount> energy_j_{};
  ItBreakdown it_energy_j_;
  PowerRow peak_w_{};
  std::array<SimTime, kColumnCount> peak_t_{};
  LevelDistribution utility_levels_;
  bool has_cooling_ = false;
};

}  // namespace dctwin
