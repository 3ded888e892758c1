#include "sim/input/grid_spec.h"

#include <limits>

namespace dctwin {

const char* to_string(GridEventKind k) {
  switch (k) {
    case GridEventKind::VoltageSag: return "voltage_sag";
    case GridEventKind::FrequencyDeviation: return "frequency_deviation";
    case GridEventKind::Outage: return "outage";
  }
  return "?";
}

namespace {

constexpr double kMaxEventS = 1e7;

GridEventSpec read_event(JsonReader& e, double run_duration_s, double nominal_hz) {
  GridEventSpec ev;
  ev.json_path = e.path();
  const std::string kind = e.choice("kind", {"voltage_sag", "frequency_deviation", "outage"});
  ev.at_s = e.number("at_s", 0, run_duration_s);
  ev.duration_s = e.number("duration_s", 1e-4, kMaxEventS);
  if (kind == "voltage_sag") {
    ev.kind = GridEventKind::VoltageSag;
    ev.remaining_pu = e.number("remaining_pu", 0, 1);
  } else if (kind == "frequency_deviation") {
    ev.kind = GridEventKind::FrequencyDeviation;
    ev.frequency_hz = e.number("frequency_hz", 0.5 * nominal_hz, 1.5 * nominal_hz);
  } else if (kind == "outage") {
    ev.kind = GridEventKind::Outage;
    ev.remaining_pu = 0;
  }
  e.finish();
  return ev;
}

void read_psu(JsonReader& r, power::PsuHoldUpParams& p) {
  auto o = r.optional_object("psu");
  if (!o) return;
  if (auto v = o->optional_number("holdup_rated_ms", 0, 10000)) p.holdup_rated_s = *v * 1e-3;
  if (auto v = o->optional_number("load_fraction", 0.01, 1.5)) p.load_fraction = *v;
  if (auto v = o->optional_number("min_input_pu", 0, 1)) p.min_input_pu = *v;
  o->finish();
}

void read_ups(JsonReader& r, power::UpsRideThroughParams& p) {
  auto o = r.optional_object("ups");
  if (!o) return;
  if (o->has("mode")) p.eco = o->choice("mode", {"double-conversion", "eco"}) == "eco";
  if (auto v = o->optional_number("input_min_pu", 0, 1)) p.input_min_pu = *v;
  if (auto v = o->optional_number("detection_window_ms", 0, 1000)) p.detection_window_s = *v * 1e-3;
  if (auto v = o->optional_number("frequency_band_hz", 0, 30)) p.frequency_band_hz = *v;
  if (auto v = o->optional_number("eco_transfer_ms", 0, 10000)) p.eco_transfer_s = *v * 1e-3;
  if (auto v = o->optional_number("autonomy_rated_min", 0, 1440)) p.autonomy_rated_s = *v * 60;
  if (auto v = o->optional_number("retransfer_delay_s", 0, 86400)) p.retransfer_delay_s = *v;
  if (o->has("retransfer_groups")) p.retransfer_groups = static_cast<int>(o->integer("retransfer_groups", 1, 1000));
  if (auto v = o->optional_number("retransfer_interval_s", 0, 86400)) p.retransfer_interval_s = *v;
  if (auto v = o->optional_number("walk_in_s", 0, 3600)) p.walk_in_s = *v;
  if (o->has("counter_n")) p.counter_n = static_cast<int>(o->integer("counter_n", 1, 1000));
  if (auto v = o->optional_number("counter_window_s", 0, 86400)) p.counter_window_s = *v;
  if (o->has("counter_return_s")) p.counter_return_s = o->nullable_number("counter_return_s", 0, 1e7);
  if (auto v = o->optional_number("recharge_fraction", 0, 1)) p.recharge_fraction = *v;
  if (auto v = o->optional_number("round_trip_efficiency", 0.01, 1)) p.round_trip_efficiency = *v;
  o->finish();
}

void read_generator(JsonReader& r, std::optional<power::GeneratorParams>& gen) {
  auto o = r.optional_object("generator");
  if (!o) return;
  power::GeneratorParams g;
  g.capacity_w = o->number("capacity_mw", 0, 1e5) * 1e6;
  if (auto v = o->optional_number("start_s", 0, 3600)) g.start_s = *v;
  if (o->has("stages")) g.stages = static_cast<int>(o->integer("stages", 1, 100));
  if (auto v = o->optional_number("stage_interval_s", 0, 3600)) g.stage_interval_s = *v;
  o->finish();
  gen = g;
}

void read_drives(JsonReader& r, power::DriveTripParams& d) {
  auto o = r.optional_object("cooling_drives");
  if (!o) return;
  if (auto v = o->optional_number("trip_pu", 0, 1)) d.trip_pu = *v;
  if (auto v = o->optional_number("ride_through_ms", 0, 1e6)) d.ride_through_s = *v * 1e-3;
  if (auto v = o->optional_number("restart_lockout_s", 0, 86400)) d.restart_lockout_s = *v;
  if (auto v = o->optional_number("chiller_ramp_s", 0, 86400)) d.chiller_ramp_s = *v;
  o->finish();
}

}  // namespace

power::RideThroughParams read_ride_through_params(JsonReader& r) {
  power::RideThroughParams p;
  if (!r.valid()) return p;
  if (r.has("nominal_frequency_hz")) {
    const double f = r.number("nominal_frequency_hz", 50, 60);
    if (f != 50 && f != 60) r.problem("nominal_frequency_hz", "50 or 60", JsonReader::describe(r.raw("nominal_frequency_hz")));
    else p.nominal_frequency_hz = f;
  }
  if (auto v = r.optional_number("it_on_ups_fraction", 0, 1)) p.it_on_ups_fraction = *v;
  if (r.has("it_tolerance"))
    p.it_tolerance = r.choice("it_tolerance", {"itic", "psu-holdup"}) == "psu-holdup" ? power::ItTolerance::PsuHoldUp
                                                                                      : power::ItTolerance::Itic;
  if (auto v = r.optional_number("it_restart_s", 0, 86400)) p.it_restart_s = *v;
  read_psu(r, p.psu);
  read_ups(r, p.ups);
  read_generator(r, p.generator);
  read_drives(r, p.drives);
  r.finish();
  return p;
}

std::optional<GridSpec> read_grid_spec(JsonReader& root, double run_duration_s) {
  auto g = root.optional_object("grid");
  if (!g) return std::nullopt;
  GridSpec s;
  if (auto eq = g->optional_object("equipment")) s.equipment = read_ride_through_params(*eq);
  if (auto pcc = g->optional_object("pcc")) s.pcc = read_pcc(*pcc);
  if (g->has("events")) {
    double prev_end = -std::numeric_limits<double>::infinity();
    std::string prev_path;
    const std::size_t before = g->problems().size();
    for (auto& e : g->array_of_objects("events", 0, kMaxGridEvents)) {
      GridEventSpec ev = read_event(e, run_duration_s, s.equipment.nominal_frequency_hz);
      if (e.valid() && g->problems().size() == before && ev.at_s < prev_end)
        e.problem("at_s", "events in time order, each starting at or after the end of " + prev_path + " (" +
                              std::to_string(prev_end) + " s)",
                  std::to_string(ev.at_s));
      prev_end = ev.at_s + ev.duration_s;
      prev_path = ev.json_path;
      s.events.push_back(ev);
    }
  }
  for (const char* k : kGridKeys) g->allow(k);
  g->finish();
  return s;
}

}  // namespace dctwin
