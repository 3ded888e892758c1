// The utility report's "Grid disturbances" section: what the campus's load does when the utility's
// voltage dips (sim/facility/grid_response.h).
//
//   event table      summary.json grid_events (one row per grid.events entry of the run)
//   event timelines  DIR/grid_events.csv (1 ms steps from 1 s before to 60 s after each event):
//                    meter, UPS battery, generator and recharge power, one chart per event (up to 4)
//   ride-through map DIR/ride_through.csv (`dctwin ride-through -o DIR`): time until the load is back
//                    on the grid per sag depth x duration, with the ITIC envelope drawn on it
//   PERC1            DIR/perc1.json (`dctwin ride-through -o DIR`): the PERC1-structured load model's
//                    fitted parameters and fit error; else "not fitted", with the command
// Each part absent from the run is said in words, with the command that makes it.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "core/json_input.h"
#include "core/problems.h"
#include "models/power/ride_through.h"
#include "viz/format.h"
#include "viz/grid_section.h"
#include "viz/json_fields.h"
#include "viz/run_data.h"

namespace dctwin::viz {

namespace {

constexpr std::size_t kMaxTimelines = 4;

// A file the run folder may hold (written by another command, e.g. dctwin ride-through): its text,
// or none when the report has no folder or the file is absent. Throws InputError when it cannot be read.
std::optional<std::string> optional_run_file(const Ctx& x, const std::string& path, std::size_t max_bytes = kMaxJsonBytes) {
  if (x.rd.dir.empty() || !std::filesystem::exists(path)) return std::nullopt;
  Problems problems;
  std::string text = read_text_file(path, problems, max_bytes);
  if (!problems.empty()) throw InputError(problems);
  return text;
}

// A numeric CSV of the run folder (header, then rows; `nullable` columns may be empty, booleans
// read as 0/1): the columns by name. Throws InputError (file, line, expected, found).
std::map<std::string, std::vector<double>> read_table(const std::string& text, const std::string& name,
                                                      const std::vector<std::string>& required) {
  Problems problems;
  std::vector<std::string> names;
  std::vector<std::vector<double>> cols;
  std::size_t pos = 0, line_no = 0;
  while (pos < text.size() && problems.empty()) {
    std::size_t e = text.find('\n', pos);
    if (e == std::string::npos) e = text.size();
    std::string_view line(text.data() + pos, e - pos);
    pos = e + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto f = split_csv_line(line);
    if (names.empty()) {
      for (auto x : f) names.emplace_back(x);
      for (const auto& r : required)
        if (std::find(names.begin(), names.end(), r) == names.end())
          problems.add(name, "line 1", "a header with the column " + r, "\"" + std::string(line.substr(0, 120)) + "\"");
      cols.resize(names.size());
      continue;
    }
    if (f.size() != names.size()) {
      problems.add(name, "line " + std::to_string(line_no), std::to_string(names.size()) + " fields", std::to_string(f.size()));
      break;
    }
    for (std::size_t i = 0; i < f.size(); ++i) {
      double v = 0;
      if (f[i].empty()) v = std::nan("");
      else if (f[i] == "true") v = 1;
      else if (f[i] == "false") v = 0;
      else if (!parse_double(f[i], v)) {
        problems.add(name, "line " + std::to_string(line_no) + ", " + names[i], "a number, true, false or empty",
                     "\"" + std::string(f[i].substr(0, 60)) + "\"");
        break;
      }
      cols[i].push_back(v);
    }
  }
  if (problems.empty() && names.empty()) problems.add(name, "line 1", "a header row", "an empty file");
  if (!problems.empty()) throw InputError(problems);
  std::map<std::string, std::vector<double>> out;
  for (std::size_t i = 0; i < names.size(); ++i) out[names[i]] = std::move(cols[i]);
  return out;
}

std::string opt_text(const json& e, const char* key, int decimals, const std::string& unit, const std::string& null_text) {
  const auto v = num(e, key);
  return v ? fmt(*v, decimals) + unit : null_text;
}

std::string event_label(const json& e) {
  const std::string kind = str(e, "kind", "?");
  std::string what = kind;
  if (kind == "frequency_deviation") what += " to " + opt_text(e, "frequency_hz", 2, " Hz", "?");
  else if (kind == "voltage_sag") what += " to " + opt_text(e, "remaining_pu", 2, " p.u.", "?");
  return what + " for " + fmt_g(num(e, "duration_s").value_or(0)) + " s at " + fmt_t(num(e, "at_s").value_or(0));
}

// The cooling plant through the event's trip: its first alarm, else the warmest supply, else why not.
std::string cooling_after_trip(const json& e) {
  const auto supply = num(e, "max_facility_water_supply_c");
  if (e.contains("first_cooling_alarm") && e["first_cooling_alarm"].is_object()) {
    const json& a = e["first_cooling_alarm"];
    return a.value("kind", std::string("alarm")) + " " + opt_text(a, "after_s", 0, " s after", "?") + " (worst " +
           opt_text(a, "peak", 1, "", "?") + ")";
  }
  if (!supply) return e.contains("first_cooling_alarm_note") && e["first_cooling_alarm_note"].is_string()
                          ? e["first_cooling_alarm_note"].get<std::string>()
                          : std::string("not modelled");
  return "no alarm; facility water supply up to " + opt_text(e, "max_facility_water_supply_c", 1, " °C", "?");
}

void event_table(Doc& d, const json& ev) {
  std::vector<std::vector<Cell>> rows;
  for (const auto& e : ev) {
    const bool lost = e.value("it_power_lost", false);
    const auto restore = num(e, "time_to_restore_s");
    rows.push_back({c(event_label(e)), cnum(opt_text(e, "load_before_mw", 2, "", "—")), cnum(opt_text(e, "load_lost_mw", 2, "", "—")),
                    restore ? cnum(fmt_g(*restore)) : c("not back by the end of the run", "bad"),
                    cnum(opt_text(e, "ups_energy_mwh", 4, "", "—")), cnum(opt_text(e, "generator_energy_mwh", 4, "", "no generator")),
                    cnum(opt_text(e, "recharge_peak_mw", 2, "", "—")),
                    c(lost ? "yes, " + opt_text(e, "it_power_lost_mw", 2, " MW", "?") : "no", lost ? "bad" : "ok"),
                    cnum(opt_text(e, "jobs_interrupted", 0, "", "—")), cnum(opt_text(e, "steps_lost", 0, "", "—")),
                    cnum(opt_text(e, "gpu_hours_lost", 1, "", "—")),
                    c(e.value("ups_counter_tripped", false) ? "tripped" : "no"),
                    c(e.contains("cooling_drives_tripped") && e["cooling_drives_tripped"].is_boolean()
                          ? (e["cooling_drives_tripped"].get<bool>() ? "tripped" : "rode through")
                          : "not modelled"),
                    c(cooling_after_trip(e))});
  }
  d.table({"event", "meter before (MW)", "load lost (MW)", "back on the grid within 5 % after (s)", "UPS battery (MWh)",
           "generator (MWh)", "recharge peak (MW)", "IT power lost", "jobs failed", "steps lost", "GPU-hours lost", "UPS counter",
           "cooling drives", "cooling after the trip"},
          rows);
  d.src("summary.json grid_events. Load lost = the largest drop of meter power the event caused (a UPS on its battery, "
        "tripped drives and IT without power all leave the grid). The loads are held at their level before the event "
        "(a reduced evaluation, docs/design.md \"Grid disturbances\"). Jobs: those running when IT lost power, an upper "
        "bound (jobs are not failed through the job runner). The cooling plant runs through the drive trips itself: its first "
        "alarm from the trip and the warmest facility water supply (the loop's water takes the heat while the drives are "
        "off).");
}

void event_timelines(Doc& d, Ctx& x, const json& ev) {
  const std::string path = x.rd.dir + "/grid_events.csv";
  const auto text = optional_run_file(x, path, std::size_t{2} << 30);
  if (!text) {
    d.missing("No grid_events.csv in the run folder: the event timelines at 1 ms are not shown.");
    return;
  }
  const auto t = read_table(*text, path, {"t_s", "meter_mw", "ups_battery_mw", "generator_mw", "recharge_mw"});
  const auto& ts = t.at("t_s");
  const std::vector<std::pair<std::string, std::string>> cols = {
      {"meter_mw", "meter"}, {"ups_battery_mw", "UPS battery"}, {"generator_mw", "generator"}, {"recharge_mw", "UPS recharge"}};
  const std::size_t n = std::min(kMaxTimelines, ev.size());
  for (std::size_t i = 0; i < n; ++i) {
    const double at = num(ev[i], "at_s").value_or(0);
    const double end = i + 1 < ev.size() ? num(ev[i + 1], "at_s").value_or(at) - 1.0 : ts.empty() ? at : ts.back() + 1;
    std::vector<std::size_t> idx;
    for (std::size_t k = 0; k < ts.size(); ++k)
      if (ts[k] >= at - 1.0 - 1e-9 && ts[k] < std::max(end, at) + 1e-9) idx.push_back(k);
    if (idx.size() < 2) {
      d.missing("Event " + std::to_string(i + 1) + ": grid_events.csv has no samples around it.");
      continue;
    }
    // Keep the chart light: at most 6,000 points per series (every sample in the first 2 s).
    const std::size_t stride = std::max<std::size_t>(1, idx.size() / 6000);
    json series = json::array();
    for (const auto& [col, label] : cols) {
      const auto& v = t.at(col);
      std::vector<double> tt, vv;
      for (std::size_t j = 0; j < idx.size(); ++j) {
        const std::size_t k = idx[j];
        if (ts[k] > at + 2.0 && j % stride != 0) continue;
        tt.push_back(ts[k]);
        vv.push_back(v[k]);
      }
      series.push_back(json{{"name", label}, {"t", round_series(tt, 10)}, {"v", round_series(vv, 8)}, {"step", true}});
    }
    const std::string id = "chart-grid-event-" + std::to_string(i + 1);
    json spec = chart_base(x, id, "timeseries", "Event " + std::to_string(i + 1) + ": " + event_label(ev[i]) + " (MW)");
    spec["yName"] = "power (MW)";
    spec["clock"] = false;
    spec["series"] = series;
    x.charts.push_back(spec);
    d.chart(id, 300);
  }
  d.src("grid_events.csv: 1 ms steps from 1 s before each event to 60 s after its end (then the run's normal step); every "
        "sample of the first 2 s after the event, thinned after that to 6,000 points per series." +
        std::string(ev.size() > kMaxTimelines ? " Only the first " + std::to_string(kMaxTimelines) + " events are drawn." : ""));
}

void ride_through_map(Doc& d, Ctx& x) {
  const std::string path = x.rd.dir + "/ride_through.csv";
  const auto text = optional_run_file(x, path);
  if (!text) {
    d.missing("Ride-through map: not in this run's folder. `dctwin ride-through SCENARIO -o " +
              (x.rd.dir.empty() ? std::string("RUN_DIR") : x.rd.dir) +
              "` writes ride_through.csv there (sag depth x duration on this campus), and the report then draws it with the ITIC "
              "envelope.");
    return;
  }
  const auto t = read_table(*text, path, {"remaining_pu", "duration_s", "load_lost_mw", "time_to_restore_s", "it_power_lost"});
  const auto &v = t.at("remaining_pu"), &dur = t.at("duration_s"), &restore = t.at("time_to_restore_s"), &it = t.at("it_power_lost");
  if (v.empty()) {
    d.missing("ride_through.csv has no rows.");
    return;
  }
  double worst = 0;
  std::size_t off_grid = 0, not_back = 0, it_lost = 0, inside_itic_off = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (std::isnan(restore[k])) ++not_back;
    else worst = std::max(worst, restore[k]);
    if (std::isnan(restore[k]) || restore[k] > 1.0) {
      ++off_grid;
      if (power::itic_rides(v[k], dur[k])) ++inside_itic_off;
    }
    if (it[k] > 0.5) ++it_lost;
  }
  // Points: [duration, remaining, time to restore]; a point never restored is drawn at the top of
  // the scale and flagged in the tooltip.
  const double top = std::max(1.0, worst) * 1.5;
  json pts = json::array();
  for (std::size_t k = 0; k < v.size(); ++k)
    pts.push_back(json::array({dur[k], v[k], std::isnan(restore[k]) ? top : restore[k], std::isnan(restore[k]) ? 1 : 0}));
  json itic = json::array();
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {1e-3, 0}, {0.02, 0}, {0.02, 0.7}, {0.5, 0.7}, {0.5, 0.8}, {10, 0.8}, {10, 0.9}})
    itic.push_back(json::array({a, b}));
  json spec = chart_base(x, "chart-ride-through", "map",
                         "Ride-through map: time until the load is back on the grid (s), by sag duration and remaining voltage");
  spec["xName"] = "sag duration (s)";
  spec["yName"] = "remaining voltage (p.u.)";
  spec["valueName"] = "back on the grid after (s)";
  spec["points"] = pts;
  spec["valueMax"] = top;
  spec["lines"] = json::array({json{{"name", "ITIC envelope (IT tolerance, lower boundary)"}, {"points", itic}}});
  x.charts.push_back(spec);
  d.chart("chart-ride-through", 380);
  std::string headline = std::to_string(off_grid) + " of " + std::to_string(v.size()) +
                         " sags keep the load off the grid for more than 1 s";
  if (not_back) headline += " (" + std::to_string(not_back) + " not back within the evaluated window)";
  headline += "; " + std::to_string(inside_itic_off) + " of them lie inside the ITIC envelope (IT would ride them; the UPS logic moves the load)";
  headline += "; IT loses power in " + std::to_string(it_lost) + ".";
  d.p(headline, off_grid ? "warn" : "ok");
  d.src(path + " (dctwin ride-through): one voltage sag per point on the campus with every job computing, evaluated by the "
        "reduced event-window model with the scenario's grid.equipment. Colour: seconds until the meter is back within 5 % "
        "of its level before the sag. Above the ITIC line IT equipment rides the sag by itself.");
}

