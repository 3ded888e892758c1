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
#include "viz/key_figures.h"
#include "viz/report_page.h"

namespace dctwin::viz {

namespace {

struct Limit {
  std::string label;
  std::optional<double> value;
};

// A ratio per interval (PUE, WUE): numerator and denominator means over complete intervals of 15
// min (1 h for runs longer than a week), their ratio times `scale`; NaN where the denominator is 0.
struct IntervalRatio {
  double interval_s = 900;
  std::vector<double> v;
  std::string why;  // why there is nothing to chart (fewer than two intervals, a step that does not divide)
};

IntervalRatio interval_ratio(const Ctx& x, const std::vector<double>& numer, const std::vector<double>& denom, double scale,
                             double numer_dt = 0) {
  IntervalRatio r;
  r.interval_s = x.duration > 7 * 86400.0 ? 3600 : 900;
  const double ndt = numer_dt > 0 ? numer_dt : x.dt;
  if (!samples_per_interval(x.dt, r.interval_s) || !samples_per_interval(ndt, r.interval_s)) {
    r.why = "the output step does not divide " + interval_label(r.interval_s);
    return r;
  }
  const auto n = interval_means(numer, ndt, r.interval_s), m = interval_means(denom, x.dt, r.interval_s);
  const std::size_t k = std::min(n.size(), m.size());
  for (std::size_t i = 0; i < k; ++i) r.v.push_back(m[i] > 0 ? n[i] / m[i] * scale : std::nan(""));
  if (k < 2)
    r.why = "the run (" + fmt_duration(x.duration) + ") holds " + std::to_string(k) + " complete " + interval_label(r.interval_s) +
            " interval" + (k == 1 ? "" : "s") + "; a chart needs two";
  return r;
}

// One value per interval, drawn as steps (each is the figure over its whole interval).
void ratio_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title, const std::string& y_name,
                 const std::string& unit, const std::string& name, const IntervalRatio& r) {
  json spec = chart_base(x, id, "timeseries", title);
  spec["yName"] = y_name;
  spec["unit"] = unit;
  spec["clock"] = x.duration >= 3600;
  json s = envelope_series(name, r.v, x.rd.t0_s, r.interval_s, r.v.size());
  s["step"] = true;
  spec["series"] = json::array({s});
  x.charts.push_back(spec);
  d.chart(id, 300);
}

// WUE per interval: cooling.csv water_l summed over the interval / the IT energy (kWh) of it.
void wue_chart(Doc& d, Ctx& x) {
  const auto* t = x.rd.cooling_column("t_s");
  const auto* water = x.rd.cooling_column("water_l");
  const auto* it = x.rd.column("it_mw");
  if (!t || t->size() < 2 || !water || !it) {
    d.missing("WUE over time: not charted, the run folder lacks cooling.csv water_l or timeseries.csv it_mw.");
    return;
  }
  const double step = (*t)[1] - (*t)[0];
  // Litres per second of the cooling interval over MW of IT: L/s / (1000 kW) = L/kWh / 3.6.
  std::vector<double> l_per_s(water->size());
  for (std::size_t i = 0; i < water->size(); ++i) l_per_s[i] = (*water)[i] / step;
  const IntervalRatio r = interval_ratio(x, l_per_s, *it, 3.6, step);
  const std::string what = "WUE per " + interval_label(r.interval_s);
  if (!r.why.empty()) {
    d.missing(what + ": not charted, " + r.why + ". The run's WUE is in the table above.");
    return;
  }
  ratio_chart(d, x, "chart-cooling-wue", what + " (L per kWh of IT energy)", "WUE (L/kWh)", "L/kWh", "WUE", r);
  d.src("cooling.csv water_l (cooling-tower make-up water: evaporation + drift + blowdown) summed over each complete " +
        interval_label(r.interval_s) + " interval / the interval's IT energy from timeseries.csv it_mw.");
}

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
    // columns keeps every extreme visible at a quarter of the size.
    json series = envelope_series(label, *v, t->front(), step,
                                  x.o.display_buckets == 0 ? 0 : std::max<std::size_t>(1, x.o.display_buckets / 4));
    total = v->size();
    shown = series["t"].size();
    spec["series"].push_back(std::move(series));
  }
  if (spec["series"].empty()) return false;
  json lim = json::array();
  for (const auto& l : limits)
    if (l.value) lim.push_back({{"name", l.label}, {"value", *l.value}});
  if (!lim.empty()) spec["limits"] = lim;
  x.charts.push_back(spec);
  d.chart(id, 340);
  d.src(source + " Per " + interval_label(step) + " interval of cooling.csv" +
        (shown < total ? " (" + fmt(static_cast<double>(total), 0) + " intervals, reduced to the min, mean and max of " +
                             fmt(static_cast<double>(shown), 0) + " equal time columns)"
                       : std::string("")) +
        "; drawn per pixel column as the mean (line) within the min..max (band).");
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
  wue_chart(d, x);
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
  if (const auto pue = num(s, "pue"))
    rows.push_back({c("PUE (facility energy / IT energy)"), cnum(fmt(*pue, 3)),
                    c("summary.json pue, over " + weather_window(s, x.duration).window + " (" + weather_window(s, x.duration).weather + ")")});
  else
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

// Cooling power over time, and the PUE per billing-sized interval (15 min, or 1 h past a week).
void cooling_power_charts(Doc& d, Ctx& x) {
  timeseries_chart(d, x, "chart-cooling", "Cooling power (MW)", {{"cooling_mw", "cooling plant"}}, nullptr, 0);
  const auto* it = x.rd.column("it_mw");
  const IntervalRatio r = it ? interval_ratio(x, *x.facility, *it, 1.0) : IntervalRatio{};
  const std::string what = "PUE per " + interval_label(r.interval_s);
  if (!it) {
    d.missing("PUE over time: not charted, timeseries.csv has no it_mw column.");
  } else if (!r.why.empty()) {
    d.missing(what + ": not charted, " + r.why + ". The run's " + pue_with_window(x.s, x.duration) + ".");
  } else {
    ratio_chart(d, x, "chart-pue", what + " = meter energy / IT energy over each interval", "PUE", "", "PUE", r);
    d.src("timeseries.csv facility_mw / it_mw, each the mean over a complete " + interval_label(r.interval_s) +
          " interval (the ratio of the interval's energies); the run's " + pue_with_window(x.s, x.duration) +
          " is the ratio over the whole run.");
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
