// Per-rack power series, decimated: for every rack group (identical racks that share one graph
// vertex: same rack type, same jobs and cohorts), the minimum, mean and maximum power of one of
// its racks over each interval of `step` (default 60 s). Power is piecewise constant between
// events, so the mean is exact (energy / interval) and min/max are the true extremes, not samples.
// Memory: rack groups x intervals, independent of GPUs.
#pragma once
#include <string>
#include <vector>

#include "sim/engine/event_queue.h"
#include "sim/facility/facility.h"
#include "sim/engine/checkpoint.h"

namespace dctwin {

class RackSeries {
 public:
  RackSeries(const Facility& facility, SimTime duration, SimTime step);
  // Per-unit loads of every vertex (Facility::evaluate's unit_load_w) held over [a, b).
  void add(SimTime a, SimTime b, const std::vector<double>& unit_load_w);
  std::string csv() const;  // t_s,rack_group,racks,min_kw,mean_kw,max_kw
  std::size_t groups() const { return racks_.size(); }
  std::size_t intervals() const { return intervals_; }
  void save(CheckpointWriter& w) const { w.put_vector(cells_); }
  void load(CheckpointReader& r) { r.get_vector_sized(cells_, cells_.size()); }
  void truncate(SimTime end);  // drops the intervals past `end`, shortens the last

 private:
  struct Cell {
    double min_w = 1e300, max_w = -1e300, energy_j = 0;
  };
  SimTime duration_, step_;
  std::size_t intervals_ = 0;
  std::vector<Vertex> racks_;
  std::vector<std::string> names_;
  std::vector<std::int64_t> counts_;
  std::vector<Cell> cells_;  // [interval * groups + group]
};

}  // namespace dctwin
