#include "sim/jobs/it_power_loss.h"

#include <algorithm>
#include <cmath>

#include "sim/facility/facility.h"
#include "sim/input/scenario.h"

namespace dctwin {

namespace {
// The cohorts (Element::job) on the nodes below rack vertex `v`.
void cohorts_below(const PowerGraph& g, Vertex v, std::vector<int>& out) {
  for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
    const Vertex c = boost::target(*e, g);
    if (g[c].stage == Stage::Node && g[c].job >= 0) out.push_back(g[c].job);
    cohorts_below(g, c, out);
  }
}
}  // namespace

std::vector<RackParts> rack_parts(const Facility& f, double on_ups_fraction) {
  const PowerGraph& g = f.graph();
  std::int64_t total = 0;
  for (auto [it, end] = boost::vertices(g); it != end; ++it)
    if (g[*it].stage == Stage::Rack) total += g[*it].multiplicity;
  const auto on_ups = static_cast<std::int64_t>(std::llround(on_ups_fraction * static_cast<double>(total)));
  std::vector<RackParts> out;
  std::int64_t first = 0;  // racks before this group (placement order)
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    if (g[*it].stage != Stage::Rack) continue;
    const std::int64_t m = g[*it].multiplicity;
    const std::int64_t ups = std::clamp<std::int64_t>(on_ups - first, 0, m);
    out.push_back({*it, {ups, m - ups}});
    first += m;
  }
  return out;
}

std::vector<std::array<bool, 2>> job_rack_parts(const Scenario& sc, const Facility& f, double on_ups_fraction) {
  std::vector<std::array<bool, 2>> parts(sc.jobs.size(), {false, false});
  std::vector<int> cohorts;
  for (const RackParts& rp : rack_parts(f, on_ups_fraction)) {
    cohorts.clear();
    cohorts_below(f.graph(), rp.rack, cohorts);
    for (int c : cohorts) {
      auto& p = parts.at(static_cast<std::size_t>(f.cohort_job(c)));
      if (rp.racks[0] > 0) p[0] = true;
      if (rp.racks[1] > 0) p[1] = true;
    }
  }
  return parts;
}

std::vector<RackOutage> rack_outages(const Scenario& sc, const Facility& f, const GridResponse& g) {
  std::vector<RackOutage> out;
  if (!sc.grid) return out;
  // Per part, the union of its outages' intervals (an outage of a part already off extends it).
  std::array<std::vector<std::pair<SimTime, SimTime>>, 2> off;
  for (const auto& e : g.events)
    for (const ItOutage& o : e.it_outages)
      off[o.behind_ups ? 0 : 1].push_back({to_simtime(o.off_s), o.on_s ? to_simtime(*o.on_s) : kNever});
  if (off[0].empty() && off[1].empty()) return out;
  const auto parts = rack_parts(f, sc.grid->equipment.it_on_ups_fraction);
  for (std::size_t p = 0; p < 2; ++p) {
    auto& iv = off[p];
    std::sort(iv.begin(), iv.end());
    std::vector<std::pair<SimTime, SimTime>> merged;
    for (const auto& x : iv) {
      if (x.second <= x.first) continue;
      if (!merged.empty() && x.first <= merged.back().second) merged.back().second = std::max(merged.back().second, x.second);
      else merged.push_back(x);
    }
    for (const auto& [a, b] : merged)
      for (const RackParts& rp : parts)
        if (rp.racks[p] > 0) out.push_back({rp.rack, rp.racks[p], a, b});
  }
  std::stable_sort(out.begin(), out.end(), [](const RackOutage& a, const RackOutage& b) { return a.off < b.off; });
  return out;
}

std::vector<std::vector<PowerLoss>> job_power_losses(const Scenario& sc, const Facility& f, const GridResponse& g) {
  std::vector<std::vector<PowerLoss>> out(sc.jobs.size());
  bool any = false;
  for (const auto& e : g.events) any = any || !e.it_outages.empty();
  if (!any || !sc.grid) return out;
  const auto parts = job_rack_parts(sc, f, sc.grid->equipment.it_on_ups_fraction);
  for (std::size_t i = 0; i < g.events.size(); ++i)
    for (const ItOutage& o : g.events[i].it_outages)
      for (std::size_t j = 0; j < out.size(); ++j)
        if (parts[j][o.behind_ups ? 0 : 1])
          out[j].push_back({to_simtime(o.off_s), o.on_s ? to_simtime(*o.on_s) : kNever, static_cast<int>(i)});
  for (auto& l : out) std::stable_sort(l.begin(), l.end(), [](const PowerLoss& a, const PowerLoss& b) { return a.off < b.off; });
  return out;
}

}  // namespace dctwin
