// The cooling report: the plant's figures over the run (PUE, WUE, water, hours, temperatures,
// alarms), its series over time from cooling.csv against their limits, and the heat the racks
// give off from the electrical model. One function per section of the page, in page order. A run
// without cooling says so in words.
#include <algorithm>
#include <cmath>
#include <map>

#include "viz/demand.h"
#include "viz/format.h"
#include "viz/json_fields.h"
#include "viz/report_page.h"

namespace dctwin::viz {

namespace {

struct Limit {
  std::string label;
  std::optional<double> value;
};

// A chart of cooling.csv columns over time, with horizontal limit lines. False (nothing drawn) when
// none of the columns is in the file.
bool cooling_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title, const std::string& y_name,
                   const std::string& unit, const std::vector<std::pair<std::string, std::string>>& cols,
                   const std::vector<Limit>& limits, const std::string& source,
                   const std::map<std::string, std::vector<double>>* derived = nullptr) {
  const auto* t = x.rd.cooling_column("t_s");
  if (!t || t->empty()) return false;
  const double step = t->size() > 1 ? (*t)[1] - (*t)[0] : x.duration;
  json spec = chart_base(x, id, "timeseries", title);
  spec["yName"] = y_name;
  spec["unit"] = unit;
  spec["clock"] = x.duration >= 3600;
  spec["series"] = json::array();
  std::size_t total = 0, shown = 0;
  for (const auto& [col, label] : cols) {
    const auto* v = x.rd.cooling_column(col);
    if (derived && derived->count(col)) v = &derived->at(col);
    if (!v) continue;
    // Temperatures and plant figures move at the thermal step: a quarter of the power charts'
    // buckets keeps every extreme visible at a quarter of the size.
    const Decimated dec = minmax_decimate(*v, t->front(), step, x.o.display_buckets == 0 ? 0 : std::max<std::size_t>(1, x.o.display_buckets / 4));
    total = v->size();
    shown = dec.v.size();
    spec["series"].push_back({{"name", label}, {"t", round_series(dec.t, 10)}, {"v", round_series(dec.v, 8)}});
  }
  if (spec["series"].empty()) return false;
  json lim = json::array();
  for (const auto& l : limits)
    if (l.value) lim.push_back({{"name", l.label}, {"value", *l.value}});
  if (!lim.empty()) spec["limits"] = lim;
  x.charts.push_back(spec);
  d.chart(id, 340);
  d.src(source + " Per " + interval_label(step) + " interval of cooling.csv" +
        (shown < total ? " (" + fmt(static_cast<double>(total), 0) + " intervals, min/max-decimated to " +
                             fmt(static_cast<double>(shown), 0) + " points for display)"
                       : std::string("")) +
        ".");
  return true;
}

// The plant's operating mode: the share of each interval's time in each mode (cooling.csv).
void plant_mode_chart(Doc& d, Ctx& x, const json& cool) {
  const auto* t = x.rd.cooling_column("t_s");
  const auto* full = x.rd.cooling_column("free_cooling_full_s");
  const auto* part = x.rd.cooling_column("free_cooling_partial_s");
  const auto* ch = x.rd.cooling_column("chiller_on_s");
  const auto iv = num(cool.contains("series") ? cool["series"] : json(), "interval_s");
  if (t && full && part && ch && iv && *iv > 0) {
    std::map<std::string, std::vector<double>> pct;  // shares of time, for the chart only
    for (const auto& [src, dst] : std::vector<std::pair<const std::vector<double>*, std::string>>{
             {full, "free_full_pct"}, {part, "free_partial_pct"}, {ch, "chiller_pct"},
             {x.rd.cooling_column("tower_fans_on_s"), "tower_pct"}, {x.rd.cooling_column("dry_cooler_fans_on_s"), "dry_pct"}}) {
      if (!src) continue;
      auto& v = pct[dst];
      for (double sec : *src) v.push_back(100.0 * sec / *iv);
    }
    cooling_chart(d, x, "chart-cooling-mode", "Plant operating mode (% of each interval)", "share of time (%)", "%",
                  {{"free_full_pct", "full free cooling (economizer alone)"},
                   {"free_partial_pct", "partial free cooling (economizer + chillers)"},
                   {"chiller_pct", "chillers running"},
                   {"tower_pct", "cooling-tower fans running"},
                   {"dry_pct", "dry-cooler fans running"}},
                  {}, "cooling.csv free_cooling_full_s, free_cooling_partial_s, chiller_on_s, tower_fans_on_s, dry_cooler_fans_on_s "
                      "over the interval length.", &pct);
  }
}

void cooling_series_charts(Doc& d, Ctx& x) {
  const json& s = x.s;
  const json& cool = s["cooling"];
  const json lim = cool.contains("limits_c") && cool["limits_c"].is_object() ? cool["limits_c"] : json::object();
  auto limit = [&](const char* k) { return num(lim, k); };
  d.h2("cooling-over-time", "Cooling over time");
  cooling_chart(d, x, "chart-cooling-pue", "PUE per interval = meter energy / IT energy", "PUE", "",
                {{"pue", "PUE"}}, {}, "cooling.csv pue: the meter (IT + distribution losses + cooling) over the IT energy.");
  cooling_chart(d, x, "chart-cooling-wue", "WUE per interval (L/kWh)", "WUE (L per kWh of IT energy)", "L/kWh",
                {{"wue_l_per_kwh", "WUE"}}, {},
                "cooling.csv wue_l_per_kwh: cooling-tower make-up water (evaporation + drift + blowdown) per kWh of IT energy.");
  std::string wclass = "ASHRAE facility water supply limit";
  if (s.contains("alarms") && s["alarms"].is_array())
    for (const auto& a : s["alarms"])
      if (str(a, "kind") == "facility_water_above_class") wclass = str(a, "place") + " limit";
  cooling_chart(d, x, "chart-cooling-water", "Water temperatures, highest per interval (°C)", "temperature (°C)", "°C",
                {{"facility_supply_max_c", "facility water supply"},
                 {"facility_return_max_c", "facility water return"},
                 {"tcs_supply_max_c", "technology cooling loop (CDU) supply"}},
                {{wclass, limit("facility_water_supply")}},
                "cooling.csv facility_supply_max_c, facility_return_max_c, tcs_supply_max_c; the limit is the facility water "
                "class maximum supply temperature (summary.json cooling.limits_c.facility_water_supply).");
  if (!cooling_chart(d, x, "chart-cooling-inlet", "Rack inlet air, highest per interval (°C)", "temperature (°C)", "°C",
                     {{"rack_inlet_max_c", "rack inlet air"}}, {{"ASHRAE allowable maximum", limit("rack_inlet_allowable")}},
                     "cooling.csv rack_inlet_max_c; the limit is the air class's allowable maximum (summary.json "
                     "cooling.limits_c.rack_inlet_allowable)."))
    d.missing("Rack inlet air over time: the run has no air side (cooling.air), so no rack inlet temperature.");
  if (!cooling_chart(d, x, "chart-cooling-junction", "GPU junction, highest of any cohort per interval (°C)",
                     "temperature (°C)", "°C", {{"junction_max_c", "GPU junction"}},
                     {{"junction limit (lowest of the rack types)", limit("gpu_junction_lowest")},
                      {"throttle temperature (lowest of the rack types)", limit("gpu_throttle_lowest")}},
                     "cooling.csv junction_max_c (sim/plant/gpu_thermal.h)."))
    d.missing("GPU junction temperatures over time: not modelled in this run (the scenario has no cooling.gpu_thermal).");
  else
    cooling_chart(d, x, "chart-cooling-throttle", "Thermally throttled GPUs (mean per interval)", "GPUs", "GPUs",
                  {{"throttled_gpus", "GPUs throttled"}}, {},
                  "cooling.csv throttled_gpus: GPUs with the thermal throttle engaged while their job ran (the throttle latches "
                  "until the coolant allows full compute power: an upper bound, sim/plant/gpu_thermal.h).");
  cooling_chart(d, x, "chart-cooling-weather", "Outdoor air the plant saw (°C)", "temperature (°C)", "°C",
                {{"outdoor_dry_bulb_c", "dry-bulb"}, {"outdoor_wet_bulb_c", "wet-bulb"}}, {},
                "cooling.csv outdoor_dry_bulb_c, outdoor_wet_bulb_c (time-weighted means; weather: " + str(cool, "weather", "?") +
                    ").");
  plant_mode_chart(d, x, cool);
}

// A run without cooling: what the report would show, each said to be not modelled.
void not_modelled(Doc& d) {
  d.p("Cooling is not modelled in this run (summary.json cooling_modelled = false; cooling_energy_mwh and pue are null).", "warn");
  d.table({"figure", "status"},
          {{c("PUE over time"), c("not modelled", "missing")},
           {c("WUE over time"), c("not modelled", "missing")},
           {c("Temperatures against ASHRAE class limits"), c("not modelled", "missing")},
           {c("Chiller, cooling tower and economizer hours"), c("not modelled", "missing")},
           {c("Thermal throttling"), c("not modelled", "missing")}});
}

// The plant's totals and extremes over the run (summary.json). Returns whether the run has GPU
// junction temperatures.
bool plant_figures(Doc& d, const Ctx& x) {
  const json& s = x.s;
  std::vector<std::vector<Cell>> rows;
  auto row = [&](const std::string& label, const char* k, int dec, const std::string& unit) {
    const auto v = num(s, k);
    rows.push_back({c(label), v ? cnum(fmt(*v, dec) + unit) : c(s.contains(k) ? "null in summary.json" : "not in summary.json", "missing"),
                    c(std::string("summary.json ") + k)});
  };
  row("PUE (facility energy / IT energy)", "pue", 3, "");
  row("WUE", "wue_l_per_kwh", 3, " L/kWh");
  row("Water consumed", "water_m3", 1, " m³");
  row("Cooling energy", "cooling_energy_mwh", 3, " MWh");
  {
    const json* fc = s.contains("free_cooling_hours") && s["free_cooling_hours"].is_object() ? &s["free_cooling_hours"] : nullptr;
    const auto full = fc ? num(*fc, "full") : std::nullopt, part = fc ? num(*fc, "partial") : std::nullopt;
    rows.push_back({c("Free-cooling (economizer) hours: full / partial"),
                    full && part ? cnum(fmt(*full, 2) + " h / " + fmt(*part, 2) + " h") : c("not in summary.json", "missing"),
                    c("summary.json free_cooling_hours.full, .partial")});
  }
  row("Chiller hours", "chiller_hours", 2, " h");
  {
    const json* hr = s.contains("heat_rejection_fan_hours") && s["heat_rejection_fan_hours"].is_object()
                         ? &s["heat_rejection_fan_hours"] : nullptr;
    for (const auto& [k, label] : std::vector<std::pair<const char*, const char*>>{
             {"cooling_towers", "Cooling-tower fan hours"}, {"dry_coolers", "Dry-cooler fan hours"}}) {
      const auto h = hr ? num(*hr, k) : std::nullopt;
      rows.push_back({c(label), h ? cnum(fmt(*h, 2) + " h") : c(hr ? "none installed" : "not in summary.json", "missing"),
                      c(std::string("summary.json heat_rejection_fan_hours.") + k)});
    }
  }
  row("Highest facility water supply temperature", "max_facility_water_c", 2, " °C");
  const bool junction = num(s, "max_junction_c").has_value();
  if (junction) {
    row("Highest GPU junction temperature", "max_junction_c", 2, " °C");
    row("Thermally throttled GPU-hours", "throttled_gpu_hours", 3, " GPU·h");
  }
  d.table({"figure", "value", "source"}, rows);
  return junction;
}

// One junction temperature per cohort of a job (summary.json gpu_thermal.cohorts[]).
void cohorts_table(Doc& d, const Ctx& x) {
  const json& s = x.s;
  if (!s.contains("gpu_thermal") || !s["gpu_thermal"].contains("cohorts")) return;
  std::vector<std::vector<Cell>> cr;
  for (const auto& k : s["gpu_thermal"]["cohorts"])
    cr.push_back({c(str(k, "cohort")), c(str(k, "rack_type")), c(str(k, "cooling")),
                  number_cell(k, "gpus", 0),
                  num(k, "max_junction_c") ? cnum(fmt(*num(k, "max_junction_c"), 2) + " °C") : c("—"),
                  num(k, "throttled_hours") ? cnum(fmt(*num(k, "throttled_hours"), 3) + " h") : c("—")});
  d.table({"cohort", "rack type", "GPU cooling", "GPUs", "max junction", "throttled"}, cr);
  d.src("summary.json gpu_thermal.cohorts[]: one junction temperature per cohort of a job (sim/plant/gpu_thermal.h).");
}

void alarms_table(Doc& d, const Ctx& x) {
  const json& s = x.s;
  const json& al = s.contains("alarms") ? s["alarms"] : json();
  if (!al.is_array()) {
    d.missing("Alarms: not in summary.json.");
  } else if (al.empty()) {
    d.p("Alarms: none (no temperature above its ASHRAE class limit, no unmet heat rejection).", "ok");
  } else {
    std::vector<std::vector<Cell>> ar;
    for (const auto& a : al)
      ar.push_back({c(str(a, "kind")), c(str(a, "place")), number_cell(a, "limit", 2),
                    number_cell(a, "peak", 2),
                    num(a, "start_s") ? c(fmt_t(*num(a, "start_s"))) : c("—"), num(a, "end_s") ? c(fmt_t(*num(a, "end_s"))) : c("—")});
    d.p("Alarms: " + std::to_string(al.size()) + " interval(s).", "bad");
    d.table({"alarm", "place", "limit", "peak", "from", "to"}, ar);
    d.src("summary.json alarms[]: one entry per interval; limit and peak in °C for temperatures, in W of unmet heat "
          "rejection for plant_capacity_exceeded.");
  }
}

// Cooling power over time and, without cooling.csv, the instantaneous PUE from timeseries.csv.
void cooling_power_charts(Doc& d, Ctx& x) {
  if (x.rd.column("cooling_mw")) {
    timeseries_chart(d, x, "chart-cooling", "Cooling power (MW)", {{"cooling_mw", "cooling plant"}}, nullptr, 0);
    const auto* it = x.rd.column("it_mw");
    if (x.rd.cooling.empty() && it && it->size() == x.facility->size()) {
      std::vector<double> ipue;
      ipue.reserve(it->size());
      for (std::size_t i = 0; i < it->size(); ++i) ipue.push_back((*it)[i] > 0 ? (*x.facility)[i] / (*it)[i] : std::nan(""));
      // Samples with no IT load have no PUE: left out of the chart.
      std::vector<double> tt, vv;
      for (std::size_t i = 0; i < ipue.size(); ++i)
        if (std::isfinite(ipue[i])) {
          tt.push_back(x.rd.t0_s + static_cast<double>(i) * x.dt);
          vv.push_back(ipue[i]);
        }
      const Decimated dec = vv.size() == ipue.size() ? minmax_decimate(vv, x.rd.t0_s, x.dt, x.o.display_buckets) : Decimated{tt, vv};
      json spec = chart_base(x, "chart-pue", "timeseries", "Instantaneous PUE = facility_mw / it_mw");
      spec["yName"] = "PUE";
      spec["clock"] = x.duration >= 3600;
      spec["series"] = json::array({json{{"name", "instantaneous PUE"}, {"t", round_series(dec.t, 10)}, {"v", round_series(dec.v, 6)}}});
      x.charts.push_back(spec);
      d.chart("chart-pue", 320);
      d.src("timeseries.csv facility_mw / it_mw per " + interval_label(x.dt) +
            " interval (min/max-decimated for display); the run's PUE above is the ratio of energies, not the mean of this.");
    }
  } else {
    d.missing("timeseries.csv has no cooling_mw column: no chart of cooling power" +
              std::string(x.rd.cooling.empty() ? " or instantaneous PUE." : "."));
  }
}

// What the run lacks, said in words.
void cooling_gaps(Doc& d, const Ctx& x, bool junction) {
  std::vector<std::vector<Cell>> gaps;
  if (!junction)
    gaps.push_back({c("GPU junction temperatures and thermal throttling"),
                    c("not modelled in this run: the scenario has no cooling.gpu_thermal", "missing")});
  if (x.rd.cooling.empty())
    gaps.push_back({c("Temperatures and WUE over time"),
                    c("no cooling.csv in this run folder (written by dctwin runs that model cooling): only the run's extremes "
                      "and totals above", "missing")});
  if (!gaps.empty()) d.table({"figure", "status"}, gaps);
}

void heat_section(Doc& d, Ctx& x) {
  const json& s = x.s;
  d.h2("heat", "Heat to reject (from the electrical model)");
  d.p("All electrical power into the IT equipment ends as heat in the white space; this is what a cooling plant would have "
      "to reject from the racks. It is the electrical model's figure, not a cooling result.");
  std::vector<std::vector<Cell>> rows;
  if (auto p = num(s, "peak_it_mw")) rows.push_back({c("Peak IT power = peak heat from the racks"), cnum(fmt(*p, 3) + " MW")});
  if (auto m = num(s, "mean_it_mw")) rows.push_back({c("Mean IT power"), cnum(fmt(*m, 3) + " MW")});
  if (auto e = num(s, "it_energy_mwh")) rows.push_back({c("IT energy in the simulated period"), cnum(fmt(*e, 3) + " MWh")});
  if (auto l = num(s, "losses_energy_mwh"))
    rows.push_back({c("Electrical distribution losses (heat in electrical rooms)"), cnum(fmt(*l, 3) + " MWh")});
  d.table({"figure", "value"}, rows);
  timeseries_chart(d, x, "chart-heat", "IT power = heat from the racks (MW)", {{"it_mw", "IT equipment"}, {"gpu_mw", "GPUs"}}, nullptr, 0);
  if (s.contains("it_breakdown_mwh") && s["it_breakdown_mwh"].is_object()) {
    const auto rack_storage_losses_mwh =
        s.contains("rack_storage") && s["rack_storage"].is_object() ? num(s["rack_storage"], "losses_mwh") : std::nullopt;
    json spec = chart_base(x, "chart-breakdown", "hbar", "Energy by heat source in the simulated period (MWh)");
    json cats = json::array(), vals = json::array();
    for (const auto& [k, v] : s["it_breakdown_mwh"].items())
      if (v.is_number() && k != "rack_storage") {  // stored energy is not heat; its losses are below
        cats.push_back("IT: " + k);
        vals.push_back(std::round(v.get<double>() * 1000) / 1000);
      }
    if (rack_storage_losses_mwh) {
      cats.push_back("loss: rack storage");
      vals.push_back(std::round(*rack_storage_losses_mwh * 1000) / 1000);
    }
    if (s.contains("losses_mwh_by_stage") && s["losses_mwh_by_stage"].is_object())
      for (const auto& [k, v] : s["losses_mwh_by_stage"].items())
        if (v.is_number()) {
          cats.push_back("loss: " + k);
          vals.push_back(std::round(v.get<double>() * 1000) / 1000);
        }
    spec["categories"] = cats;
    spec["xName"] = "energy (MWh)";
    spec["series"] = json::array({json{{"name", "energy"}, {"values", vals}}});
    x.charts.push_back(spec);
    d.chart("chart-breakdown", std::max(260, 26 * static_cast<int>(cats.size()) + 110));
    d.src("summary.json it_breakdown_mwh and losses_mwh_by_stage.");
  }
}

}  // namespace

void cooling_report(Doc& d, Ctx& x) {
  d.h2("cooling", "Cooling plant");
  if (!x.cooling_modelled) {
    not_modelled(d);
  } else {
    const bool junction = plant_figures(d, x);
    if (junction) cohorts_table(d, x);
    alarms_table(d, x);
    cooling_power_charts(d, x);
    if (!x.rd.cooling.empty()) cooling_series_charts(d, x);
    cooling_gaps(d, x, junction);
  }
  heat_section(d, x);
}

}  // namespace dctwin::viz
