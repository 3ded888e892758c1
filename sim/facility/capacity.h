// Capacity checks of every rated element: the peak per-unit load seen during the run against the
// unit's rating, and the per-unit load after a single unit of its group is lost (failover), by the
// group's redundancy (see redundancy.h). Overloads are reported with their margin, never clipped.
//
// The cooling plant's electric power (sim/plant/cooling_plant.h) is assumed supplied at the utility
// feeds, shared over all installed feeds like the rest of the campus (mechanical switchboards fed
// from the feeds, not from the halls' UPS lineups). The feeds are the only rated elements upstream
// of that supply, so their load at every instant is
//   feed unit load(t) = (graph load at the feeds(t) + P_plant(t)) / installed feeds,
// with P_plant constant over each thermal step (piece) of the plant; the peak is taken over that sum
// at the same instant, never the sum of separate peaks, and the failover load follows from that
// peak by the feeds' redundancy (as `dctwin size` does at the design condition). The nameplate
// figures stay those of the power graph (the plant has no nameplate operating point in a run).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/event_queue.h"
#include "sim/facility/facility.h"
#include "sim/engine/checkpoint.h"

namespace dctwin {

struct CapacityEntry {
  std::string element;     // JSON path of the element's parameters
  std::string name;        // readable name of the worst group
  std::string instances;   // which instances the worst group is: "halls[0] (3 of 5)" (Element::instances)
  Stage stage = Stage::Feed;
  std::string redundancy;  // "N", "N+1", "2N"
  int needed = 0;
  int installed = 0;             // per redundancy group
  std::int64_t groups = 0;       // redundancy groups (e.g. rows x halls)
  double rating_w = 0;           // per unit
  double peak_unit_load_w = 0;   // per unit, normal operation, highest in the run
  double peak_t_s = 0;
  std::optional<double> failover_unit_load_w;  // per surviving unit after one unit is lost; nullopt for N
  std::string failover_note;     // for N: what a unit's loss drops
  // Provisioning at nameplate (every node at its nameplate_w; see Facility::evaluate_nameplate).
  double nameplate_unit_load_w = 0;
  std::optional<double> nameplate_failover_unit_load_w;
  std::string load_note;  // what the loads include, when more than the power graph (the feeds with a cooling plant)
  double margin_w() const { return rating_w - peak_unit_load_w; }
  std::optional<double> failover_margin_w() const {
    if (!failover_unit_load_w) return std::nullopt;
    return rating_w - *failover_unit_load_w;
  }
};

struct Overload {
  std::string element, name, condition;  // condition: "normal" or "failover"
  double load_w = 0, rating_w = 0, t_s = 0;
  double margin_w() const { return rating_w - load_w; }
};

class CapacityTracker {
 public:
  explicit CapacityTracker(const Facility& f);
  void observe(SimTime t, const std::vector<double>& unit_load_w);
  // The utility feeds at t, carrying `feed_load_w` (the cooling plant's electric power, W, over all
  // the feeds) on top of the graph's load `unit_load_w`: called for every piece a plant advances.
  void observe_feeds(SimTime t, const std::vector<double>& unit_load_w, double feed_load_w);
  // The same, looking only at `changed` vertices (the others' loads did not change since the last call).
  void observe(SimTime t, const std::vector<double>& unit_load_w, const std::vector<Vertex>& changed);
  void set_nameplate(const std::vector<double>& unit_load_w) { nameplate_ = unit_load_w; }
  // One entry per element (merged over the groups sharing its parameters, keeping the worst).
  std::vector<CapacityEntry> entries() const;
  void save(CheckpointWriter& w) const {
    w.put_vector(peak_);
    w.put_vector(t_);
  }
  void load(CheckpointReader& r) {
    r.get_vector_sized(peak_, peak_.size());
    r.get_vector_sized(t_, t_.size());
  }

 private:
  const Facility& f_;
  std::vector<double> peak_;
  std::vector<SimTime> t_;
  std::vector<double> nameplate_;
  std::vector<Vertex> feeds_;  // the Stage::Feed vertices
  bool feed_load_ = false;     // observe_feeds was called: the feeds' loads include the plant
};

std::vector<Overload> find_overloads(const std::vector<CapacityEntry>& entries);
// Elements that would be overloaded if every node drew its nameplate power (a provisioning policy
// check, not an operating condition): condition "nameplate" or "nameplate_failover".
std::vector<Overload> find_nameplate_overloads(const std::vector<CapacityEntry>& entries);

}  // namespace dctwin
