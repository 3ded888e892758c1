// dctwin whatif SCENARIO [--vary key=v1,v2,... ...] [--weather FILE.epw] [--period P] [--fail F ...]
//                [--duration-s N] [--set path=value ...] [-o DIR]
// Runs every combination of the varied values (keys are --set paths; values split on commas)
// and prints one row each: PUE, WUE, peak facility MW, cooling energy, free-cooling and chiller
// hours, max facility water and junction temperatures, throttled GPU-hours, alarm count and the
// time from the first plant failure to the first alarm. Writes DIR/whatif.csv and DIR/whatif.json.
// --period picks the weather window (sim/studies/analysis_period.h); --fail UNIT[:COUNT]@WHEN[/DURATION_S]
// takes plant units out of service (WHEN: seconds from the start, or "hottest-hour" of the period).
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/common.h"
#include "sim/studies/analysis_period.h"
#include "sim/run.h"
#include "core/atomic_file.h"

namespace dctwin::cli {

namespace {

struct WhatifArgs {
  ScenarioArgs scenario;
  std::vector<std::string> vary;
  std::string weather;
  std::optional<double> duration_s;
  std::string period;
  std::vector<std::string> fail;
  std::string out = "results/whatif";
};

// --fail UNIT[:COUNT]@WHEN[/DURATION_S] -> a cooling.failures entry.
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

struct Axis {
  std::string key;
  std::vector<std::string> values;
};

std::vector<Axis> parse_axes(const std::vector<std::string>& vary) {
  Problems problems;
  std::vector<Axis> axes;
  for (const auto& v : vary) {
    const auto eq = v.find('=');
    Axis a;
    if (eq != std::string::npos && eq > 0) {
      a.key = v.substr(0, eq);
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
    if (a.key.empty() || a.values.empty())
      problems.add("--vary", v, "key=value1,value2,... (a --set path and one or more non-empty values)", "\"" + v + "\"");
    else
      axes.push_back(a);
  }
  if (!problems.empty()) throw InputError(problems);
  return axes;
}

double num(const json& s, const char* key) { return s.contains(key) && s[key].is_number() ? s[key].get<double>() : std::nan(""); }

int run(const WhatifArgs& a) {
  const std::vector<Axis> axes = parse_axes(a.vary);
  std::vector<std::string> base = a.scenario.sets;
  json weather_obj;
  if (!a.weather.empty()) {
    weather_obj = {{"epw_file", std::filesystem::absolute(a.weather).string()}};
    base.push_back("cooling.weather=" + weather_obj.dump());
  }
  std::string period_text;
  if (!a.period.empty() || !a.fail.empty()) {
    ScenarioArgs probe = a.scenario;  // the scenario for its weather; one day so any output step fits
    probe.sets = base;
    probe.sets.push_back("simulation.duration_s=86400");
    const Scenario sc0 = probe.load();
    if (!sc0.cooling) {
      Problems p;
      p.add(a.period.empty() ? "--fail" : "--period", "", "a scenario with a \"cooling\" object", "none");
      throw InputError(p);
    }
    const weather::EpwWeather* epw = sc0.cooling->weather.epw.get();
    AnalysisPeriod per;
    per.duration_s = sc0.duration_s;
    per.start_day_of_year = static_cast<int>(sc0.cooling->weather.start_day_of_year);
    per.hottest_hour_offset_s = resolve_analysis_period("days:" + std::to_string(per.start_day_of_year) + ":1", epw, "--period").hottest_hour_offset_s;
    if (!a.period.empty()) {
      per = resolve_analysis_period(a.period, epw, "--period");
      period_text = per.description;
      base.push_back("simulation.duration_s=" + exact_number(per.duration_s));
      if (epw != nullptr) base.push_back("cooling.weather.start_day_of_year=" + std::to_string(per.start_day_of_year));
    }
    Problems problems;
    json failures = json::array();
    for (const auto& f : a.fail)
      if (json x = parse_failure(f, per.hottest_hour_offset_s, problems); !x.is_null()) failures.push_back(x);
    if (!problems.empty()) throw InputError(problems);
    if (!failures.empty()) base.push_back("cooling.failures=" + failures.dump());
  }
  if (a.duration_s) base.push_back("simulation.duration_s=" + exact_number(*a.duration_s));
  if (!period_text.empty()) std::printf("period: %s\n", period_text.c_str());
  if (axes.empty() && a.fail.empty() && a.period.empty()) {
    Problems p;
    p.add("--vary", "", "at least one of --vary, --period or --fail", "none");
    throw InputError(p);
  }
  std::size_t cases = 1;
  for (const auto& ax : axes) cases = std::min<std::size_t>(cases * ax.values.size(), 1'000'000);  // no wrap-around

  if (cases > 1000) {
    Problems p;
    p.add("--vary", "combinations", "at most 1000 combinations", std::to_string(cases));
    throw InputError(p);
  }
  create_output_folder(a.out, "output folder (-o)");  // before any case runs
  json rows = json::array();
  std::string csv = "case";
  for (const auto& ax : axes) csv += "," + ax.key;
  csv += ",pue,wue_l_per_kwh,peak_facility_mw,cooling_energy_mwh,free_cooling_full_h,free_cooling_partial_h,chiller_hours,"
         "max_facility_water_c,max_junction_c,throttled_gpu_hours,alarms,time_to_first_alarm_s\n";
  // Every case's scenario is checked before anything runs or prints: a bad value anywhere is
  // reported, with nothing run.
  auto case_args = [&](std::size_t c, json* row) {
    ScenarioArgs sa = a.scenario;
    sa.sets = base;
    std::size_t rem = c;
    std::vector<std::string> chosen(axes.size());
    for (std::size_t i = axes.size(); i-- > 0;) {
      chosen[i] = axes[i].values[rem % axes[i].values.size()];
      rem /= axes[i].values.size();
    }
    for (std::size_t i = 0; i < axes.size(); ++i) {
      sa.sets.push_back(axes[i].key + "=" + chosen[i]);
      if (row) (*row)[axes[i].key] = chosen[i];
    }
    return sa;
  };
  for (std::size_t c = 0; c < cases; ++c) (void)case_args(c, nullptr).load();
  std::printf("%-5s", "case");
  for (const auto& ax : axes) std::printf(" %-22s", ax.key.c_str());
  std::printf(" %7s %8s %9s %10s %8s %8s %8s %7s %7s %9s %6s %9s\n", "PUE", "WUE L/kWh", "peak MW", "cool MWh", "free h", "part h",
              "chill h", "FW max", "Tj max", "throt GPUh", "alarms", "to alarm s");
  for (std::size_t c = 0; c < cases; ++c) {
    json row;
    row["case"] = c;
    const Scenario sc = case_args(c, &row).load();
    std::vector<std::string> chosen;
    for (const auto& ax : axes) chosen.push_back(row[ax.key].get<std::string>());
    const RunResult r = run_scenario(sc);
    const json& s = r.summary;
    const bool cooled = s.value("cooling_modelled", false);
    const double full = cooled ? s["free_cooling_hours"]["full"].get<double>() : std::nan("");
    const double part = cooled ? s["free_cooling_hours"]["partial"].get<double>() : std::nan("");
    const std::size_t alarms = cooled ? s["alarms"].size() : 0;
    row["pue"] = s["pue"];
    row["wue_l_per_kwh"] = cooled ? s["wue_l_per_kwh"] : json(nullptr);
    row["peak_facility_mw"] = s["peak_facility_mw"];
    row["cooling_energy_mwh"] = s["cooling_energy_mwh"];
    row["free_cooling_full_h"] = cooled ? json(full) : json(nullptr);
    row["free_cooling_partial_h"] = cooled ? json(part) : json(nullptr);
    row["chiller_hours"] = cooled ? s["chiller_hours"] : json(nullptr);
    row["max_facility_water_c"] = cooled ? s["max_facility_water_c"] : json(nullptr);
    row["max_junction_c"] = s["max_junction_c"];
    row["throttled_gpu_hours"] = s["throttled_gpu_hours"];
    row["alarms"] = alarms;
    // Failure what-if: time from the first failure to the first alarm after it (null: none).
    json to_alarm = nullptr;
    if (s.contains("plant_failures") && !s["plant_failures"].empty()) to_alarm = s["plant_failures"][0]["time_to_first_alarm_s"];
    row["time_to_first_alarm_s"] = to_alarm;
    if (s.contains("plant_failures")) row["plant_failures"] = s["plant_failures"];
    const double tj = num(s, "max_junction_c"), thr = num(s, "throttled_gpu_hours");
    const double ta = to_alarm.is_number() ? to_alarm.get<double>() : std::nan("");
    rows.push_back(row);
    std::printf("%-5zu", c);
    for (const auto& v : chosen) std::printf(" %-22s", v.c_str());
    std::printf(" %7.4f %8.4f %9.4g %10.4g %8.2f %8.2f %8.2f %7.2f %7.2f %9.3g %6zu %9.0f\n", num(s, "pue"),
                cooled ? num(s, "wue_l_per_kwh") : std::nan(""), num(s, "peak_facility_mw"), num(s, "cooling_energy_mwh"), full, part,
                cooled ? num(s, "chiller_hours") : std::nan(""), cooled ? num(s, "max_facility_water_c") : std::nan(""), tj, thr, alarms, ta);
    char buf[512];
    csv += std::to_string(c);
    for (const auto& v : chosen) csv += "," + v;
    std::snprintf(buf, sizeof buf, ",%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f,%.6g,%zu,%.3f\n", num(s, "pue"),
                  cooled ? num(s, "wue_l_per_kwh") : std::nan(""), num(s, "peak_facility_mw"), num(s, "cooling_energy_mwh"), full, part,
                  cooled ? num(s, "chiller_hours") : std::nan(""), cooled ? num(s, "max_facility_water_c") : std::nan(""), tj, thr, alarms, ta);
    csv += buf;
  }
  write_file_atomic(a.out + "/whatif.csv", csv);
  json doc = {{"cases", rows}, {"period", period_text.empty() ? json(nullptr) : json(period_text)}};
  write_file_atomic(a.out + "/whatif.json", doc.dump(2) + "\n");
  std::printf("wrote %s/whatif.csv and %s/whatif.json\n", a.out.c_str(), a.out.c_str());
  return 0;
}

}  // namespace

Command add_whatif_command(CLI::App& app) {
  auto args = std::make_shared<WhatifArgs>();
  auto* sub = app.add_subcommand("whatif", "Run every combination of varied scenario values and compare cooling figures");
  args->scenario.add_to(sub, true);
  sub->add_option("--vary", args->vary, "key=v1,v2,... (a --set path and its values; repeatable)");
  sub->add_option("--weather", args->weather, "EPW weather file replacing cooling.weather");
  sub->add_option("--period", args->period,
                  "Weather window: year, hottest-day, hottest-week, coldest-day, day:N or days:N:M (sets the start day and duration)");
  sub->add_option("--fail", args->fail,
                  "Plant failure UNIT[:COUNT]@WHEN[/DURATION_S]: UNIT chiller|cdu|tower_cell|dry_cooler|crah, WHEN seconds or "
                  "hottest-hour (repeatable)");
  sub->add_option("--duration-s", args->duration_s, "Simulated seconds (overrides simulation.duration_s)");
  sub->add_option("-o,--out", args->out, "Output folder for whatif.csv and whatif.json");
  return {sub, [args] { return run(*args); }};
}

}  // namespace dctwin::cli
