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
  // The same, kept per rack group until its load changes (the engine: an event changes a few
  // racks of 1,400): from t the loads are `unit_load_w`, where only the vertices in `changed` can
  // differ from those of the previous hold() (nullptr: any can). A group's held load goes into
  // the intervals when it changes, at flush() and at truncate(); the sums are those of add() at
  // every piece up to rounding. Not together with add().
  void hold(SimTime t, const std::vector<double>& unit_load_w, const std::vector<Vertex>* changed);
  void flush(SimTime t);  // every group's held load up to t (before csv())
  std::string csv() const;  // t_s,rack_group,racks,min_kw,mean_kw,max_kw
  std::size_t groups() const { return racks_.size(); }
  std::size_t intervals() const { return intervals_; }
  void save(CheckpointWriter& w) const {
    w.put_vector(cells_);
    w.put_vector(held_w_);
    w.put_vector(since_);
  }
  void load(CheckpointReader& r) {
    r.get_vector_sized(cells_, cells_.size());
    r.get_vector_sized(held_w_, held_w_.size());
    r.get_vector_sized(since_, since_.size());
  }
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
  std::vector<int> group_of_;      // per vertex: its rack group, -1: none
  std::vector<double> held_w_;     // hold(): per group, the load held since since_ (NaN: none yet)
  std::vector<SimTime> since_;
  void put(std::size_t i, SimTime a, SimTime b, double w);
};

}  // namespace dctwin