void perc1_part(Doc& d, Ctx& x) {
  const std::string path = x.rd.dir + "/perc1.json";
  const auto text = optional_run_file(x, path);
  if (!text) {
    d.missing("PERC1 dynamic load model: not fitted for this run. `dctwin ride-through SCENARIO -o " +
              (x.rd.dir.empty() ? std::string("RUN_DIR") : x.rd.dir) +
              "` fits a PERC1-structured load model to the campus's simulated sags and writes perc1.json there. No .dyr record "
              "is written: the public descriptions reachable here give PERC1's purpose and part of its parameters, not its "
              "record layout.");
    return;
  }
  const Perc1Report r = read_perc1_json(*text, path);
  std::vector<std::vector<Cell>> rows;
  for (const auto& [name, v] : r.parameters) rows.push_back({c(name), v ? cnum(fmt_g(*v)) : c("not identified by the fitted events")});
  d.table({"PERC1 parameter", "fitted value"}, rows);
  d.p("PERC1-structured model fitted to " + std::to_string(r.fitted_events) + " simulated sags: RMS error " + fmt(r.fit_error_pct, 2) +
          " % of the load before each sag, over every 1 ms sample from 1 s before to 60 s after it.",
      "ok");
  d.src(path + " (dctwin ride-through): Fcease, Frecon, Kvp, Tvp, Tap, Tbp, Dbfl, Dbfh as PowerWorld names them (Simulator 24, "
        "\"Load Characteristic Model: PERC1\"); the thresholds Vcease, Tcease, Vrecon, Trecon, Tramp and the block arrangement are "
        "dctwin's own, because the public pages do not list them (perc1.json: not_public, parameter_notes). Thresholds are "
        "bracketed by the fitted sag levels and lengths. " +
        std::string(r.dyr_written ? "" : "No .dyr record: its layout is not public."));
}

}  // namespace

