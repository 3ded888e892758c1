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

std::vector<std::array<bool, 2>> job_rack_parts(const Scenario& sc, const Facility& f, double on_ups_fraction) {
  std::vector<std::array<bool, 2>> parts(sc.jobs.size(), {false, false});
  const PowerGraph& g = f.graph();
  std::int64_t total = 0;
  for (auto [it, end] = boost::vertices(g); it != end; ++it)
    if (g[*it].stage == Stage::Rack) total += g[*it].multiplicity;
  const auto on_ups = static_cast<std::int64_t>(std::llround(on_ups_fraction * static_cast<double>(total)));
  std::int64_t first = 0;  // racks before this group (placement order)
  std::vector<int> cohorts;
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    if (g[*it].stage != Stage::Rack) continue;
    const std::int64_t m = g[*it].multiplicity;
    cohorts.clear();
    cohorts_below(g, *it, cohorts);
    for (int c : cohorts) {
      auto& p = parts.at(static_cast<std::size_t>(f.cohort_job(c)));
      if (first < on_ups) p[0] = true;
      if (first + m > on_ups) p[1] = true;
    }
    first += m;
  }
  return parts;
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
