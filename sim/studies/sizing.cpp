#include "sim/studies/sizing.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>

#include "models/thermal/chiller.h"
#include "models/thermal/cooling_tower.h"
#include "models/thermal/dry_cooler.h"
#include "models/thermal/psychrometrics.h"
#include "sim/facility/capacity.h"
#include "sim/plant/plant_design.h"
#include "sim/facility/facility.h"
#include "core/json_input.h"
#include "sim/run.h"
#include "sim/input/scenario_loader.h"
#include "sim/input/weather_file.h"

namespace dctwin {

std::string gpu_profile_alias(const std::string& name) {
  if (name == "h100") return "h100-sxm";
  if (name == "h200") return "h200-sxm";
  return name;
}

namespace {

constexpr std::int64_t kMaxRacksPerRow = 10'000;  // docs/scenario.md: rows[].racks[].count

// The site condition the plant is checked at.
struct DesignCondition {
  double dry_bulb_c = 0, wet_bulb_c = 0;
  std::string source;
};

// Loads of one deployment under one policy.
struct DeploymentLoad {
  std::vector<CapacityEntry> entries;  // peak_unit_load_w / failover_unit_load_w are the policy's loads
  double meter_w = 0;   // IT + distribution losses at the meter (cooling excluded)
  double it_w = 0;      // IT (rack inputs)
  double heat_w = 0;    // into the cooling plant: IT + busway + UPS losses
  double liquid_heat_w = 0;
  std::int64_t racks = 0, nodes = 0, gpus = 0;
  PowerGraph graph;
  std::string unavailable;  // simulated policy: why it could not be evaluated
};

struct Site {
  json doc;              // the scenario after --set and the options
  std::string file, base_dir;
  Scenario sc;           // doc, loaded (the scenario's own jobs and layout)
  std::int64_t rows = 0; // rows of the whole campus
};

// ---- the site --------------------------------------------------------------------------------

Scenario load_doc(const json& doc, const Site& site) { return load_scenario_text(doc.dump(), site.file, site.base_dir); }

// --redundancy keeps the installed units of every group (the equipment on site) and re-derives N,
// the units needed: N -> all installed, N+k -> installed - k, 2N -> installed / 2 (an odd unit
// left over stays unused). CDUs and CRAHs, counted from the heat, just take the new redundancy.
void set_redundancy(json& doc, const std::string& red, Problems& problems) {
  const Redundancy to = *Redundancy::parse(red);
  auto regroup = [&](json& group, const std::string& path, const char* count_key) {
    const auto from = Redundancy::parse(group.value("redundancy", std::string("N")));
    if (!from || !group.contains(count_key) || !group[count_key].is_number_integer()) return;  // the loader reports it
    const int installed = from->installed(group[count_key].get<int>());
    const int needed = to.kind == Redundancy::Kind::N ? installed : to.kind == Redundancy::Kind::TwoN ? installed / 2 : installed - to.k;
    if (needed < 1) {
      problems.add("--redundancy", path, red + " with the " + std::to_string(installed) + " unit(s) installed there",
                   "it leaves no unit to carry the load (needs at least " +
                       std::to_string(to.kind == Redundancy::Kind::TwoN ? 2 : to.k + 1) + " installed)");
      return;
    }
    group[count_key] = needed;
    group["redundancy"] = red;
  };
  regroup(doc["campus"]["utility"]["feeds"], "$.campus.utility.feeds", "count");
  for (std::size_t h = 0; h < doc["campus"]["halls"].size(); ++h) {
    json& hall = doc["campus"]["halls"][h];
    const std::string hp = "$.campus.halls[" + std::to_string(h) + "]";
    regroup(hall["lineups"], hp + ".lineups", "count");
    for (std::size_t r = 0; r < hall["rows"].size(); ++r)
      regroup(hall["rows"][r]["busway"], hp + ".rows[" + std::to_string(r) + "].busway", "count");
  }
  if (!doc.contains("cooling")) return;
  json& c = doc["cooling"];
  if (c.contains("heat_rejection")) {
    json& hr = c["heat_rejection"];
    if (hr.contains("chillers")) regroup(hr["chillers"], "$.cooling.heat_rejection.chillers", "count");
    if (hr.contains("cooling_towers")) regroup(hr["cooling_towers"], "$.cooling.heat_rejection.cooling_towers", "cells");
    if (hr.contains("dry_coolers")) regroup(hr["dry_coolers"], "$.cooling.heat_rejection.dry_coolers", "count");
  }
  for (const char* k : {"cdu", "air"})
    if (c.contains(k)) c[k]["redundancy"] = red;
}

// --gpu: every node type with GPUs takes the profile; its nameplate_w moves by the change in TDP
// (gpus x (new tdp_w - old tdp_w)), the only part of a server's rating the profile defines.
void set_gpu(Site& site, const std::string& gpu, Problems& problems) {
  std::string name = gpu_profile_alias(gpu);
  const auto& builtins = builtin_profile_names();
  if (std::find(builtins.begin(), builtins.end(), name) == builtins.end()) {
    if (!std::filesystem::is_regular_file(gpu)) {
      problems.add("--gpu", "value", "h100, h200, b200, gb200, gb300, a built-in profile name or a profile JSON file",
                   "\"" + gpu + "\"");
      return;
    }
    const json prof = parse_json(read_text_file(gpu, problems), gpu, problems);
    if (!problems.empty()) return;
    if (!prof.is_object() || !prof.contains("name") || !prof["name"].is_string()) {
      problems.add(gpu, "$.name", "a GPU profile object with its \"name\"", "none");
      return;
    }
    name = prof["name"].get<std::string>();
    if (!site.doc.contains("gpu_profiles")) site.doc["gpu_profiles"] = json::object();
    site.doc["gpu_profiles"][name] = json{{"file", std::filesystem::absolute(gpu).string()}};
  }
  json doc = site.doc;
  for (auto& [k, nt] : doc["node_types"].items())
    if (nt.value("gpus", 0) > 0) nt["gpu"] = name;
  const Scenario with = load_doc(doc, site);
  for (std::size_t i = 0; i < site.sc.node_types.size(); ++i) {
    const NodeType& before = site.sc.node_types[i];
    const NodeType& after = with.node_types[i];
    if (before.server.gpus == 0) continue;
    const double delta = before.server.gpus * (with.profiles[static_cast<std::size_t>(after.profile)].tdp_w -
                                               site.sc.profiles[static_cast<std::size_t>(before.profile)].tdp_w);
    doc["node_types"][before.name]["nameplate_w"] = before.nameplate_w + delta;
  }
  site.doc = doc;
}

Site make_site(const SizingOptions& o) {
  Problems problems;
  Site site;
  std::string text;
  if (o.scenario_path.empty()) {
    site.file = "<embedded default scenarios/mai1-15k-h100.json>";
    site.base_dir = ".";
    text = std::string(default_scenario_text());
  } else {
    site.file = o.scenario_path;
    const std::string dir = std::filesystem::path(o.scenario_path).parent_path().string();
    site.base_dir = dir.empty() ? "." : dir;
    text = read_text_file(o.scenario_path, problems);
  }
  if (problems.empty()) site.doc = parse_json(text, site.file, problems);
  if (problems.empty()) apply_overrides(site.doc, o.sets, problems);
  if (o.utility_mw && !(std::isfinite(*o.utility_mw) && *o.utility_mw > 0 && *o.utility_mw <= 1e5))
    problems.add("--utility-mw", "value", "a utility capacity in MW, > 0 and <= 100000", std::to_string(*o.utility_mw));
  if (!o.redundancy.empty() && !Redundancy::parse(o.redundancy))
    problems.add("--redundancy", "value", "N, N+1 (N+k, k = 1..99) or 2N", "\"" + o.redundancy + "\"");
  if (o.policy != "nameplate" && o.policy != "simulated")
    problems.add("--policy", "value", "nameplate or simulated", "\"" + o.policy + "\"");
  if (!(o.sim_margin_pct >= 0 && o.sim_margin_pct <= 100))
    problems.add("--sim-margin-pct", "value", "a margin in %, 0..100", std::to_string(o.sim_margin_pct));
  if (!(o.sim_duration_s >= 1 && o.sim_duration_s <= 86400))
    problems.add("--sim-duration-s", "value", "1..86400 s", std::to_string(o.sim_duration_s));
  if (!problems.empty()) throw InputError(problems);
  if (!o.redundancy.empty()) set_redundancy(site.doc, o.redundancy, problems);
  if (!problems.empty()) throw InputError(problems);
  if (o.utility_mw) {
    const auto feeds = site.doc["campus"]["utility"]["feeds"].value("count", 1);
    site.doc["campus"]["utility"]["feeds"]["capacity_mw"] = *o.utility_mw / std::max(1, feeds);
  }
  site.sc = load_doc(site.doc, site);  // validates the scenario with the options
  if (!o.gpu.empty()) {
    set_gpu(site, o.gpu, problems);
    if (!problems.empty()) throw InputError(problems);
    site.sc = load_doc(site.doc, site);
  }
  for (const auto& h : site.sc.halls)
    for (const auto& r : h.rows) site.rows += static_cast<std::int64_t>(h.count) * r.count;
  return site;
}

// ---- deployments -------------------------------------------------------------------------------

// The campus with R racks spread evenly over its rows (see sizing.h). Rows left empty and halls
// without racks are dropped.
json deploy(const Site& site, std::int64_t racks) {
  json doc = site.doc;
  const std::int64_t q = racks / site.rows;
  std::int64_t extra = racks % site.rows;  // rows, in order, that get q + 1
  json halls = json::array();
  auto row_with = [](const json& row, std::int64_t count, std::int64_t per_row) {
    json r = row;
    r["count"] = count;
    r["racks"] = json::array({json{{"type", row["racks"][0]["type"]}, {"count", per_row}}});
    return r;
  };
  // Rows of one hall: the first `plus` rows (in order) with q + 1 racks, the rest with q.
  auto hall_rows = [&](const json& hall, std::int64_t plus) {
    json rows = json::array();
    for (const auto& row : hall["rows"]) {
      const std::int64_t c = row["count"].get<std::int64_t>();
      const std::int64_t k = std::min(c, plus);
      plus -= k;
      if (k > 0) rows.push_back(row_with(row, k, q + 1));
      if (c - k > 0 && q > 0) rows.push_back(row_with(row, c - k, q));
    }
    return rows;
  };
  for (const auto& hall : doc["campus"]["halls"]) {
    std::int64_t per_hall = 0;
    for (const auto& row : hall["rows"]) per_hall += row["count"].get<std::int64_t>();
    const std::int64_t count = hall["count"].get<std::int64_t>();
    const std::int64_t here = std::min(extra, count * per_hall);
    extra -= here;
    const std::int64_t full = here / per_hall, partial = here % per_hall;
    auto add = [&](std::int64_t n, std::int64_t plus) {
      if (n <= 0) return;
      json h = hall;
      h["count"] = n;
      h["rows"] = hall_rows(hall, plus);
      if (!h["rows"].empty()) halls.push_back(h);
    };
    add(full, per_hall);
    add(partial > 0 ? 1 : 0, partial);
    add(count - full - (partial > 0 ? 1 : 0), 0);
  }
  doc["campus"]["halls"] = halls;
  doc["jobs"] = json::array();
  return doc;
}


DeploymentLoad nameplate_load(const Site& site, std::int64_t racks) {
  const Scenario sc = load_doc(deploy(site, racks), site);
  const Facility f(sc);
  std::vector<double> unit;
  const FacilityPower p = f.evaluate_nameplate(&unit);
  CapacityTracker t(f);
  t.observe(0, unit);
  DeploymentLoad d;
  d.entries = t.entries();
  d.meter_w = p.utility_w;
  d.it_w = p.it_w;
  d.heat_w = plant_heat_w(p);
  const double capture = sc.cooling ? campus_capture_fraction(sc) : 0.0;
  d.liquid_heat_w = capture * p.it_w;
  d.racks = sc.total_racks(), d.nodes = sc.total_nodes(), d.gpus = sc.total_gpus();
  d.graph = f.graph();
  return d;
}

// The scenario's first job on every GPU of the deployment, run for sim_duration_s without cooling
// or storage (only the electrical peaks are needed); loads x (1 + margin).
DeploymentLoad simulated_load(const Site& site, std::int64_t racks, const SizingOptions& o, const DeploymentLoad& np) {
  DeploymentLoad d;
  d.racks = np.racks, d.nodes = np.nodes, d.gpus = np.gpus;
  const json& jobs = site.doc["jobs"];
  if (!jobs.is_array() || jobs.empty()) {
    d.unavailable = "the scenario has no job to simulate";
    return d;
  }
  json doc = deploy(site, racks);
  json job = jobs[0];
  job["gpus"] = np.gpus;
  job["start_s"] = 0;
  job["stop_s"] = nullptr;
  job.erase("start_ramp_s");
  doc["jobs"] = json::array({job});
  doc.erase("cooling");
  doc["campus"].erase("storage");
  doc["simulation"]["duration_s"] = o.sim_duration_s;
  doc["simulation"]["output_step_s"] = std::min(doc["simulation"]["output_step_s"].get<double>(), o.sim_duration_s);
  try {
    const RunResult r = run_scenario(load_doc(doc, site));
    const double k = 1.0 + o.sim_margin_pct / 100.0;
    d.entries = r.engine.capacity;
    for (auto& c : d.entries) {
      c.peak_unit_load_w *= k;
      if (c.failover_unit_load_w) *c.failover_unit_load_w *= k;
    }
    const double peak_it = r.summary["peak_it_mw"].get<double>() * 1e6;
    d.meter_w = r.summary["peak_facility_mw"].get<double>() * 1e6 * k;
    // Heat at the simulated peak: the IT peak with the in-space loss share of the nameplate point.
    d.it_w = peak_it * k;
    d.heat_w = d.it_w * np.heat_w / std::max(np.it_w, 1e-300);
    d.liquid_heat_w = d.it_w * np.liquid_heat_w / std::max(np.it_w, 1e-300);
    d.graph = np.graph;
  } catch (const InputError& e) {
    d.unavailable = std::string("the workload could not run on this deployment: ") + e.problems().list().front().str();
  }
  return d;
}

// ---- the cooling plant at the design condition --------------------------------------------------

std::optional<DesignCondition> design_condition(const Site& site, const SizingOptions& o) {
  if (!site.sc.cooling) return std::nullopt;
  auto from_file = [](const std::string& path) -> std::optional<DesignCondition> {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (ext == ".ddy" || ext == ".stat") {
      const weather::DesignConditions dc = load_design_conditions_file(path);
      return DesignCondition{dc.cooling_db_004_c, dc.cooling_wb_004_c,
                             "ASHRAE 0.4 % cooling design condition from " + path + " (DB004 for dry coolers, WB004 for towers)"};
    }
    if (ext != ".epw") return std::nullopt;
    const weather::EpwWeather w = load_epw_file(path);
    DesignCondition d{-1e9, -1e9, "EPW extremes of " + path + " (hottest hour, highest wet bulb of the year; no .ddy/.stat beside it)"};
    for (const auto& h : w.hours) {
      d.dry_bulb_c = std::max(d.dry_bulb_c, h.dry_bulb_c);
      d.wet_bulb_c = std::max(d.wet_bulb_c, thermal::wet_bulb_from_dew_point_c(h.dry_bulb_c, std::min(h.dew_point_c, h.dry_bulb_c), h.pressure_pa));
    }
    return d;
  };
  std::string path = o.weather_path;
  if (path.empty() && site.sc.cooling->weather.kind == WeatherSpec::Kind::Epw) path = site.sc.cooling->weather.epw_path;
  if (path.empty()) {
    const auto& dd = site.sc.cooling->weather.design_day;
    return DesignCondition{dd.design_dry_bulb_c, dd.coincident_wet_bulb_c, "the scenario's design day (cooling.weather.design_day)"};
  }
  std::filesystem::path p(path);
  try {
    for (const char* ext : {".ddy", ".stat"}) {  // the station's design conditions beside its EPW
      std::filesystem::path side = p;
      side.replace_extension(ext);
      if (p.extension() == ".epw" && std::filesystem::is_regular_file(side)) return from_file(side.string());
    }
    if (auto d = from_file(path)) return d;
  } catch (const InputError& e) {
    if (o.weather_path.empty()) throw;  // the scenario's own weather file
    throw InputError(for_option("--weather", e.problems()));
  }
  Problems problems;
  problems.add("--weather", "value", "a .epw, .ddy or .stat file", "\"" + path + "\"");
  throw InputError(problems);
}

struct PlantAtDesign {
  PlantDesign design;               // units installed, flows and pump powers for the deployment's heat
  double chiller_capacity_w = 0;    // N duty chillers
  double chiller_power_w = 0;
  double condenser_water_c = 0;     // condenser water (or facility water without chillers) target
  double rejection_capacity_w = 0;  // N duty cells / dry coolers at full fan speed
  double rejection_w = 0;           // heat to reject (heat + chiller power)
  double electric_w = 0;            // chillers + fans + pumps at design (fans at full speed)
};

// Largest heat (W) whose leaving water stays at or below `target_c` (leaving water rises with heat).
double capacity_for(const std::function<double(double)>& leaving_c, double target_c, double design_w) {
  if (leaving_c(0.0) > target_c) return 0.0;
  double lo = 0, hi = std::max(design_w, 1.0);
  while (leaving_c(hi) <= target_c && hi < 1e12) lo = hi, hi *= 2;
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (leaving_c(mid) <= target_c ? lo : hi) = mid;
  }
  return lo;
}

PlantAtDesign plant_at_design(const CoolingSpec& c, const DesignCondition& dc, double heat_w, double liquid_heat_w) {
  PlantAtDesign p;
  p.design = plant_design(c, heat_w, liquid_heat_w);
  const PlantDesign& d = p.design;
  const double facility_water_supply_c = c.facility_water.supply_c;
  p.condenser_water_c = c.chillers ? (c.towers        ? c.towers->leaving_setpoint_c
                                      : c.dry_coolers ? c.dry_coolers->leaving_setpoint_c
                                                      : facility_water_supply_c)
                                   : facility_water_supply_c - (c.economizer.enabled ? c.economizer.hx_approach_k : 0.0);
  p.rejection_w = heat_w;
  if (c.chillers) {
    const auto& ch = *c.chillers;
    p.chiller_capacity_w = ch.count * thermal::chiller_available_capacity_w(ch.params, facility_water_supply_c, p.condenser_water_c);
    const double plr = std::clamp(heat_w / std::max(p.chiller_capacity_w, 1e-300), 0.0, 1.0);
    p.chiller_power_w = heat_w / ch.params.ref_cop * thermal::chiller_eirft(ch.params, facility_water_supply_c, p.condenser_water_c,
                                                                     c.condenser.design_delta_t_k) *
                        thermal::chiller_eirfplr(ch.params, std::max(plr, ch.params.min_unloading_ratio));
    p.rejection_w += p.chiller_power_w;
  }
  if (c.towers) {
    const auto& t = *c.towers;
    const double per_cell = capacity_for([&](double q) {
      return thermal::cooling_tower_leaving_water_c(t.params, q, t.params.design_water_flow_kg_s, dc.wet_bulb_c, 1.0); },
      p.condenser_water_c, t.design_heat_w);
    p.rejection_capacity_w = t.cells * per_cell;
  } else if (c.dry_coolers) {
    const auto& dry = *c.dry_coolers;
    const double per_unit = capacity_for([&](double q) {
      return thermal::dry_cooler_at_speed(dry.params, q, dry.params.design_water_flow_kg_s, dc.dry_bulb_c, 1.0).leaving_water_c; },
      p.condenser_water_c, dry.design_heat_w);
    p.rejection_capacity_w = dry.count * per_unit;
  }
  // Fans at full speed (the towers' when the plant has both), CDU pumps, CRAH fans, then the
  // facility and condenser water pumps; the condenser pumps at the heat-rejection units' design flow.
  p.electric_w += c.towers ? d.tower_fans_w : d.dry_cooler_fans_w;
  p.electric_w += d.cdu_pumps_w;
  p.electric_w += d.crah_fans_w;
  p.electric_w += d.facility_water_pump_w;
  p.electric_w += d.condenser_water_pump_at_units_flow_w;
  p.electric_w += p.chiller_power_w;
  return p;
}

// ---- constraints ---------------------------------------------------------------------------------

std::string g3(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

json constraint(const std::string& name, const std::string& element, const std::string& redundancy, double rating_w,
                double load_w, std::optional<double> failover_w, const std::string& note) {
  const double worst = std::max(load_w, failover_w.value_or(0.0));
  const double util = rating_w > 0 ? worst / rating_w : INFINITY;
  return json{{"name", name},
              {"element", element},
              {"redundancy", redundancy},
              {"rating_kw", rating_w / 1e3},
              {"load_kw", load_w / 1e3},
              {"failover_load_kw", failover_w ? json(*failover_w / 1e3) : json(nullptr)},
              {"utilization_pct", std::isfinite(util) ? json(100 * util) : json(nullptr)},
              {"margin_pct", std::isfinite(util) ? json(100 * (1 - util)) : json(nullptr)},
              {"condition", failover_w && *failover_w >= load_w ? "single-element failover" : "normal"},
              {"ok", util <= 1.0 + 1e-12},
              {"note", note}};
}

struct Evaluation {
  bool feasible = false;
  json constraints = json::array();
  std::optional<PlantAtDesign> plant;
  DeploymentLoad load;
};

Evaluation evaluate(const Site& site, DeploymentLoad load, const std::optional<DesignCondition>& dc) {
  Evaluation ev;
  std::optional<PlantAtDesign> plant;
  if (site.sc.cooling && dc) plant = plant_at_design(*site.sc.cooling, *dc, load.heat_w, load.liquid_heat_w);
  for (const auto& c : load.entries) {
    if (c.stage == Stage::Feed) continue;  // the utility constraint below adds the cooling power
    const bool n = !Redundancy::parse(c.redundancy)->tolerates_single_failure();
    ev.constraints.push_back(constraint(to_string(c.stage), c.element, c.redundancy, c.rating_w, c.peak_unit_load_w,
                                        c.failover_unit_load_w,
                                        n ? "N redundancy: no failover path; a unit's loss drops its load" : ""));
  }
  const FeedSpec& f = site.sc.feeds;
  const double total = load.meter_w + (plant ? plant->electric_w : 0.0);
  const int inst = f.installed();
  ev.constraints.push_back(constraint(
      "utility", "$.campus.utility.feeds", f.redundancy.str(), f.capacity_w, total / inst,
      f.redundancy.tolerates_single_failure() ? std::optional<double>(f.redundancy.failover_share(total, inst)) : std::nullopt,
      std::string("per feed: facility power at the meter") + (plant ? " + cooling plant power at the design condition" : "") +
          (f.redundancy.tolerates_single_failure() ? "" : "; N redundancy: no failover path")));
  if (plant) {
    const CoolingSpec& c = *site.sc.cooling;
    if (c.chillers)
      ev.constraints.push_back(constraint(
          "chillers", "$.cooling.heat_rejection.chillers", c.chillers->redundancy.str(), plant->chiller_capacity_w,
          load.heat_w, std::nullopt,
          "the " + std::to_string(c.chillers->count) + " duty chillers (spares not counted) at CAPFT(" +
              g3(c.facility_water.supply_c) + " C supply, " + g3(plant->condenser_water_c) + " C condenser water)"));
    if (c.towers || c.dry_coolers) {
      const bool towers = c.towers.has_value();
      ev.constraints.push_back(constraint(
          towers ? "cooling_towers" : "dry_coolers",
          towers ? "$.cooling.heat_rejection.cooling_towers" : "$.cooling.heat_rejection.dry_coolers",
          towers ? c.towers->redundancy.str() : c.dry_coolers->redundancy.str(), plant->rejection_capacity_w, plant->rejection_w,
          std::nullopt,
          std::string("the ") + std::to_string(towers ? c.towers->cells : c.dry_coolers->count) +
              (towers ? " duty cells" : " duty dry coolers") + " (spares not counted) at full fan speed, leaving water <= " +
              g3(plant->condenser_water_c) + " C; heat + chiller power"));
    }
  }
  ev.feasible = true;
  for (const auto& c : ev.constraints) ev.feasible = ev.feasible && c["ok"].get<bool>();
  ev.plant = plant;
  ev.load = std::move(load);
  return ev;
}

json bill_of_materials(const Evaluation& ev, const Scenario& sc) {
  std::map<std::string, std::int64_t> units;
  const PowerGraph& g = ev.load.graph;
  for (std::size_t v = 0; v < boost::num_vertices(g); ++v) {
    const Element& e = g[v];
    if (e.rating_w > 0) units[to_string(e.stage)] += e.units();
  }
  auto count = [&](const char* k) { return units.count(k) ? json(units[k]) : json(0); };
  json bom{{"racks", ev.load.racks},
           {"nodes", ev.load.nodes},
           {"gpus", ev.load.gpus},
           {"utility_feeds", count("feed")},
           {"transformers", count("transformer")},
           {"switchgear_lineups", count("switchgear")},
           {"ups_modules", count("ups")},
           {"busways", count("busway")},
           {"pdus", nullptr},
           {"pdus_note", "not modelled: the row distribution element of the model is the busway (one per row, with its redundancy)"},
           {"power_shelves", count("power_shelf")},
           {"node_psus", count("node_psu")}};
  const bool cooled = sc.cooling.has_value();
  // With cooling, a plant without a kind of unit has 0 of it; without cooling the counts are unknown (null).
  const PlantDesign* d = cooled && ev.plant ? &ev.plant->design : nullptr;
  auto plant_units = [&](int PlantDesign::*units) { return d ? json(d->*units) : json(nullptr); };
  bom["cdus"] = plant_units(&PlantDesign::cdus);
  bom["crahs"] = plant_units(&PlantDesign::crahs);
  bom["chillers"] = plant_units(&PlantDesign::chillers);
  bom["cooling_tower_cells"] = plant_units(&PlantDesign::tower_cells);
  bom["dry_coolers"] = plant_units(&PlantDesign::dry_coolers);
  if (!cooled) bom["cooling_note"] = "not modelled: the scenario has no cooling object";
  return bom;
}

// ---- the search ------------------------------------------------------------------------------------

struct PolicyResult {
  std::int64_t max_racks = 0;
  std::optional<Evaluation> at_max, beyond;  // at R, and at R + 1 (names the binding constraint)
  std::string unavailable;
};

PolicyResult search(const std::function<Evaluation(std::int64_t)>& eval, std::int64_t start, std::int64_t cap) {
  PolicyResult r;
  Evaluation first = eval(1);
  if (!first.load.unavailable.empty()) {
    r.unavailable = first.load.unavailable;
    return r;
  }
  if (!first.feasible) {
    r.beyond = std::move(first);
    return r;
  }
  std::int64_t lo = 1, hi = std::min(cap, std::max<std::int64_t>(2, start));
  std::optional<Evaluation> lo_ev = std::move(first), hi_ev;
  if (hi <= lo) {  // the search limit is one rack
    r.max_racks = 1;
    r.at_max = std::move(lo_ev);
    return r;
  }
  while (true) {  // doubling until infeasible
    Evaluation e = eval(hi);
    if (!e.load.unavailable.empty()) {
      r.unavailable = e.load.unavailable;
      return r;
    }
    if (!e.feasible) {
      hi_ev = std::move(e);
      break;
    }
    lo = hi, lo_ev = std::move(e);
    if (hi >= cap) break;
    hi = std::min(cap, hi * 2);
  }
  while (hi_ev && hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    Evaluation e = eval(mid);
    if (!e.load.unavailable.empty()) {
      r.unavailable = e.load.unavailable;
      return r;
    }
    if (e.feasible) lo = mid, lo_ev = std::move(e);
    else hi = mid, hi_ev = std::move(e);
  }
  r.max_racks = lo;
  r.at_max = std::move(lo_ev);
  r.beyond = std::move(hi_ev);
  return r;
}

// The binding constraint: the most utilized of those that fail at R + 1.
json binding(const PolicyResult& r) {
  if (!r.beyond) return nullptr;
  const json* worst = nullptr;
  for (const auto& c : r.beyond->constraints)
    if (!c["ok"].get<bool>() && (!worst || c["utilization_pct"].is_null() ||
                                 (!(*worst)["utilization_pct"].is_null() &&
                                  c["utilization_pct"].get<double>() > (*worst)["utilization_pct"].get<double>())))
      worst = &c;
  return worst ? json{{"name", (*worst)["name"]}, {"element", (*worst)["element"]}, {"condition", (*worst)["condition"]},
                      {"utilization_pct_at_one_more_rack", (*worst)["utilization_pct"]}}
               : json(nullptr);
}

json policy_json(const PolicyResult& r, const Site& site) {
  json j;
  if (!r.unavailable.empty()) {
    j["available"] = false;
    j["reason"] = r.unavailable;
    return j;
  }
  j["available"] = true;
  j["feasible"] = r.max_racks > 0;
  j["max_racks"] = r.max_racks;
  j["max_gpus"] = r.at_max ? r.at_max->load.gpus : 0;
  j["binding_constraint"] = binding(r);
  j["constraints"] = r.at_max ? r.at_max->constraints : (r.beyond ? r.beyond->constraints : json::array());
  if (r.max_racks == 0)
    j["infeasible_reason"] = "not even one rack fits: every constraint marked \"ok\": false below fails with a single rack";
  j["peak_facility_mw"] = r.at_max ? json(r.at_max->load.meter_w / 1e6) : json(nullptr);
  j["heat_to_plant_mw"] = r.at_max ? json(r.at_max->load.heat_w / 1e6) : json(nullptr);
  j["cooling_power_at_design_mw"] = r.at_max && r.at_max->plant ? json(r.at_max->plant->electric_w / 1e6) : json(nullptr);
  j["bill_of_materials"] = r.at_max ? bill_of_materials(*r.at_max, site.sc) : json(nullptr);
  return j;
}

}  // namespace

json size_site(const SizingOptions& o) {
  const Site site = make_site(o);
  const std::optional<DesignCondition> dc = design_condition(site, o);
  std::int64_t gpus_per_rack = 1;  // the most of any rack type, so that no deployment within the limit exceeds kMaxGpus
  for (const auto& rt : site.sc.rack_types) {
    std::int64_t g = 0;
    for (const auto& n : rt.nodes) g += static_cast<std::int64_t>(n.count) * site.sc.node_types[static_cast<std::size_t>(n.node_type)].server.gpus;
    gpus_per_rack = std::max(gpus_per_rack, g);
  }
  // Search limit: the scenario format's GPUs and racks per row (10,000).
  const std::int64_t cap = std::max<std::int64_t>(1, std::min(kMaxGpus / gpus_per_rack, site.rows * kMaxRacksPerRow));
  const PolicyResult np = search([&](std::int64_t r) { return evaluate(site, nameplate_load(site, r), dc); },
                                 site.sc.total_racks(), cap);
  const PolicyResult sim = search(
      [&](std::int64_t r) {
        const DeploymentLoad n = nameplate_load(site, r);
        return evaluate(site, simulated_load(site, r, o, n), dc);
      },
      std::max<std::int64_t>(np.max_racks, 1), cap);
  const PolicyResult& chosen = o.policy == "simulated" ? sim : np;
  json out;
  out["dctwin_version"] = DCTWIN_VERSION;
  out["scenario"] = site.sc.name;
  out["scenario_source"] = site.file;
  out["policy"] = o.policy;
  out["feasible"] = chosen.unavailable.empty() && chosen.max_racks > 0;
  out["max_racks"] = chosen.unavailable.empty() ? json(chosen.max_racks) : json(nullptr);
  out["max_gpus"] = chosen.at_max ? json(chosen.at_max->load.gpus) : (chosen.unavailable.empty() ? json(0) : json(nullptr));
  out["binding_constraint"] = chosen.unavailable.empty() ? binding(chosen) : json(nullptr);
  json pol{{"nameplate", policy_json(np, site)}, {"simulated", policy_json(sim, site)}};
  pol["simulated"]["margin_pct"] = o.sim_margin_pct;
  pol["simulated"]["workload"] = site.doc["jobs"].empty() ? json(nullptr) : site.doc["jobs"][0].value("name", json(nullptr));
  pol["simulated"]["duration_s"] = o.sim_duration_s;
  out["constraints"] = pol[o.policy]["constraints"];
  out["bill_of_materials"] = pol[o.policy].value("bill_of_materials", json(nullptr));
  out["policies"] = pol;
  out["options"] = {{"utility_mw", o.utility_mw ? json(*o.utility_mw) : json(nullptr)},
                    {"gpu", o.gpu.empty() ? json(nullptr) : json(gpu_profile_alias(o.gpu))},
                    {"redundancy", o.redundancy.empty() ? json(nullptr) : json(o.redundancy)},
                    {"weather", o.weather_path.empty() ? json(nullptr) : json(o.weather_path)}};
  out["design_condition"] = dc ? json{{"dry_bulb_c", dc->dry_bulb_c}, {"wet_bulb_c", dc->wet_bulb_c}, {"source", dc->source}}
                               : json(nullptr);
  out["rows"] = site.rows;
  out["search_limit_racks"] = cap;
  out["assumptions"] = json::array(
      {"racks are spread evenly over every row of the scenario, in order (hall, row); each row deploys the rack type of its first slot",
       "floor space (racks per row) is not modelled",
       "nameplate: every node at nameplate_w, rack equipment active; with --gpu, nameplate_w moves by gpus x the change in GPU TDP",
       "simulated: the scenario's first job on every GPU of the deployment (start ramp removed), peak per-unit loads x (1 + margin)",
       "cooling at the design condition: N duty units (spares excluded), fans at full speed, no economizer credit; CDUs and CRAHs are counted from the heat",
       "utility: facility power at the meter plus the cooling plant's electric power at the design condition"});
  if (!site.sc.cooling) out["cooling"] = "not modelled: the scenario has no cooling object; only electrical constraints apply";
  return out;
}

}  // namespace dctwin