Perc1Report read_perc1_json(const std::string& text, const std::string& file) {
  Problems problems;
  const json doc = parse_json(text, file, problems);
  if (!problems.empty()) throw InputError(problems);
  JsonReader r(doc, "$", problems, file);
  Perc1Report out;
  (void)r.choice("model", {"PERC1"});
  out.fit_error_pct = r.number("fit_error_pct", 0, 1e6);
  out.fitted_events = r.integer("fitted_events", 1, 1000000);
  if (const json* p = r.raw("parameters"); p && p->is_object()) {
    for (const auto& [k, v] : p->items()) {
      if (v.is_null()) out.parameters.emplace_back(k, std::nullopt);
      else if (v.is_number() && std::isfinite(v.get<double>())) out.parameters.emplace_back(k, v.get<double>());
      else r.problem("parameters", "a number or null for " + k, JsonReader::describe(&v));
    }
  } else {
    r.problem("parameters", "an object of numbers and nulls", JsonReader::describe(p));
  }
  if (const json* dyr = r.raw("dyr")) out.dyr_written = !dyr->is_null();
  for (const char* k : {"structure", "source", "parameter_notes", "fit_error_definition", "fitted_samples", "not_public",
                        "not_modelled", "dyr_reason"})
    r.allow(k);
  r.finish();
  if (!problems.empty()) throw InputError(problems);
  return out;
}

void grid_section(Doc& d, Ctx& x) {
  d.h2("grid", "Grid disturbances");
  const json* ev = x.s.contains("grid_events") && x.s["grid_events"].is_array() ? &x.s["grid_events"] : nullptr;
  if (ev && !ev->empty()) {
    event_table(d, *ev);
    event_timelines(d, x, *ev);
  } else {
    d.missing("This run has no grid events: nothing shows how its load answers a voltage sag, a frequency deviation or an "
              "outage. Add them with --set 'grid.events=[{\"kind\":\"voltage_sag\",\"at_s\":100,\"duration_s\":0.3,\"remaining_pu\":0}]' "
              "(docs/scenario.md, grid).");
  }
  ride_through_map(d, x);
  perc1_part(d, x);
}

}  // namespace dctwin::viz
