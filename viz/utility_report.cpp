// The utility report: what a utility's interconnection team asks of a campus. One function per
// section of the page, in page order: executive summary (contracted capacity, energy, cost),
// demand at billing and engineering intervals, meter power over the run, load duration, ramp
// rates, the largest step changes and their causes, the oscillation spectrum, mitigation (rack
// storage, the facility battery), N-1 contingency and grid disturbances (viz/grid_section.cpp). The numbers come from viz/demand.h.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <tuple>

#include "viz/compliance_section.h"
#include "viz/cost_section.h"
#include "viz/demand.h"
#include "viz/flex_section.h"
#include "viz/format.h"
#include "viz/grid_section.h"
#include "viz/json_fields.h"
#include "viz/key_figures.h"
#include "viz/report_page.h"
#include "viz/step_causes.h"

namespace dctwin::viz {

namespace {

struct DemandRow {
  std::string label;
  double interval = 0;
  std::optional<Peak> peak;
  std::string why;  // when there is no peak
};

DemandRow demand_row(const Ctx& x, const std::string& label, double interval) {
  DemandRow r{label, interval, std::nullopt, ""};
  if (!samples_per_interval(x.dt, interval)) {
    r.why = "not available: the output step (" + interval_label(x.dt) + ") does not divide " + interval_label(interval);
    return r;
  }
  r.peak = peak_demand(*x.facility, x.dt, interval);
  if (!r.peak) r.why = "not available: the run (" + fmt_duration(x.duration) + ") is shorter than one interval";
  return r;
}

// The figures several sections of the page share, computed once from facility_mw.
struct UtilityFigures {
  double mean_mw = 0;
  double year_factor = 0;  // 8,760 h / the simulated hours: the extrapolation to a year
  std::optional<double> energy_mwh;  // summary.json facility_energy_mwh
  std::vector<DemandRow> rows;       // 100 ms (or the finest interval), 1 s, 1 min, 15 min
  const DemandRow& d15() const { return rows.back(); }
  // Spectrum.
  Psd psd;
  double nyquist = 0, band_hi_eff = 0;
  bool band_resolved = false;
  std::optional<double> share, f_peak;
  std::optional<RampExtremes> ramps;  // between output steps
  bool tariff_e = false, tariff_d = false;
  std::string meter;  // what the meter power holds
  std::vector<Step> steps;  // sample-to-sample changes of facility_mw
  double max_abs = 0;       // the largest |change| (MW) and the sample it ends at
  std::size_t k_max = 0;
};

UtilityFigures utility_figures(const Ctx& x) {
  const auto& f = *x.facility;
  UtilityFigures u;
  u.mean_mw = mean(f);
  const double hours = x.duration / 3600.0;
  u.year_factor = 8760.0 / hours;
  u.energy_mwh = num(x.s, "facility_energy_mwh");

  // Demand at the billing and engineering intervals.
  if (x.dt <= 0.1 + 1e-12 && samples_per_interval(x.dt, 0.1))
    u.rows.push_back(demand_row(x, "100 ms", 0.1));
  else
    u.rows.push_back(demand_row(x, "finest available: " + interval_label(x.dt) + " (100 ms is finer than this run's output step)", x.dt));
  u.rows.push_back(demand_row(x, "1 s", 1));
  u.rows.push_back(demand_row(x, "1 min", 60));
  u.rows.push_back(demand_row(x, "15 min", 900));

  // Spectrum.
  u.psd = welch_psd(f, x.dt, welch_segment_for(f.size(), x.dt, x.o.band_lo_hz));
  u.nyquist = 0.5 / x.dt;
  u.band_hi_eff = std::min(x.o.band_hi_hz, u.nyquist);
  u.band_resolved = x.o.band_lo_hz < u.nyquist;
  u.share = u.band_resolved ? band_share(u.psd, x.o.band_lo_hz, u.band_hi_eff) : std::nullopt;
  u.f_peak = psd_peak_hz(u.psd);

  u.ramps = ramp_extremes(f, x.dt, x.dt);
  u.tariff_e = x.o.energy_usd_per_kwh.has_value();
  u.tariff_d = x.o.demand_usd_per_kw_month.has_value();
  u.meter = x.cooling_modelled ? "IT + electrical losses + cooling" : "IT + electrical losses";

  u.steps = sample_steps(f);
  const Step largest = largest_step(u.steps);
  u.max_abs = std::abs(largest.delta);
  u.k_max = largest.k;
  return u;
}

void nav(Doc& d) {
  d.raw("<nav><a href=\"#summary\">Executive summary</a> · <a href=\"#demand\">Demand</a> · <a href=\"#series\">Time series</a> · "
        "<a href=\"#duration\">Load duration</a> · <a href=\"#ramps\">Ramps</a> · <a href=\"#steps\">Step changes</a> · "
        "<a href=\"#spectrum\">Spectrum</a> · <a href=\"#mitigation\">Mitigation</a> · <a href=\"#contingency\">Contingency N-1</a> · <a href=\"#grid\">Grid disturbances</a></nav>\n");
}

// The yearly cost rows of the executive summary: only from the tariffs given; none is assumed.
void cost_rows(std::vector<std::vector<Cell>>& ex, const Ctx& x, const UtilityFigures& u) {
  const DemandRow& d15 = u.d15();
  const bool tariff_e = u.tariff_e, tariff_d = u.tariff_d;
  const auto& energy_mwh = u.energy_mwh;
  const double year_factor = u.year_factor;
  if (!tariff_e && !tariff_d) {
    ex.push_back({c("Cost"), c("no tariff given", "missing"),
                  c("give --energy-usd-per-kwh and/or --demand-usd-per-kw-month to see the cost; no tariff is assumed")});
  } else {
    double total = 0;
    bool complete = true;
    if (tariff_e && energy_mwh) {
      const double e = *energy_mwh * year_factor * 1000 * *x.o.energy_usd_per_kwh;
      total += e;
      ex.push_back({c("Energy cost (extrapolated year)"), cnum(usd(e) + "/yr"),
                    c("annual energy (extrapolation above) x $" + fmt_g(*x.o.energy_usd_per_kwh) + "/kWh")});
    } else {
      complete = false;
      ex.push_back({c("Energy cost"), c("no energy tariff given", "missing"), c("report option --energy-usd-per-kwh")});
    }
    if (tariff_d && d15.peak) {
      const double dc = d15.peak->value * 1000 * *x.o.demand_usd_per_kw_month * 12;
      total += dc;
      ex.push_back({c("Demand charge (year)"), cnum(usd(dc) + "/yr"),
                    c("highest 15-minute demand x $" + fmt_g(*x.o.demand_usd_per_kw_month) +
                      "/kW-month x 12 months (the simulated peak assumed every month)")});
    } else {
      complete = false;
      ex.push_back({c("Demand charge"), c(tariff_d ? "not available" : "no demand tariff given", "missing"),
                    c(tariff_d ? "needs a complete 15-minute interval" : "report option --demand-usd-per-kw-month")});
    }
    if (complete)
      ex.push_back({c("Total electricity cost (year)"), {"<strong>" + html_escape(usd(total)) + "/yr</strong>", "num"},
                    c(x.cooling_modelled ? "energy + demand charges; includes cooling"
                                         : "energy + demand charges; excludes cooling, which is not modelled")});
  }
}

void executive_summary(Doc& d, const Ctx& x, const UtilityFigures& u) {
  const json& s = x.s;
  const DemandRow& d15 = u.d15();
  const double mean_mw = u.mean_mw, year_factor = u.year_factor;
  const auto& energy_mwh = u.energy_mwh;
  const std::string& meter = u.meter;
  const auto pue = num(s, "pue");
  d.h2("summary", "Executive summary");
  std::vector<std::vector<Cell>> ex;
  if (const auto cap_mw = contracted_capacity_mw(d15.peak, x.o.margin_pct)) {
    const double cap = *cap_mw;
    ex.push_back({c("Recommended contracted capacity"), {"<strong>" + fmt(cap, 2) + " MW</strong>", "num"},
                  c("highest 15-minute demand " + fmt(d15.peak->value, 3) + " MW + " + fmt_g(x.o.margin_pct) +
                     " % margin (report option --margin-pct); meter power of what is modelled: " +
                    (x.cooling_modelled ? meter + " (cooling included)" : meter + ", cooling excluded"))});
  } else {
    ex.push_back({c("Recommended contracted capacity"), c("not available", "missing"),
                  c("needs a complete 15-minute interval: " + d15.why + "; run at least 900 s")});
  }
  ex.push_back({c("Highest 15-minute demand"), d15.peak ? cnum(fmt(d15.peak->value, 3) + " MW") : c("not available", "missing"),
                d15.peak ? c("mean meter power over the 15-min interval starting at " + fmt_t(d15.peak->t_s) + "; " +
                             std::to_string(d15.peak->count) + " complete intervals in the run")
                         : c(d15.why)});
  if (auto p = num(s, "peak_facility_mw"))
    ex.push_back({c("Highest instantaneous demand"), cnum(fmt(*p, 3) + " MW"),
                  c("summary.json peak_facility_mw (power is piecewise constant between events), first at " +
                    fmt_t(num(s, "peak_facility_t_s").value_or(0)))});
  if (s.contains("curtailments") && s["curtailments"].is_array())
    ex.push_back({c("Firm vs flexible load"), cnum(std::to_string(s["curtailments"].size()) + " curtailment events"),
                  c("section Firm and flexible load: what was asked, held, and what it cost")});
  else
    ex.push_back({c("Firm vs flexible load"), c("not evaluated", "missing"),
                  c("no grid.curtailments in this run; all of this demand is shown as firm (dctwin flex maps the offer)")});
  if (energy_mwh) {
    ex.push_back({c("Energy in the simulated period"), cnum(fmt(*energy_mwh, 3) + " MWh"),
                  c("summary.json facility_energy_mwh over " + fmt_duration(x.duration))});
    ex.push_back({c("Annual energy (extrapolation)"), cnum(fmt(*energy_mwh * year_factor, 0) + " MWh/yr"),
                  c("an extrapolation, not a simulation of a year: the simulated " + fmt_duration(x.duration) +
                    " repeated for 8,760 h (x " + fmt(year_factor, 1) + ")")});
  }
  if (d15.peak) {
    ex.push_back({c("Load factor (billing)"), cnum(fmt(mean_mw / d15.peak->value, 3)),
                  c("mean meter power " + fmt(mean_mw, 3) + " MW / highest 15-minute demand")});
  }
  if (auto lf = num(s, "load_factor"))
    ex.push_back({c("Load factor (instantaneous)"), cnum(fmt(*lf, 3)), c("summary.json load_factor: mean / highest instantaneous power")});
  cost_rows(ex, x, u);
  d.table({"figure", "value", "how it is obtained"}, ex, "exec");
  if (!x.cooling_modelled)
    d.p("Cooling is not modelled in this run (cooling_modelled = false): every meter figure in this report covers the IT "
        "equipment and the electrical distribution only. The capacity a utility must supply also includes the cooling "
        "plant's peak, which this run does not give.",
        "warn");
  else
    d.p("Cooling is modelled in this run (cooling_modelled = true): every meter figure in this report includes the cooling "
        "plant (IT + electrical losses + cooling)" + (pue ? "; " + pue_with_window(s, x.duration) + ", summary.json pue" : std::string("")) +
        ".", "ok");
}

// Monthly peaks and energy: consecutive 730-hour periods (the run has no calendar date).
void monthly_peaks(Doc& d, const Ctx& x) {
  const double month_s = 730 * 3600.0;
  if (x.duration >= 2 * month_s) {
    std::vector<std::vector<Cell>> mr;
    const auto months = period_demands(*x.facility, x.dt, month_s, 900);
    for (std::size_t m = 0; m < months.size(); ++m)
      mr.push_back({c("month " + std::to_string(m + 1) + (months[m].partial ? " (partial)" : "")),
                    months[m].peak ? cnum(fmt(months[m].peak->value, 3)) : c("no complete interval", "missing"),
                    cnum(fmt(months[m].energy, 1))});
    d.table({"period (730 h from the start)", "highest 15-min demand (MW)", "energy (MWh)"}, mr);
    d.src("The run has no calendar date: months are consecutive 730-hour periods from its start.");
  } else {
    d.missing("Monthly peaks: the run spans " + fmt_duration(x.duration) +
              "; monthly peaks and energy need a run of at least two months (730-hour periods; the run has no calendar date).");
  }
}

void demand_section(Doc& d, const Ctx& x, const UtilityFigures& u) {
  const double mean_mw = u.mean_mw;
  d.h2("demand", "Demand at billing and engineering intervals");
  std::vector<std::vector<Cell>> dr;
  for (const auto& r : u.rows) {
    if (r.peak)
      dr.push_back({c(r.label), cnum(fmt(r.peak->value, 3)), c(fmt_t(r.peak->t_s)), cnum(fmt(static_cast<double>(r.peak->count), 0)),
                    cnum(fmt(mean_mw / r.peak->value, 3))});
    else
      dr.push_back({c(r.label), c(r.why, "missing"), c(""), c(""), c("")});
  }
  d.table({"interval", "highest demand (MW)", "interval starts at", "complete intervals", "load factor (mean / this peak)"}, dr);
  d.src("Demand = mean meter power (timeseries.csv facility_mw: " + u.meter + ") over fixed intervals aligned to the "
        "start of the run; an incomplete last interval is left out. Mean over the run: " + fmt(mean_mw, 3) + " MW.");
  monthly_peaks(d, x);
}

// Every sample at full resolution in a window of up to 60 s around the largest step change.
void detail_chart(Doc& d, Ctx& x, const UtilityFigures& u) {
  const auto& f = *x.facility;
  const std::size_t k_max = u.k_max;
  const std::string& meter = u.meter;
  const double window = std::min(60.0, x.duration);
  const std::size_t wn = std::max<std::size_t>(2, static_cast<std::size_t>(window / x.dt));
  std::size_t a = k_max > wn / 2 ? k_max - wn / 2 : 0;
  if (a + wn > f.size()) a = f.size() > wn ? f.size() - wn : 0;
  const std::size_t b = std::min(f.size(), a + wn);
  json spec = chart_base(x, "chart-detail", "timeseries",
                         "Full resolution, " + fmt_g(static_cast<double>(b - a) * x.dt) + " s around the largest step change (MW)");
  spec["yName"] = "power (MW)";
  spec["clock"] = false;
  std::vector<double> t, v;
  for (std::size_t i = a; i < b; ++i) {
    t.push_back(x.rd.t0_s + static_cast<double>(i) * x.dt);
    v.push_back(f[i]);
  }
  if (b > a) {  // the last sample holds to the end of its interval
    t.push_back(x.rd.t0_s + static_cast<double>(b) * x.dt);
    v.push_back(f[b - 1]);
  }
  spec["series"] = json::array({json{{"name", "meter (" + meter + ")"}, {"t", round_series(t, 10)},
                                     {"v", round_series(v, 8)}, {"step", true}}});
  x.charts.push_back(spec);
  d.chart("chart-detail", 300);
  d.src("Every " + interval_label(x.dt) + " sample from " + fmt_t(x.rd.t0_s + static_cast<double>(a) * x.dt) + " to " +
        fmt_t(x.rd.t0_s + static_cast<double>(b) * x.dt) + "; drawn as steps (each sample is the mean over its interval).");
}

void series_section(Doc& d, Ctx& x, const UtilityFigures& u) {
  const auto& f = *x.facility;
  const std::string& meter = u.meter;
  d.h2("series", "Meter power over the run");
  const auto d15_series = interval_means(f, x.dt, 900);
  timeseries_chart(d, x, "chart-series", "Meter and IT power (MW)",
                   {{"facility_mw", "meter (" + meter + ")"}, {"it_mw", "IT equipment"}},
                   d15_series.empty() ? nullptr : &d15_series, 900);
  detail_chart(d, x, u);
}

void duration_section(Doc& d, Ctx& x) {
  const auto& f = *x.facility;
  d.h2("duration", "Load-duration curve");
  const Curve ldc = load_duration_curve(f, 1000);
  json spec = chart_base(x, "chart-ldc", "xy", "Load-duration curve: meter power (MW) vs share of time at or above it (%)");
  spec["xName"] = "share of time at or above (%)";
  spec["yName"] = "power (MW)";
  spec["x"] = round_series(ldc.x, 6);
  spec["xMin"] = 0;
  spec["xMax"] = 100;
  spec["series"] = json::array({json{{"name", "meter power"}, {"y", round_series(ldc.y, 8)}}});
  x.charts.push_back(spec);
  d.chart("chart-ldc", 320);
  d.src("All " + fmt(static_cast<double>(f.size()), 0) + " samples of facility_mw at " + interval_label(x.dt) +
        " sorted from highest to lowest (1,000 points shown).");
}

void ramps_section(Doc& d, Ctx& x) {
  const auto& f = *x.facility;
  d.h2("ramps", "Ramp rates");
  std::vector<std::vector<Cell>> rr;
  std::vector<std::pair<std::string, double>> ivs = {{interval_label(x.dt) + " (output step)", x.dt}};
  if (x.dt < 1 && samples_per_interval(x.dt, 1)) ivs.push_back({"1 s", 1});
  if (x.dt < 60 && samples_per_interval(x.dt, 60)) ivs.push_back({"1 min", 60});
  for (const auto& [label, iv] : ivs) {
    const auto e = ramp_extremes(f, x.dt, iv);
    if (!e) {
      rr.push_back({c(label), c("not available: fewer than two complete intervals", "missing"), c(""), c(""), c("")});
      continue;
    }
    // A rate per minute is only stated for windows of a minute or longer: a 100 ms swing is not a
    // sustained MW/min.
    const bool per_min = iv >= 60 - 1e-9;
    auto rate = [per_min](double r) { return fmt(r, 3) + " MW/s" + (per_min ? " (" + fmt(r * 60, 1) + " MW/min)" : ""); };
    rr.push_back({c(label), cnum(rate(e->max_up)), c(fmt_t(e->t_up_s)), cnum(rate(e->max_down)), c(fmt_t(e->t_down_s))});
  }
  d.table({"between consecutive means over", "largest rise", "at", "largest fall", "at"}, rr);
  d.src("Ramp = difference of consecutive interval means of facility_mw / the interval, in MW/s at the interval it was "
        "measured over; the MW/min figure only for intervals of a minute or longer. A short interval sees the training "
        "step's swings; a long one averages them out.");
  const auto r = ramp_rates(f, x.dt, x.dt);
  if (r.empty()) {
    d.missing("Ramp-rate distribution: not charted, the run has fewer than two output steps.");
    return;
  }
  const Histogram h = histogram(r, 41);
  json spec = chart_base(x, "chart-ramps", "bar", "Ramp-rate distribution at " + interval_label(x.dt) + " (MW/s), count of intervals");
  spec["xName"] = "ramp rate (MW/s)";
  spec["yName"] = "intervals (log scale)";
  spec["logY"] = true;
  json cats = json::array(), vals = json::array();
  // Bin centres with the decimals the bin width needs; a centre within rounding of 0 is 0.
  const int dec = h.width > 0 ? std::clamp(1 - static_cast<int>(std::floor(std::log10(h.width))), 0, 6) : 3;
  for (std::size_t i = 0; i < h.count.size(); ++i) {
    const double mid = h.lower[i] + h.width / 2;
    cats.push_back(fmt(std::abs(mid) < h.width * 1e-6 ? 0.0 : mid, dec));
    vals.push_back(h.count[i] ? json(h.count[i]) : json(nullptr));
  }
  spec["categories"] = cats;
  spec["series"] = json::array({json{{"name", "intervals"}, {"values", vals}}});
  x.charts.push_back(spec);
  d.chart("chart-ramps", 300);
  d.src(fmt(static_cast<double>(r.size()), 0) + " ramps between consecutive " + interval_label(x.dt) +
        " samples in 41 equal bins; empty bins are left blank.");
}

// The largest changes, grouped: a training job repeats the same step every period, so equal
// changes (to 0.1 % of the largest) with the same cause are one group with their count; at most
// 10 groups, each at least 10 % of the largest change.
struct StepGroup {
  double delta;
  std::size_t first_k, count;
  std::string cause;
};

std::vector<StepGroup> largest_step_groups(const Ctx& x, const UtilityFigures& u, const json& jobs, double tol) {
  const double max_abs = u.max_abs;
  std::vector<Step> sorted = u.steps;
  std::sort(sorted.begin(), sorted.end(), [](const Step& a, const Step& b) {
    return std::abs(a.delta) != std::abs(b.delta) ? std::abs(a.delta) > std::abs(b.delta) : a.k < b.k;
  });
  std::vector<StepGroup> groups;
  std::map<std::pair<std::string, long long>, std::size_t> index;
  const double quantum = max_abs * 1e-3;
  for (const auto& st : sorted) {
    if (st.delta == 0 || std::abs(st.delta) < 0.1 * max_abs) break;
    const double t = x.rd.t0_s + static_cast<double>(st.k) * x.dt;
    std::string cause = step_cause(jobs, t, tol);
    const auto key = std::make_pair(cause, std::llround(st.delta / quantum));
    const auto it = index.find(key);
    if (it != index.end()) {
      StepGroup& g = groups[it->second];
      ++g.count;
      g.first_k = std::min(g.first_k, st.k);
      continue;
    }
    if (groups.size() >= 10) continue;
    index[key] = groups.size();
    groups.push_back({st.delta, st.k, 1, std::move(cause)});
  }
  return groups;
}

// Counts by cause of all steps of at least 10 % of the largest.
void steps_by_cause(Doc& d, const Ctx& x, const UtilityFigures& u, const json& jobs, double tol) {
  const double max_abs = u.max_abs;
  std::map<std::string, std::tuple<std::size_t, double, double>> by_cause;
  std::size_t n_big = 0;
  for (const auto& st : u.steps) {
    if (max_abs == 0 || std::abs(st.delta) < 0.1 * max_abs) continue;
    ++n_big;
    const double t = x.rd.t0_s + static_cast<double>(st.k) * x.dt;
    auto& [n, up, down] = by_cause[step_cause(jobs, t, tol)];
    ++n;
    up = std::max(up, st.delta);
    down = std::max(down, -st.delta);
  }
  if (n_big > 0) {
    std::vector<std::vector<Cell>> cr;
    for (const auto& [cause, v] : by_cause)
      cr.push_back({c(cause), cnum(fmt(static_cast<double>(std::get<0>(v)), 0)), cnum(fmt(std::get<1>(v), 3)),
                    cnum(fmt(std::get<2>(v), 3))});
    d.table({"cause", "steps", "largest rise (MW)", "largest fall (MW)"}, cr);
    d.src("All " + fmt(static_cast<double>(n_big), 0) + " sample-to-sample changes of at least 10 % of the largest (" +
          fmt(0.1 * max_abs, 3) + " MW). A cause is named when its time in summary.json jobs[] (start_s, stop_s, "
          "failure_times_s, checkpoint_times_s, or a training step's phase boundary while its schedule is known) is within "
          "one output step; otherwise it is \"unattributed\".");
  }
}

void steps_section(Doc& d, const Ctx& x, const UtilityFigures& u) {
  const auto& f = *x.facility;
  const json& s = x.s;
  d.h2("steps", "Largest step changes and their causes");
  const json& jobs = s.contains("jobs") ? s["jobs"] : json::array();
  const double tol = x.dt * 1.001;
  std::vector<std::vector<Cell>> sr;
  for (const auto& g : largest_step_groups(x, u, jobs, tol))
    sr.push_back({cnum(std::string(g.delta > 0 ? "+" : "") + fmt(g.delta, 3)), cnum(fmt(f[g.first_k - 1], 3) + " → " + fmt(f[g.first_k], 3)),
                  c(fmt_t(x.rd.t0_s + static_cast<double>(g.first_k) * x.dt)), cnum(fmt(static_cast<double>(g.count), 0)),
                  c(g.cause)});
  if (sr.empty())
    d.missing("The meter power never changes between samples: there is no step change.");
  else
    d.table({"change (MW)", "from → to (MW), first time", "first at (start of the later sample)", "times", "cause"}, sr);
  steps_by_cause(d, x, u, jobs, tol);
  bool cp_missing = false;
  if (jobs.is_array())
    for (const auto& j : jobs)
      if (num(j, "checkpoint_count").value_or(0) > 0 && !j.contains("checkpoint_times_s")) cp_missing = true;
  if (cp_missing)
    d.missing("Checkpoint times are not in this run's summary.json (only their count): steps caused by checkpoints, and "
              "the training steps after the first checkpoint, are labelled unattributed.");
}

void spectrum_section(Doc& d, Ctx& x, const UtilityFigures& u) {
  const json& s = x.s;
  const Psd& psd = u.psd;
  const double nyquist = u.nyquist, band_hi_eff = u.band_hi_eff;
  const bool band_resolved = u.band_resolved;
  const auto& share = u.share;
  const auto& f_peak = u.f_peak;
  d.h2("spectrum", "Oscillation spectrum (Welch PSD)");
  std::vector<std::vector<Cell>> pr;
  pr.push_back({c("Critical band"), cnum(fmt_g(x.o.band_lo_hz) + "–" + fmt_g(x.o.band_hi_hz) + " Hz"),
                c("report options --band-lo-hz, --band-hi-hz")});
  pr.push_back({c("Resolved by this run"), cnum("0–" + fmt_g(nyquist) + " Hz"),
                c("Nyquist frequency of the " + interval_label(x.dt) + " output step" +
                  (x.o.band_hi_hz > nyquist ? "; the band above " + fmt_g(nyquist) + " Hz is not seen by this run (use a finer output_step_s)" : ""))});
  if (share)
    pr.push_back({c("Share of variation in the band"), {"<strong>" + fmt(*share * 100, 1) + " %</strong>", "num"},
                  c("PSD integral over " + fmt_g(x.o.band_lo_hz) + "–" + fmt_g(band_hi_eff) + " Hz / over 0–" + fmt_g(nyquist) +
                    " Hz (variance share, Parseval)")});
  else
    pr.push_back({c("Share of variation in the band"), c("not available", "missing"),
                  c(band_resolved ? "the series does not vary" : "the band lies above this run's Nyquist frequency")});
  // A step frequency at or above Nyquist folds onto a lower one (sim/output/spectrum.h): the peak is an alias.
  const auto period = num(s, "step_period_s");
  const bool aliased = period && *period > 0 && x.dt >= *period / 2;
  pr.push_back({c("Largest spectral peak"),
                f_peak ? (aliased ? c(fmt_g(*f_peak) + " Hz (alias)", "warn") : cnum(fmt_g(*f_peak) + " Hz"))
                       : c("none (constant series)", "missing"),
                c(period ? "largest training job's step period " + fmt_g(*period) + " s = " + fmt_g(1 / *period) + " Hz" +
                               (aliased ? "; at or above this run's Nyquist frequency " + fmt_g(nyquist) +
                                              " Hz, so the peak is an alias of it: use output_step_s below " + fmt_g(*period / 2) + " s"
                                        : std::string())
                         : std::string("no training job"))});
  pr.push_back({c("RMS variation"), cnum(fmt(psd_rms(psd), 3) + " MW"), c("square root of the PSD integral (mean removed per segment)")});
  d.table({"figure", "value", "note"}, pr);
  json spec = chart_base(x, "chart-psd", "xy", "Power spectral density of meter power (MW²/Hz)");
  spec["xName"] = "frequency (Hz)";
  spec["yName"] = "PSD (MW²/Hz)";
  spec["logX"] = true;
  spec["logY"] = true;
  std::vector<double> fx, py;
  for (std::size_t k = 1; k < psd.f_hz.size(); ++k)
    if (psd.density[k] > 0) {
      fx.push_back(psd.f_hz[k]);
      py.push_back(psd.density[k]);
    }
  if (fx.empty()) {
    d.missing("Power spectral density: not charted, the meter power does not vary (or the run has fewer than 8 samples).");
    return;
  }
  spec["x"] = round_series(fx, 6);
  // Below 1e-9 of the peak is leakage and rounding, not an oscillation: the axis stops there.
  if (!py.empty()) spec["yMin"] = std::pow(10.0, std::floor(std::log10(*std::max_element(py.begin(), py.end()) * 1e-9)));
  spec["series"] = json::array({json{{"name", "Welch PSD"}, {"y", round_series(py, 5)}}});
  if (band_resolved)
    spec["band"] = {{"from", x.o.band_lo_hz}, {"to", band_hi_eff}, {"label", "critical band " + fmt_g(x.o.band_lo_hz) + "–" + fmt_g(x.o.band_hi_hz) + " Hz"}};
  x.charts.push_back(spec);
  d.chart("chart-psd", 340);
  d.src("Welch's method on facility_mw at " + interval_label(x.dt) + ": " + std::to_string(psd.segments) + " segments of " +
        std::to_string(psd.segment) + " samples (" + fmt_g(static_cast<double>(psd.segment) * x.dt) +
        " s), Hann window, 50 % overlap, each segment's mean removed; resolution " + fmt_g(psd.df_hz) + " Hz.");
}

// Rack energy storage (summary.json rack_storage): its ramps, losses and energy balance.
void rack_storage_table(Doc& d, const json& rack_st) {
  std::vector<std::vector<Cell>> rr;
  auto row = [&](const std::string& label, const char* k, int dec, const std::string& unit) {
    const auto v = num(rack_st, k);
    rr.push_back({c(label), v ? cnum(fmt(*v, dec) + unit) : c("not in summary.json", "missing"),
                  c(std::string("summary.json rack_storage.") + k)});
  };
  row("Largest rack ramp without storage (the rack's load, per control step)", "max_load_ramp_w_per_s", 1, " W/s per rack");
  row("Largest rack ramp at the grid side, with storage", "max_grid_ramp_w_per_s", 1, " W/s per rack");
  row("Control steps over the ramp limit (a power, charge or no-export limit bound)", "ramp_limit_violations", 0, "");
  row("Storage losses", "losses_mwh", 4, " MWh");
  if (const auto e = num(rack_st, "energy_balance_rel_error")) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1e", *e);
    rr.push_back({c("Energy balance, relative error (grid = load + stored + losses)"), cnum(buf),
                  c("summary.json rack_storage.energy_balance_rel_error")});
  }
  d.p("Rack energy storage: every figure in this report is of the grid-side power, after the racks' storage.");
  d.table({"figure", "value", "source"}, rr);
}

// The facility battery's effect: summary.json storage and storage.csv (grid vs load).
void battery_section(Doc& d, Ctx& x, const json& st) {
  d.raw("<h3>Effect of the facility battery (campus.storage)</h3>\n");
  auto v = [&](const char* k, int dec, const std::string& unit) {
    const auto n = num(st, k);
    return n ? cnum(fmt(*n, dec) + unit) : c("not in summary.json", "missing");
  };
  const auto limit = num(st, "grid_ramp_limit_mw_per_s");
  const auto up = num(st, "max_grid_ramp_up_mw_per_s"), down = num(st, "max_grid_ramp_down_mw_per_s");
  const auto viol = num(st, "ramp_limit_violations");
  const auto load_ramps = ramp_extremes(*x.facility, x.dt, x.dt);
  std::vector<std::vector<Cell>> r;
  r.push_back({c("Battery"), cnum(fmt(num(st, "power_mw").value_or(0), 3) + " MW / " + fmt(num(st, "energy_mwh").value_or(0), 3) + " MWh"),
               c("summary.json storage power_mw, energy_mwh (inputs)")});
  r.push_back({c("Highest grid power (with the battery)"), v("peak_grid_mw", 3, " MW"),
               c("storage.peak_grid_mw; the load's own peak is summary.json peak_facility_mw" +
                 (num(x.s, "peak_facility_mw") ? " = " + fmt(*num(x.s, "peak_facility_mw"), 3) + " MW" : std::string("")))});
  r.push_back({c("Grid ramp limit"), limit ? cnum(fmt(*limit, 3) + " MW/s") : c("not in summary.json", "missing"),
               c("storage.grid_ramp_limit_mw_per_s (input)")});
  r.push_back({c("Largest grid ramp up / down (with the battery)"),
               up && down ? cnum(fmt(*up, 3) + " / " + fmt(*down, 3) + " MW/s") : c("not in summary.json", "missing"),
               c("between " + interval_label(x.dt) + " intervals; the load's own: " +
                 (load_ramps ? fmt(load_ramps->max_up, 3) + " / " + fmt(load_ramps->max_down, 3) + " MW/s" : std::string("n/a")))});
  const bool over = (limit && ((up && *up > *limit * (1 + 1e-9)) || (down && *down > *limit * (1 + 1e-9)))) || (viol && *viol > 0);
  r.push_back({c("Steps outside the ramp limit"), viol ? Cell{html_escape(fmt(*viol, 0)), over ? "num bad" : "num"} : c("not in summary.json", "missing"),
               c("storage.ramp_limit_violations")});
  r.push_back({c("Grid energy"), v("grid_energy_mwh", 3, " MWh"), c("storage.grid_energy_mwh")});
  r.push_back({c("Battery losses"), v("losses_mwh", 3, " MWh"), c("storage.losses_mwh: the energy the battery costs")});
  r.push_back({c("Charged / discharged"),
               cnum(fmt(num(st, "charged_mwh").value_or(0), 3) + " / " + fmt(num(st, "discharged_mwh").value_or(0), 3) + " MWh"),
               c("storage.charged_mwh, discharged_mwh")});
  r.push_back({c("State of charge, lowest – highest"),
               cnum(fmt(num(st, "soc_min_pct").value_or(0), 1) + " – " + fmt(num(st, "soc_max_pct").value_or(0), 1) + " %"),
               c("storage.soc_min_pct, soc_max_pct")});
  d.table({"figure (the battery's effect)", "value", "source"}, r);
  if (limit) d.p(over ? "The battery does not hold the grid within its ramp limit in this run." : "The battery holds the grid within its ramp limit in this run.",
                 over ? "bad" : "ok");
  const auto* grid = x.rd.storage_column("grid_mw");
  const auto* load = x.rd.storage_column("load_mw");
  if (!grid || !load) {
    d.missing("storage.csv (grid_mw, load_mw) is not in the run folder: no chart of grid vs load.");
    return;
  }
  json spec = chart_base(x, "chart-battery", "timeseries", "Grid power with the battery vs the facility's load (MW)");
  spec["yName"] = "power (MW)";
  spec["clock"] = x.duration >= 3600;
  spec["series"] = json::array();
  const double t0 = x.rd.t0_s;
  for (const auto& [col, label] : std::vector<std::pair<std::string, std::string>>{
           {"load_mw", "load (facility, before the battery)"}, {"grid_mw", "grid (with the battery)"}, {"battery_mw", "battery"}}) {
    const auto* vals = x.rd.storage_column(col);
    if (!vals) continue;
    spec["series"].push_back(envelope_series(label, *vals, t0, x.dt, x.o.display_buckets));
  }
  x.charts.push_back(spec);
  d.chart("chart-battery", 340);
  d.src("storage.csv: load_mw (what the facility draws), grid_mw (what the utility sees), battery_mw, per " + interval_label(x.dt) +
        " interval; drawn per pixel column as the mean (line) within the min..max (band).");
}

// A mitigation variant's figures from a facility_mw series: the highest power, the highest
// 15-minute demand, the largest ramp between output steps, and the share in the critical band.
struct VariantFigures {
  std::optional<double> peak, d15, ramp, share;
};

VariantFigures variant_figures(const std::vector<double>& f, double dt, const ReportOptions& o) {
  VariantFigures v;
  if (!f.empty()) v.peak = *std::max_element(f.begin(), f.end());
  if (samples_per_interval(dt, 900))
    if (const auto p = peak_demand(f, dt, 900)) v.d15 = p->value;
  if (const auto r = ramp_extremes(f, dt, dt)) v.ramp = std::max(r->max_up, r->max_down);
  if (o.band_lo_hz < 0.5 / dt)
    v.share = band_share(welch_psd(f, dt, welch_segment_for(f.size(), dt, o.band_lo_hz)), o.band_lo_hz, std::min(o.band_hi_hz, 0.5 / dt));
  return v;
}

// The mitigation variants side by side; only the one this run simulated has numbers, and the row
// "none" has those of a baseline run when one is given (ReportOptions::baseline).
void mitigation_section(Doc& d, Ctx& x, const UtilityFigures& u) {
  const json& s = x.s;
  const bool tariff_e = u.tariff_e;
  const double year_factor = u.year_factor;
  const double mitigation_mwh = num(s, "mitigation_energy_mwh").value_or(0);
  // Rack energy storage (summary rack_storage): its losses are part of mitigation_energy_mwh.
  const json& rack_st = s.contains("rack_storage") ? s["rack_storage"] : json();
  const bool rack_storage = rack_st.is_object();
  const double rack_storage_mwh = rack_storage ? num(rack_st, "losses_mwh").value_or(0) : 0.0;
  const double smoothing_mwh = mitigation_mwh - rack_storage_mwh;
  const bool smoothing = smoothing_mwh > 1e-12;
  d.h2("mitigation", "Mitigation comparison");
  auto cell = [](const std::optional<double>& v, int dec, const std::string& unit = "") {
    return v ? cnum(fmt(*v, dec) + unit) : c("n/a", "missing");
  };
  auto row = [&](const std::string& label, const std::string& which, const VariantFigures& v, double extra_mwh) {
    std::vector<Cell> r{c(label), c(which), cell(v.peak, 3), cell(v.d15, 3), cell(v.ramp, 3),
                        v.share ? cnum(fmt(*v.share * 100, 1) + " %") : c("n/a", "missing"), cnum(fmt(extra_mwh, 3))};
    if (tariff_e)
      r.push_back(cnum(usd(extra_mwh * year_factor * 1000 * *x.o.energy_usd_per_kwh) + "/yr"));
    else
      r.push_back(c("no tariff given", "missing"));
    return r;
  };
  VariantFigures here;  // this run's, from the figures the page already has
  if (!x.facility->empty()) here.peak = *std::max_element(x.facility->begin(), x.facility->end());
  if (u.d15().peak) here.d15 = u.d15().peak->value;
  if (u.ramps) here.ramp = std::max(u.ramps->max_up, u.ramps->max_down);
  here.share = u.share;
  auto this_run = [&](const std::string& label, double extra_mwh) { return row(label, "yes (this run)", here, extra_mwh); };
  auto absent = [&](const std::string& label, const std::string& why) {
    return std::vector<Cell>{c(label), c(why, "missing"), c("—"), c("—"), c("—"), c("—"), c("—"), c("—")};
  };
  std::vector<std::vector<Cell>> mr;
  const std::vector<double>* base = x.o.baseline ? x.o.baseline->column("facility_mw") : nullptr;
  if ((smoothing || rack_storage) && base)
    mr.push_back(row("none", "baseline run (" + (x.o.baseline->dir.empty() ? std::string("given") : x.o.baseline->dir) + ")",
                     variant_figures(*base, x.o.baseline->dt_s, x.o), 0));
  else if (smoothing || rack_storage)
    mr.push_back(absent("none", std::string("not in this run: run the scenario without ") +
                                    (smoothing && rack_storage ? "jobs[].smoothing and rack_types[].storage"
                                     : smoothing               ? "jobs[].smoothing"
                                                               : "rack_types[].storage") +
                                    " and compare (dctwin report --baseline)"));
  else
    mr.push_back(this_run("none", 0));
  if (smoothing && rack_storage)
    mr.push_back(this_run("GPU power smoothing + rack energy storage (both as configured)", mitigation_mwh));
  else if (smoothing)
    mr.push_back(this_run("GPU power smoothing (floor, ramp limits, as configured)", mitigation_mwh));
  else
    mr.push_back(absent("GPU power smoothing", "not in this run (no job's smoothing added energy): set jobs[].smoothing and run again"));
  if (rack_storage && !smoothing)
    mr.push_back(this_run("rack energy storage (PSU/BBU, grid-side ramp limit, as configured)", rack_storage_mwh));
  else if (!rack_storage)
    mr.push_back(absent("rack energy storage (PSU/BBU)", "not in this run (summary.json rack_storage is null): set rack_types[].storage and run again"));
  const json& st = s.contains("storage") ? s["storage"] : json();
  const bool battery = st.is_object();
  if (!battery)
    mr.push_back(absent("energy storage (battery)", "not in this run (summary.json storage is null): set campus.storage and run again"));
  d.table({"mitigation", "in this run", "highest power at " + interval_label(x.dt) + " (MW)", "highest 15-min demand (MW)",
           "largest ramp at " + interval_label(x.dt) + " (MW/s)",
           "in-band share", "extra energy (MWh, simulated period)", "its yearly cost"},
          mr);
  d.src("Only the variant this run simulated has numbers (and \"none\" those of the baseline run when one is given: "
        "dctwin report --baseline); the others are not estimated. Extra energy: summary.json "
        "mitigation_energy_mwh (GPU energy above demand from smoothing, plus the rack storage's losses, "
        "rack_storage.losses_mwh); its yearly cost extrapolates the simulated period to 8,760 h at the energy tariff." +
        std::string(battery ? " The figures in this table are of the facility's load (facility_mw), before the battery; "
                              "the battery's effect on the grid is below." : ""));
  if (rack_storage) rack_storage_table(d, rack_st);
  if (battery) battery_section(d, x, st);
}

void contingency_section(Doc& d, Ctx& x) {
  const json& s = x.s;
  d.h2("contingency", "Contingency N-1: after the loss of one unit");
  const json cap = capacity_list(s);
  if (cap.empty()) {
    d.missing("summary.json has no capacity[] list: no contingency figures.");
    return;
  }
  std::vector<std::vector<Cell>> cr;
  std::size_t fits = 0, over = 0, spof = 0;
  json cats = json::array(), normal = json::array(), fail = json::array();
  for (const auto& e : cap) {
    const std::string red = str(e, "redundancy", "?");
    const auto fm = num(e, "failover_margin_kw"), m = num(e, "margin_kw");
    std::string status;
    std::string cls;
    if (m && *m < 0) {
      status = "overloaded at peak";
      cls = "bad";
      ++over;
    } else if (red == "N" || !fm) {
      status = "no redundancy (N): a loss drops load";
      cls = "warn";
      ++spof;
    } else if (*fm < 0) {
      status = "overloads";
      cls = "bad";
      ++over;
    } else {
      status = "fits";
      cls = "ok";
      ++fits;
    }
    auto opt = [&](const char* k, int dec) { return number_cell(e, k, dec); };
    cr.push_back({c(str(e, "name", str(e, "element"))), c(str(e, "stage")), c(red),
                  units_cell(e),
                  opt("rating_kw", 0), opt("peak_unit_load_kw", 0), opt("margin_pct", 1), opt("failover_unit_load_kw", 0),
                  opt("failover_margin_pct", 1), c(status, cls)});
    cats.push_back(str(e, "name", str(e, "element")));
    normal.push_back(tenth(num(e, "margin_pct")));
    fail.push_back(tenth(num(e, "failover_margin_pct")));
  }
  std::string headline = std::to_string(fits) + " of " + std::to_string(cap.size()) +
                         " rated element groups still fit after the loss of one unit (feed, transformer, switchgear, UPS, busway, PSU)";
  if (over) headline += "; " + std::to_string(over) + " overload";
  if (spof) headline += "; " + std::to_string(spof) + " have no redundancy";
  d.p(headline + ".", over ? "bad" : "ok");
  for (const auto& e : cap)
    if (const std::string n = str(e, "load_note"); !n.empty()) d.p(str(e, "name", str(e, "element")) + ": " + n + ".");
  d.table({"element", "stage", "redundancy", "units installed / needed x groups", "rating per unit (kW)", "peak load per unit (kW)",
           "margin at peak (%)", "load per unit after losing one (kW)", "margin after losing one (%)", "N-1"},
          cr);
  d.src("summary.json capacity[]: each element group's per-unit load at the run's peak, and after one unit of its group is "
        "lost (N+k: the survivors share the load; 2N: the twin carries double). A negative margin is an overload.");
  margin_chart(d, x, "chart-contingency", "Margin per element at peak and after the loss of one unit (%)", cats,
               json::array({json{{"name", "at peak"}, {"values", normal}}, json{{"name", "after losing one unit"}, {"values", fail}}}),
               std::max(260, 60 * static_cast<int>(cap.size()) + 110));
  const json& ovl = s.contains("overloads") ? s["overloads"] : json::array();
  if (ovl.is_array() && !ovl.empty()) {
    std::vector<std::vector<Cell>> orows;
    for (const auto& o : ovl)
      orows.push_back({c(str(o, "name", str(o, "element"))), c(str(o, "condition")), cnum(fmt(num(o, "load_kw").value_or(0), 0)),
                       cnum(fmt(num(o, "rating_kw").value_or(0), 0)), cnum(fmt(num(o, "margin_kw").value_or(0), 0))});
    d.table({"overloaded element", "condition", "load (kW)", "rating (kW)", "margin (kW)"}, orows);
  }
}

}  // namespace

void utility_report(Doc& d, Ctx& x) {
  const UtilityFigures u = utility_figures(x);
  key_figures_card(d, x, u.d15().peak, u.d15().why);
  nav(d);
  executive_summary(d, x, u);
  demand_section(d, x, u);
  series_section(d, x, u);
  duration_section(d, x);
  ramps_section(d, x);
  steps_section(d, x, u);
  spectrum_section(d, x, u);
  mitigation_section(d, x, u);
  compliance_section(d, x);
  contingency_section(d, x);
  grid_section(d, x);
  flexible_load_section(d, x);
  cost_emissions_section(d, x);
}

}  // namespace dctwin::viz
