#include "sim/output/grid_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/facility/facility.h"
#include "sim/plant/cooling_plant.h"

namespace dctwin {

std::optional<GridResponse> run_grid_events(const Scenario& sc, const Facility& f, const Recorder& rec, double end_s) {
  if (!sc.grid || sc.grid->events.empty() || rec.bin_count() == 0) return std::nullopt;
  const double w = to_seconds(rec.bin_width());
  // The last bin that ends at or before the event (the plant's own trip shows in the bin holding it).
  const double ends_before = std::floor(sc.grid->events.front().at_s / w + 1e-6) - 1;
  const auto k = std::min(rec.bin_count() - 1, static_cast<std::size_t>(std::max(0.0, ends_before)));
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

// The plant's figures of event i: its trip, the first alarm from it, the warmest supply.
void add_cooling_figures(json& o, const GridResponse& r, std::size_t i, const CoolingOutcome* c) {
  o["max_facility_water_supply_c"] = nullptr;
  o["cooling_drives_off_s"] = nullptr;
  o["first_cooling_alarm"] = nullptr;
  if (!c) {
    o["first_cooling_alarm_note"] = "not modelled: the scenario has no cooling object";
    return;
  }
  const double at = r.events[i].event.at_s;
  const double next_at = i + 1 < r.events.size() ? r.events[i + 1].event.at_s : std::numeric_limits<double>::infinity();
  if (i < c->event_max_supply_c.size() && !std::isnan(c->event_max_supply_c[i])) o["max_facility_water_supply_c"] = c->event_max_supply_c[i];
  const auto trip = std::find_if(c->drive_off.begin(), c->drive_off.end(),
                                 [&](const power::DriveOff& d) { return d.off_s >= at && d.off_s < next_at; });
  if (trip == c->drive_off.end()) {
    o["cooling_drives_off_s"] = 0.0;
    o["first_cooling_alarm_note"] = "the cooling drives did not trip";
    return;
  }
  o["cooling_drives_off_s"] = trip->restart_s - trip->off_s;
  const double until = trip + 1 != c->drive_off.end() ? (trip + 1)->off_s : std::numeric_limits<double>::infinity();
  for (const auto& a : c->alarms)  // sorted by start
    if (a.start_s >= trip->off_s - 1e-9 && a.start_s < until) {
      o["first_cooling_alarm"] = {{"kind", a.kind}, {"place", a.place},      {"after_s", a.start_s - at},
                                  {"limit", a.limit}, {"peak", a.peak}, {"duration_s", a.end_s - a.start_s}};
      o["first_cooling_alarm_note"] = nullptr;
      return;
    }
  o["first_cooling_alarm_note"] = "no cooling alarm from the trip to the next trip or the run's end";
}
}  // namespace

json grid_events_json(const Scenario& sc, const GridResponse& r, const CoolingOutcome* cooling, const std::vector<JobStats>* stats,
                      const std::vector<JobPlan>* plans, double end_s) {
  (void)sc;
  json out = json::array();
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const GridEventResult& e = r.events[i];
    // The jobs this event failed (sim/jobs/it_power_loss.h), their steps and GPU-hours lost.
    int failed = 0;
    std::int64_t steps_lost = 0;
    double gpu_s = 0;
    if (stats && plans)
      for (std::size_t j = 0; j < stats->size() && j < plans->size(); ++j)
        for (const PowerLossHit& h : (*stats)[j].power_losses) {
          if (h.event != static_cast<int>(i)) continue;
          failed += h.failed ? 1 : 0;
          steps_lost += h.steps_lost;
          const double down = std::max(0.0, h.back_s.value_or(end_s) - h.off_s);
          gpu_s += static_cast<double>((*plans)[j].gpus) *
                   (static_cast<double>(h.steps_lost) * to_seconds((*plans)[j].uncapped_period) + down);
        }
    double back = 0;  // the last part of the IT to have its supply again
    bool never = false;
    for (const ItOutage& x : e.it_outages) {
      if (x.on_s) back = std::max(back, *x.on_s - e.event.at_s);
      else never = true;
    }
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
    const bool known = stats && plans;
    o["jobs_interrupted"] = known ? json(failed) : json(nullptr);
    o["steps_lost"] = known ? json(steps_lost) : json(nullptr);
    o["gpu_hours_lost"] = known ? json(gpu_s / 3600.0) : json(nullptr);
    o["it_power_lost"] = e.it_power_lost;
    o["it_power_back_after_s"] = e.it_outages.empty() || never ? json(nullptr) : json(back);
    o["it_power_lost_mw"] = e.it_lost_w * 1e-6;
    o["ups_counter_tripped"] = e.counter_tripped;
    o["cooling_drives_tripped"] = e.cooling_tripped ? json(*e.cooling_tripped) : json(nullptr);
    add_cooling_figures(o, r, i, cooling);
    out.push_back(o);
  }
  return out;
}

}  // namespace dctwin
