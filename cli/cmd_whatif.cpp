// dctwin whatif SCENARIO --vary key=v1,v2,... [--vary ...] [--weather FILE.epw] [--duration-s N]
//                [--set path=value ...] [-o DIR]
// Runs every combination of the varied values (keys are --set paths; values split on commas)
// and prints one row each: PUE, WUE, peak facility MW, cooling energy, free-cooling and chiller
// hours, max facility water temperature, alarm count. Writes DIR/whatif.csv and DIR/whatif.json.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/common.h"
#include "sim/results.h"

namespace dctwin::cli {

namespace {

struct WhatifArgs {
  ScenarioArgs scenario;
  std::vector<std::string> vary;
  std::string weather;
  std::optional<double> duration_s;
  std::string out = "results/whatif";
};

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
      while (pos <= rest.size()) {
        const auto comma = rest.find(',', pos);
        const std::string item = rest.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        if (!item.empty()) a.values.push_back(item);
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
    }
    if (a.key.empty() || a.values.empty())
      problems.add("--vary", v, "key=value1,value2,... (a --set path and at least one value)", "\"" + v + "\"");
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
  if (a.duration_s) base.push_back("simulation.duration_s=" + exact_number(*a.duration_s));
  if (!a.weather.empty()) {
    const std::string abs = std::filesystem::absolute(a.weather).string();
    json w = {{"epw_file", abs}};
    base.push_back("cooling.weather=" + w.dump());
  }
  std::size_t cases = 1;
  for (const auto& ax : axes) cases *= ax.values.size();
  if (cases > 1000) {
    Problems p;
    p.add("--vary", "combinations", "at most 1000 combinations", std::to_string(cases));
    throw InputError(p);
  }
  json rows = json::array();
  std::string csv = "case";
  for (const auto& ax : axes) csv += "," + ax.key;
  csv += ",pue,wue_l_per_kwh,peak_facility_mw,cooling_energy_mwh,free_cooling_full_h,free_cooling_partial_h,chiller_hours,"
         "max_facility_water_c,alarms\n";
  std::printf("%-5s", "case");
  for (const auto& ax : axes) std::printf(" %-22s", ax.key.c_str());
  std::printf(" %7s %8s %9s %10s %8s %8s %8s %7s %6s\n", "PUE", "WUE L/kWh", "peak MW", "cool MWh", "free h", "part h",
              "chill h", "FW max", "alarms");
  for (std::size_t c = 0; c < cases; ++c) {
    ScenarioArgs sa = a.scenario;
    sa.sets = base;
    json row;
    row["case"] = c;
    std::size_t rem = c;
    std::vector<std::string> chosen;
    for (std::size_t i = axes.size(); i-- > 0;) {
      const auto& ax = axes[i];
      chosen.insert(chosen.begin(), ax.values[rem % ax.values.size()]);
      rem /= ax.values.size();
    }
    for (std::size_t i = 0; i < axes.size(); ++i) {
      sa.sets.push_back(axes[i].key + "=" + chosen[i]);
      row[axes[i].key] = chosen[i];
    }
    const Scenario sc = sa.load();
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
    row["alarms"] = alarms;
    rows.push_back(row);
    std::printf("%-5zu", c);
    for (const auto& v : chosen) std::printf(" %-22s", v.c_str());
    std::printf(" %7.4f %8.4f %9.4g %10.4g %8.2f %8.2f %8.2f %7.2f %6zu\n", num(s, "pue"), cooled ? num(s, "wue_l_per_kwh") : std::nan(""),
                num(s, "peak_facility_mw"), num(s, "cooling_energy_mwh"), full, part, cooled ? num(s, "chiller_hours") : std::nan(""),
                cooled ? num(s, "max_facility_water_c") : std::nan(""), alarms);
    char buf[512];
    csv += std::to_string(c);
    for (const auto& v : chosen) csv += "," + v;
    std::snprintf(buf, sizeof buf, ",%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%.4f,%.4f,%zu\n", num(s, "pue"), cooled ? num(s, "wue_l_per_kwh") : std::nan(""),
                  num(s, "peak_facility_mw"), num(s, "cooling_energy_mwh"), full, part, cooled ? num(s, "chiller_hours") : std::nan(""),
                  cooled ? num(s, "max_facility_water_c") : std::nan(""), alarms);
    csv += buf;
  }
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) throw std::runtime_error(a.out + ": cannot create the output folder: " + ec.message());
  write_file_atomic(a.out + "/whatif.csv", csv);
  write_file_atomic(a.out + "/whatif.json", json{{"cases", rows}}.dump(2) + "\n");
  std::printf("wrote %s/whatif.csv and %s/whatif.json\n", a.out.c_str(), a.out.c_str());
  return 0;
}

}  // namespace

Command add_whatif_command(CLI::App& app) {
  auto args = std::make_shared<WhatifArgs>();
  auto* sub = app.add_subcommand("whatif", "Run every combination of varied scenario values and compare cooling figures");
  args->scenario.add_to(sub, true);
  sub->add_option("--vary", args->vary, "key=v1,v2,... (a --set path and its values; repeatable)")->required();
  sub->add_option("--weather", args->weather, "EPW weather file replacing cooling.weather");
  sub->add_option("--duration-s", args->duration_s, "Simulated seconds (overrides simulation.duration_s)");
  sub->add_option("-o,--out", args->out, "Output folder for whatif.csv and whatif.json");
  return {sub, [args] { return run(*args); }};
}

}  // namespace dctwin::cli
