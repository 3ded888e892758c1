#include "sim/studies/ride_through.h"

#include <cmath>
#include <cstdio>

#include "sim/facility/facility.h"
#include "sim/studies/sweep.h"

namespace dctwin {

GridLoads campus_grid_loads(const Scenario& sc) {
  const Facility f(sc);
  std::vector<JobState> states(f.cohorts());
  for (auto& s : states) {
    s.running = true;
    s.phase = power::GpuPhase::Compute;
  }
  const FacilityPower fp = f.evaluate(states);
  GridLoads l;
  l.meter_w = fp.utility_w;
  l.it_w = fp.it_w;
  add_facility_equipment(f, sc, l);
  return l;
}

GridEventSpec ride_through_sag(const RideThroughPoint& pt, double at_s) {
  GridEventSpec e;
  e.kind = GridEventKind::VoltageSag;
  e.at_s = at_s;
  e.duration_s = pt.duration_s;
  e.remaining_pu = pt.remaining_pu;
  e.json_path = "ride-through";
  return e;
}

RideThroughMap ride_through_map(const Scenario& sc, const RideThroughOptions& o) {
  RideThroughMap m;
  m.loads = campus_grid_loads(sc);
  const power::RideThroughParams p = sc.grid ? sc.grid->equipment : power::RideThroughParams{};
  const int nd = std::max(1, o.depths), nt = std::max(1, o.durations);
  for (int i = 0; i < nd; ++i)
    for (int j = 0; j < nt; ++j) {
      RideThroughPoint pt;
      pt.remaining_pu = nd == 1 ? 0.0 : 0.9 * i / (nd - 1);
      pt.duration_s = nt == 1 ? 1e-3 : 1e-3 * std::pow(1e4, static_cast<double>(j) / (nt - 1));
      m.points.push_back(pt);
    }
  GridResponseOptions go;
  go.keep_trace = false;
  run_in_threads(m.points.size(), o.threads, [&](std::size_t k) {
    RideThroughPoint& pt = m.points[k];
    const GridResponse r = simulate_grid_events({ride_through_sag(pt, go.pre_s)}, p, m.loads, go);
    pt.result = r.events.at(0);
  });
  return m;
}

namespace {
std::string cell(std::optional<double> v, const char* fmt = "%.9g") {
  if (!v) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, *v);
  return buf;
}
}  // namespace

std::string ride_through_csv(const RideThroughMap& m) {
  std::string out =
      "remaining_pu,duration_s,load_before_mw,load_lost_mw,time_to_restore_s,it_power_lost,ups_energy_mwh,"
      "generator_energy_mwh,recharge_peak_mw,counter_tripped,cooling_tripped\n";
  for (const auto& pt : m.points) {
    const GridEventResult& r = pt.result;
    out += cell(pt.remaining_pu, "%.4g") + "," + cell(pt.duration_s, "%.6g") + "," + cell(r.load_before_w * 1e-6) + "," +
           cell(r.load_lost_w * 1e-6) + "," + cell(r.time_to_restore_s, "%.4f") + "," + (r.it_power_lost ? "true" : "false") +
           "," + cell(r.ups_energy_j / 3.6e9) + "," +
           cell(r.generator_energy_j ? std::optional<double>(*r.generator_energy_j / 3.6e9) : std::nullopt) + "," +
           cell(r.recharge_peak_w * 1e-6) + "," + (r.counter_tripped ? "true" : "false") + "," +
           (r.cooling_tripped ? (*r.cooling_tripped ? "true" : "false") : "") + "\n";
  }
  return out;
}

}  // namespace dctwin
