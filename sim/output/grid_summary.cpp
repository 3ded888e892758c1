#include "sim/output/grid_summary.h"

#include <algorithm>
#include <cmath>

#include "sim/facility/facility.h"

namespace dctwin {

std::optional<GridResponse> run_grid_events(const Scenario& sc, const Facility& f, const Recorder& rec, double end_s) {
  if (!sc.grid || sc.grid->events.empty() || rec.bin_count() == 0) return std::nullopt;
  const double w = to_seconds(rec.bin_width());
  const auto k = std::min(rec.bin_count() - 1, static_cast<std::size_t>(std::max(0.0, std::floor(sc.grid->events.front().at_s / w))));
  GridLoads l;
  l.meter_w = rec.bin_mean_w(k, kUtility);
  if (rec.has_cooling()) l.cooling_w = rec.bin_mean_w(k, kCooling);
  l.it_w = rec.bin_mean_w(k, kIt);
  add_facility_equipment(f, sc, l);
  GridResponseOptions o;
  o.end_s = end_s;
  return simulate_grid_events(sc.grid->events, sc.grid->equipment, l, o);
}

namespace {
json opt(std::optional<double> v, double scale = 1.0) { return v ? json(*v * scale) : json(nullptr); }
}  // namespace

json grid_events_json(const Scenario& sc, const GridResponse& r) {
  json out = json::array();
  for (const auto& e : r.events) {
    int running = 0;
    for (const auto& j : sc.jobs)
      if (j.start_s <= e.event.at_s && (!j.stop_s || e.event.at_s < *j.stop_s)) ++running;
    json o;
    o["kind"] = to_string(e.event.kind);
    o["at_s"] = e.event.at_s;
    o["duration_s"] = e.event.duration_s;
    o["remaining_pu"] = e.event.kind == GridEventKind::FrequencyDeviation ? json(nullptr) : json(e.event.remaining_pu);
    o["frequency_hz"] = opt(e.event.frequency_hz);
    o["load_before_mw"] = e.load_before_w * 1e-6;
    o["load_lost_mw"] = e.load_lost_w * 1e-6;
    o["time_to_restore_s"] = opt(e.time_to_restore_s);
    o["ups_energy_mwh"] = e.ups_energy_j / 3.6e9;
    o["generator_energy_mwh"] = e.generator_energy_j ? json(*e.generator_energy_j / 3.6e9) : json(nullptr);
    o["recharge_peak_mw"] = e.recharge_peak_w * 1e-6;
    o["jobs_interrupted"] = e.it_power_lost ? running : 0;
    o["it_power_lost"] = e.it_power_lost;
    o["it_power_lost_mw"] = e.it_lost_w * 1e-6;
    o["ups_counter_tripped"] = e.counter_tripped;
    o["cooling_drives_tripped"] = e.cooling_tripped ? json(*e.cooling_tripped) : json(nullptr);
    o["first_cooling_alarm"] = nullptr;
    o["first_cooling_alarm_note"] =
        "not modelled: the plant's temperatures during a drive trip are not simulated (the reduced event-window evaluation)";
    out.push_back(o);
  }
  return out;
}

}  // namespace dctwin
