#include "sim/studies/whatif.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "core/atomic_file.h"
#include "core/json_input.h"
#include "sim/facility/facility.h"
#include "sim/input/scenario_loader.h"
#include "sim/input/weather_file.h"
#include "sim/output/results.h"
#include "sim/run.h"
#include "sim/studies/analysis_period.h"
#include "sim/studies/sweep.h"

namespace dctwin {

namespace {

[[noreturn]] void input_error(const std::string& option, const std::string& where, const std::string& expected,
                              const std::string& found) {
  Problems p;
  p.add(option, where, expected, found);
  throw InputError(p);
}

std::vector<WhatifAxis> parse_axes(const std::vector<std::string>& vary) {
  Problems problems;
  std::vector<WhatifAxis> axes;
  for (const auto& v : vary) {
    const auto eq = v.find('=');
    WhatifAxis a;
    if (eq != std::string::npos && eq > 0) {
      a.path = v.substr(0, eq);
      std::string rest = v.substr(eq + 1);
      std::size_t pos = 0;
      bool empty_item = false;
      while (pos <= rest.size()) {
        const auto comma = rest.find(',', pos);
        const std::string item = rest.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        if (!item.empty()) a.values.push_back(item);
        else empty_item = true;  // "1,,2" or a trailing comma: never silently dropped
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      if (empty_item) a.values.clear();
    }
    if (a.path.empty() || a.values.empty())
      problems.add("--vary", v, "key=value1,value2,... (a --set path and one or more non-empty values)", "\"" + v + "\"");
    else
      axes.push_back(a);
  }
  if (!problems.empty()) throw InputError(problems);
  return axes;
}

// UNIT[:COUNT]@WHEN[/DURATION_S] -> a cooling.failures entry.
json parse_failure(const std::string& text, double hottest_offset_s, Problems& problems) {
  const std::string expected = "UNIT[:COUNT]@WHEN[/DURATION_S] (UNIT: chiller, cdu, tower_cell, dry_cooler or crah; WHEN: seconds "
                               "from the start or hottest-hour), e.g. chiller@hottest-hour or cdu:2@3600/1800";
  const auto at = text.find('@');
  if (at == std::string::npos || at == 0) {
    problems.add("--fail", text, expected, "\"" + text + "\"");
    return nullptr;
  }
  std::string unit = text.substr(0, at), when = text.substr(at + 1), dur;
  json f;
  if (const auto colon = unit.find(':'); colon != std::string::npos) {
    f["count"] = json::parse(unit.substr(colon + 1), nullptr, false);
    unit = unit.substr(0, colon);
  }
  if (const auto slash = when.find('/'); slash != std::string::npos) {
    dur = when.substr(slash + 1);
    when = when.substr(0, slash);
  }
  f["unit"] = unit;
  if (when == "hottest-hour") f["at_s"] = hottest_offset_s;
  else f["at_s"] = json::parse(when, nullptr, false);
  if (!dur.empty()) f["duration_s"] = json::parse(dur, nullptr, false);
  // Numbers that did not parse stay "discarded" values: the scenario loader reports them with
  // their JSON path (cooling.failures[i].at_s ...), with the expected range.
  for (const char* k : {"count", "at_s", "duration_s"})
    if (f.contains(k) && f[k].is_discarded()) {
      problems.add("--fail", text, expected, "\"" + text + "\"");
      return nullptr;
    }
  return f;
}

// The period (start day, duration) and the failures, resolved against the scenario's weather.
void add_period_and_failures(WhatifStudy& st, const WhatifOptions& o) {
  LoadOptions probe{st.sets};  // the scenario for its weather; one day so any output step fits
  probe.overrides.push_back("simulation.duration_s=86400");
  const Scenario sc0 = load_scenario(st.scenario_path, probe);
  if (!sc0.cooling) input_error(o.period.empty() ? "--fail" : "--period", "", "a scenario with a \"cooling\" object", "none");
  const weather::EpwWeather* epw = sc0.cooling->weather.epw.get();
  AnalysisPeriod per;
  per.duration_s = sc0.duration_s;
  per.start_day_of_year = static_cast<int>(sc0.cooling->weather.start_day_of_year);
  per.hottest_hour_offset_s =
      resolve_analysis_period("days:" + std::to_string(per.start_day_of_year) + ":1", epw, "--period").hottest_hour_offset_s;
  if (!o.period.empty()) {
    per = resolve_analysis_period(o.period, epw, "--period");
    st.period = per.description;
    st.sets.push_back("simulation.duration_s=" + exact_number(per.duration_s));
    if (epw != nullptr) st.sets.push_back("cooling.weather.start_day_of_year=" + std::to_string(per.start_day_of_year));
  }
  Problems problems;
  json failures = json::array();
  for (const auto& f : o.fail)
    if (json x = parse_failure(f, per.hottest_hour_offset_s, problems); !x.is_null()) failures.push_back(x);
  if (!problems.empty()) throw InputError(problems);
  if (!failures.empty()) st.sets.push_back("cooling.failures=" + failures.dump());
}

double or_nan(const std::optional<double>& v) { return v.value_or(std::nan("")); }

}  // namespace

WhatifStudy prepare_whatif(const WhatifOptions& o) {
  WhatifStudy st;
  st.scenario_path = o.scenario_path;
  st.axes = parse_axes(o.vary);
  if (st.axes.empty() && o.fail.empty() && o.period.empty())
    input_error("--vary", "", "at least one of --vary, --period or --fail", "none");
  st.sets = o.sets;
  if (!o.weather_epw.empty()) {
    // A bad file is reported as the option's ("--weather FILE: line 12: ..."), not as the JSON
    // path the case scenarios get it under.
    try {
      (void)load_epw_file(o.weather_epw);
    } catch (const InputError& e) {
      throw InputError(for_option("--weather", e.problems()));
    }
    st.sets.push_back("cooling.weather=" + json{{"epw_file", std::filesystem::absolute(o.weather_epw).string()}}.dump());
  }
  if (!o.period.empty() || !o.fail.empty()) add_period_and_failures(st, o);
  if (o.duration_s) st.sets.push_back("simulation.duration_s=" + exact_number(*o.duration_s));
  if (o.dt_s) st.sets.push_back("simulation.output_step_s=" + exact_number(*o.dt_s));
  if (o.thermal_step_s) st.sets.push_back("simulation.thermal_step_s=" + exact_number(*o.thermal_step_s));
  std::vector<std::size_t> sizes;
  for (const auto& ax : st.axes) sizes.push_back(ax.values.size());
  st.cases = static_cast<std::size_t>(std::min(grid_combinations(sizes), 1e6));
  return st;
}

void check_whatif_cases(const WhatifStudy& st) {
  if (st.cases > kMaxWhatifCases)
    input_error("--vary", "combinations", "at most " + std::to_string(kMaxWhatifCases) + " combinations", std::to_string(st.cases));
}

double round_step_up(double step_s) {
  double decade = std::pow(10.0, std::floor(std::log10(step_s)));
  for (int i = 0; i < 2; ++i, decade *= 10)
    for (const double m : {1.0, 2.0, 5.0})
      if (m * decade >= step_s * (1 - 1e-12)) return m * decade;
  return 10 * decade;
}

namespace {

LoadOptions case_options(const WhatifStudy& st, std::size_t c) {
  LoadOptions lo{st.sets};
  const std::vector<std::string> values = whatif_case_values(st, c);
  for (std::size_t i = 0; i < st.axes.size(); ++i) lo.overrides.push_back(st.axes[i].path + "=" + values[i]);
  return lo;
}

std::string short_number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

std::string gib_text(double bytes) {
  char b[64];
  std::snprintf(b, sizeof b, "%.3g GiB", bytes / (1024.0 * 1024.0 * 1024.0));
  return b;
}

// The case's scenario. A period too long for its output step (more than kMaxOutputSamples
// intervals) is one problem naming --dt-s with the round step that fits, instead of the loader's.
// The duration and the step are found by loading the case with one of them set to 3600 s (every
// step fits an hour; a one-hour step fits every duration of an hour or more).
Scenario load_case_checking_samples(const WhatifStudy& st, std::size_t c) {
  const LoadOptions lo = case_options(st, c);
  try {
    return load_scenario(st.scenario_path, lo);
  } catch (const InputError& original) {
    LoadOptions hour_step = lo, hour_run = lo;
    hour_step.overrides.push_back("simulation.output_step_s=3600");
    hour_run.overrides.push_back("simulation.duration_s=3600");
    double duration_s = 0, step_s = 0;
    try {
      duration_s = load_scenario(st.scenario_path, hour_step).duration_s;
      step_s = load_scenario(st.scenario_path, hour_run).output_step_s;
    } catch (const InputError&) {
      throw original;  // a problem of its own, not only the step: the case's problems
    }
    if (!(duration_s / step_s > kMaxOutputSamples)) throw;
    input_error("--dt-s", "value",
                "an output step that keeps the " + short_number(duration_s) + " s period within " +
                    short_number(kMaxOutputSamples) + " output intervals: --dt-s " +
                    short_number(round_step_up(duration_s / kMaxOutputSamples)) + " or more",
                short_number(step_s) + " s (the output step: --dt-s, else simulation.output_step_s)");
  }
}

// The case's run memory (estimate_run_memory) against the limit, with the round output step that fits.
void check_case_memory(const Scenario& sc, double limit) {
  if (limit <= 0) limit = available_memory_bytes();
  if (limit <= 0) return;
  const Facility facility(sc);
  std::size_t groups = 0;
  for (std::size_t v = 0; v < facility.vertex_count(); ++v) groups += facility.graph()[v].stage == Stage::Rack;
  const double need = estimate_run_memory(sc, groups).bytes;
  if (need <= limit) return;
  Scenario probe = sc;
  std::string fits = "none up to 3600 s (lengthen simulation.rack_series_step_s with --set, or shorten the period)";
  for (double step = round_step_up(sc.output_step_s * 1.0001); step <= 3600; step = round_step_up(step * 1.0001)) {
    probe.output_step_s = std::min(step, sc.duration_s);
    if (estimate_run_memory(probe, groups).bytes <= limit) {
      fits = "--dt-s " + short_number(probe.output_step_s) + " or more";
      break;
    }
  }
  input_error("--dt-s", "value", "an output step whose run fits in " + gib_text(limit) + ": " + fits,
              short_number(sc.output_step_s) + " s (an estimated " + gib_text(need) + ")");
}

}  // namespace

void validate_whatif_cases(const WhatifStudy& st, double memory_limit_bytes) {
  for (std::size_t c = 0; c < st.cases; ++c) {
    const Scenario sc = load_case_checking_samples(st, c);
    if (c == 0) check_case_memory(sc, memory_limit_bytes);
  }
}

std::vector<std::string> whatif_case_values(const WhatifStudy& st, std::size_t c) {
  std::vector<std::size_t> sizes;
  for (const auto& ax : st.axes) sizes.push_back(ax.values.size());
  const std::vector<std::size_t> at = grid_point_indices(c, sizes);
  std::vector<std::string> values;
  for (std::size_t i = 0; i < st.axes.size(); ++i) values.push_back(st.axes[i].values[at[i]]);
  return values;
}

Scenario load_whatif_case(const WhatifStudy& st, std::size_t c) { return load_scenario(st.scenario_path, case_options(st, c)); }

const std::vector<WhatifColumn>& whatif_columns() {
  using F = const SummaryFigures&;
  static const std::vector<WhatifColumn> columns = {
      {"pue", "PUE", 7, "%7.4f", "%.6f", false, [](F s) { return or_nan(s.pue); }},
      {"wue_l_per_kwh", "WUE L/kWh", 8, "%8.4f", "%.6f", false, [](F s) { return or_nan(s.wue_l_per_kwh); }},
      {"peak_facility_mw", "peak MW", 9, "%9.4g", "%.6f", false, [](F s) { return s.peak_facility_mw; }},
      {"cooling_energy_mwh", "cool MWh", 10, "%10.4g", "%.6f", false, [](F s) { return or_nan(s.cooling_energy_mwh); }},
      {"free_cooling_full_h", "free h", 8, "%8.2f", "%.4f", false, [](F s) { return or_nan(s.free_cooling_full_h); }},
      {"free_cooling_partial_h", "part h", 8, "%8.2f", "%.4f", false, [](F s) { return or_nan(s.free_cooling_partial_h); }},
      {"chiller_hours", "chill h", 8, "%8.2f", "%.4f", false, [](F s) { return or_nan(s.chiller_hours); }},
      {"max_facility_water_c", "FW max", 7, "%7.2f", "%.4f", false, [](F s) { return or_nan(s.max_facility_water_c); }},
      {"max_junction_c", "Tj max", 7, "%7.2f", "%.4f", false, [](F s) { return or_nan(s.max_junction_c); }},
      {"throttled_gpu_hours", "throt GPUh", 9, "%9.3g", "%.6g", false, [](F s) { return or_nan(s.throttled_gpu_hours); }},
      {"alarms", "alarms", 6, "%6.0f", "%.0f", true, [](F s) { return static_cast<double>(s.alarms); }},
      // Failure what-if: time from the first failure to the first alarm after it.
      {"time_to_first_alarm_s", "to alarm s", 9, "%9.0f", "%.3f", false, [](F s) { return or_nan(s.time_to_first_alarm_s); }},
      // With grid.price_carbon_file (models/grid/price_carbon.h).
      {"energy_cost_usd", "cost USD", 10, "%10.4g", "%.6g", false, [](F s) { return or_nan(s.energy_cost_usd); }},
      {"emissions_t_co2", "t CO2", 9, "%9.4g", "%.6g", false, [](F s) { return or_nan(s.emissions_t_co2); }},
  };
  return columns;
}

WhatifRow whatif_row(const WhatifStudy& st, std::size_t c, const SummaryFigures& s) {
  WhatifRow row;
  row.index = c;
  row.values = whatif_case_values(st, c);
  // A path on two axes: the later value is the one applied, and the one shown in both columns.
  for (std::size_t i = 0; i < st.axes.size(); ++i)
    for (std::size_t j = i + 1; j < st.axes.size(); ++j)
      if (st.axes[j].path == st.axes[i].path) row.values[i] = row.values[j];
  for (const auto& col : whatif_columns()) row.figures.push_back(col.figure(s));
  row.plant_failures = s.plant_failures;
  return row;
}

std::vector<WhatifRow> run_whatif(const WhatifStudy& st, const WhatifRunOptions& o) {
  std::vector<WhatifRow> rows(st.cases);
  std::vector<char> done(st.cases, 0);
  std::vector<double> simulated(st.cases, 0.0);  // each case's fraction simulated
  double simulated_sum = 0;
  std::size_t reported = 0;
  std::mutex m;
  run_in_threads(st.cases, std::max(1u, o.threads), [&](std::size_t c) {
    const Scenario sc = load_whatif_case(st, c);
    RunOptions ro;
    if (o.progress)
      ro.progress = [&, c](double f) {
        std::lock_guard<std::mutex> lock(m);
        simulated_sum += f - simulated[c];
        simulated[c] = f;
        o.progress(std::min(1.0, simulated_sum / static_cast<double>(st.cases)));
      };
    const RunResult r = run_scenario(sc, ro);
    WhatifRow row = whatif_row(st, c, read_summary_figures(r.summary));
    if (!o.runs_root.empty()) {
      row.run_dir = "runs/" + std::to_string(c);
      write_results(o.runs_root + "/" + row.run_dir, sc, r);
    }
    std::lock_guard<std::mutex> lock(m);
    rows[c] = std::move(row);
    done[c] = 1;
    for (; reported < st.cases && done[reported]; ++reported)
      if (o.on_row) o.on_row(rows[reported]);
  });
  if (o.progress) o.progress(1.0);  // every case done (the sum of fractions may round below 1)
  return rows;
}

std::string whatif_cell(const char* format, double figure) {
  if (!std::isfinite(figure)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, figure);
  return buf;
}

namespace {
bool runs_kept(const std::vector<WhatifRow>& rows) {
  return std::any_of(rows.begin(), rows.end(), [](const WhatifRow& r) { return !r.run_dir.empty(); });
}
}  // namespace

std::string whatif_table_csv(const WhatifStudy& st, const std::vector<WhatifRow>& rows) {
  // Values as given on the command line (never quoted: they hold no comma).
  std::string csv = "case";
  auto cell = [&csv](const std::string& text) {
    csv += ',';
    csv += text;
  };
  for (const auto& ax : st.axes) cell(ax.path);
  for (const auto& col : whatif_columns()) cell(col.key);
  const bool kept = runs_kept(rows);
  if (kept) cell("run_dir");
  csv += '\n';
  for (const auto& r : rows) {
    csv += std::to_string(r.index);
    for (const auto& v : r.values) cell(v);
    for (std::size_t k = 0; k < whatif_columns().size(); ++k) cell(whatif_cell(whatif_columns()[k].csv_format, r.figures[k]));
    if (kept) cell(r.run_dir);
    csv += '\n';
  }
  return csv;
}

json whatif_table_json(const WhatifStudy& st, const std::vector<WhatifRow>& rows) {
  json cases = json::array();
  for (const auto& r : rows) {
    json row;
    row["case"] = r.index;
    for (std::size_t i = 0; i < st.axes.size(); ++i) row[st.axes[i].path] = override_value(r.values[i]);
    for (std::size_t k = 0; k < whatif_columns().size(); ++k) {
      const double v = r.figures[k];
      row[whatif_columns()[k].key] =
          !std::isfinite(v) ? json(nullptr) : whatif_columns()[k].integer ? json(static_cast<std::size_t>(v)) : json(v);
    }
    if (!r.plant_failures.is_null()) row["plant_failures"] = r.plant_failures;
    if (!r.run_dir.empty()) row["run_dir"] = r.run_dir;
    cases.push_back(row);
  }
  return json{{"cases", cases}, {"period", st.period.empty() ? json(nullptr) : json(st.period)}};
}

void write_whatif_table(const std::string& out_dir, const WhatifStudy& st, const std::vector<WhatifRow>& rows) {
  write_table_files(out_dir, "whatif", whatif_table_csv(st, rows), whatif_table_json(st, rows));
}

}  // namespace dctwin
