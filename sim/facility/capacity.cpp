#include "sim/facility/capacity.h"

#include <algorithm>
#include <map>

namespace dctwin {

CapacityTracker::CapacityTracker(const Facility& f) : f_(f), peak_(f.vertex_count(), 0.0), t_(f.vertex_count(), 0) {
  for (std::size_t v = 0; v < f.vertex_count(); ++v)
    if (f.graph()[v].stage == Stage::Feed) feeds_.push_back(v);
}

void CapacityTracker::observe_feeds(SimTime t, const std::vector<double>& unit_load_w, double feed_load_w) {
  feed_load_ = true;
  for (const Vertex v : feeds_) {
    const double load = unit_load_w[v] + feed_load_w / static_cast<double>(f_.graph()[v].units());
    if (load > peak_[v]) {
      peak_[v] = load;
      t_[v] = t;
    }
  }
}

void CapacityTracker::observe(SimTime t, const std::vector<double>& unit_load_w) {
  for (std::size_t v = 0; v < peak_.size(); ++v)
    if (unit_load_w[v] > peak_[v]) {
      peak_[v] = unit_load_w[v];
      t_[v] = t;
    }
}

void CapacityTracker::observe(SimTime t, const std::vector<double>& unit_load_w, const std::vector<Vertex>& changed) {
  for (const Vertex v : changed)
    if (unit_load_w[v] > peak_[v]) {
      peak_[v] = unit_load_w[v];
      t_[v] = t;
    }
}

std::vector<CapacityEntry> CapacityTracker::entries() const {
  const PowerGraph& g = f_.graph();
  std::vector<CapacityEntry> out;
  std::map<std::string, std::size_t> by_path;
  for (std::size_t v = 0; v < peak_.size(); ++v) {
    const Element& e = g[v];
    if (e.rating_w <= 0) continue;  // racks, nodes and the meter carry no rating
    CapacityEntry c;
    c.element = e.spec_path;
    c.name = e.name;
    c.instances = e.instances;
    c.stage = e.stage;
    c.redundancy = e.redundancy.str();
    c.needed = e.needed;
    c.installed = e.installed;
    c.groups = e.multiplicity;
    c.rating_w = e.rating_w;
    c.peak_unit_load_w = peak_[v];
    c.peak_t_s = to_seconds(t_[v]);
    if (feed_load_ && e.stage == Stage::Feed)
      c.load_note = "peak and failover loads: the power graph's load + the cooling plant's electric power at the same instant "
                    "(plant supplied at the utility feeds, shared over all installed feeds); nameplate loads: the power graph only";
    const double group_total = peak_[v] * e.installed;
    if (e.redundancy.tolerates_single_failure()) {
      c.failover_unit_load_w = e.redundancy.failover_share(group_total, e.installed);
    } else {
      c.failover_note = "N redundancy: no redundant path; losing one unit drops its load of " +
                        std::to_string(peak_[v] / 1e3) + " kW";
    }
    if (!nameplate_.empty()) {
      c.nameplate_unit_load_w = nameplate_[v];
      if (e.redundancy.tolerates_single_failure())
        c.nameplate_failover_unit_load_w = e.redundancy.failover_share(nameplate_[v] * e.installed, e.installed);
    }
    auto it = by_path.find(c.element);
    if (it == by_path.end()) {
      by_path[c.element] = out.size();
      out.push_back(c);
      continue;
    }
    CapacityEntry& prev = out[it->second];
    const std::int64_t groups = prev.groups + c.groups;
    const bool worse = c.peak_unit_load_w > prev.peak_unit_load_w ||
                       (c.failover_unit_load_w && prev.failover_unit_load_w &&
                        *c.failover_unit_load_w > *prev.failover_unit_load_w);
    const double np_load = std::max(prev.nameplate_unit_load_w, c.nameplate_unit_load_w);
    std::optional<double> np_fail = prev.nameplate_failover_unit_load_w;
    if (c.nameplate_failover_unit_load_w && (!np_fail || *c.nameplate_failover_unit_load_w > *np_fail))
      np_fail = c.nameplate_failover_unit_load_w;
    if (worse) prev = c;
    prev.nameplate_unit_load_w = np_load;
    prev.nameplate_failover_unit_load_w = np_fail;
    prev.groups = groups;
  }
  return out;
}

std::vector<Overload> find_overloads(const std::vector<CapacityEntry>& entries) {
  std::vector<Overload> out;
  for (const auto& c : entries) {
    if (c.margin_w() < 0)
      out.push_back({c.element, c.name, "normal", c.peak_unit_load_w, c.rating_w, c.peak_t_s});
    if (auto m = c.failover_margin_w(); m && *m < 0)
      out.push_back({c.element, c.name, "failover", *c.failover_unit_load_w, c.rating_w, c.peak_t_s});
  }
  return out;
}

}  // namespace dctwin

namespace dctwin {

std::vector<Overload> find_nameplate_overloads(const std::vector<CapacityEntry>& entries) {
  std::vector<Overload> out;
  for (const auto& c : entries) {
    if (c.nameplate_unit_load_w > c.rating_w)
      out.push_back({c.element, c.name, "nameplate", c.nameplate_unit_load_w, c.rating_w, 0.0});
    if (c.nameplate_failover_unit_load_w && *c.nameplate_failover_unit_load_w > c.rating_w)
      out.push_back({c.element, c.name, "nameplate_failover", *c.nameplate_failover_unit_load_w, c.rating_w, 0.0});
  }
  return out;
}

}  // namespace dctwin
