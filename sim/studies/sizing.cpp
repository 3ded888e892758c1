#include "sim/studies/sizing.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>

#include "models/thermal/chiller.h"
#include "models/thermal/cooling_tower.h"
#include "models/thermal/dry_cooler.h"
#include "models/thermal/psychrometrics.h"
#include "sim/facility/capacity.h"
#include "sim/plant/plant_design.h"
#include "sim/facility/facility.h"
#include "sim/facility/rating_check.h"
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
  auto needed_of = [&](int installed) {
    return to.kind == Redundancy::Kind::N ? installed : to.kind == Redundancy::Kind::TwoN ? installed / 2 : installed - to.k;
  };
  auto regroup = [&](json& group, const std::string& path, const char* count_key) {
    const auto from = Redundancy::parse(group.value("redundancy", std::string("N")));
    if (!from || !group.contains(count_key) || !group[count_key].is_number_integer()) return;  // the loader reports it
    const int count = group[count_key].get<int>();
    int installed = from->installed(count);
    // Lineups, whose elements may have their own redundancy: the element with the fewest units
    // installed sets N (the others' extra units stay unused).
    std::vector<const char*> own_keys;
    for (const char* e : {"transformer", "switchgear", "ups"})
      if (group.contains(e) && group[e].is_object() && group[e].contains("redundancy")) own_keys.push_back(e);
    if (!own_keys.empty()) {
      installed = std::numeric_limits<int>::max();
      for (const char* e : {"transformer", "switchgear", "ups"}) {
        const bool own = std::find(own_keys.begin(), own_keys.end(), e) != own_keys.end();
        const auto r = own ? Redundancy::parse(group[e].value("redundancy", std::string())) : from;
        if (!r) return;  // the loader reports it
        installed = std::min(installed, r->installed(count));
      }
      for (const char* e : own_keys) group[e].erase("redundancy");
    }
    const int needed = needed_of(installed);
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

// Where a deployed hall or row entry comes from: the site's entry and its instances.
struct Origin {
  std::string path;
  int first = 0, of = 1;
};
struct HallOrigin {
  Origin hall;
  std::vector<Origin> rows;  // of the deployed hall entry, in order
};

// The campus with R racks spread evenly over its rows (see sizing.h), and where each of its hall and
// row entries comes from. Rows left empty and halls without racks are dropped.
struct Deployment {
  json doc;
  std::vector<HallOrigin> origins;
};

Deployment deploy(const Site& site, std::int64_t racks) {
  Deployment out;
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
  auto hall_rows = [&](const json& hall, const std::string& hall_path, std::int64_t plus, std::vector<Origin>& origins) {
    json rows = json::array();
    for (std::size_t i = 0; i < hall["rows"].size(); ++i) {
      const json& row = hall["rows"][i];
      const std::int64_t c = row["count"].get<std::int64_t>();
      const std::int64_t k = std::min(c, plus);
      const std::string path = hall_path + ".rows[" + std::to_string(i) + "]";
      plus -= k;
      if (k > 0) rows.push_back(row_with(row, k, q + 1)), origins.push_back({path, 0, static_cast<int>(c)});
      if (c - k > 0 && q > 0) rows.push_back(row_with(row, c - k, q)), origins.push_back({path, static_cast<int>(k), static_cast<int>(c)});
    }
    return rows;
  };
  for (std::size_t hi = 0; hi < doc["campus"]["halls"].size(); ++hi) {
    const json& hall = doc["campus"]["halls"][hi];
    const std::string hall_path = "$.campus.halls[" + std::to_string(hi) + "]";
    std::int64_t per_hall = 0;
    for (const auto& row : hall["rows"]) per_hall += row["count"].get<std::int64_t>();
    const std::int64_t count = hall["count"].get<std::int64_t>();
    const std::int64_t here = std::min(extra, count * per_hall);
    extra -= here;
    const std::int64_t full = here / per_hall, partial = here % per_hall;
    std::int64_t first = 0;
    auto add = [&](std::int64_t n, std::int64_t plus) {
      if (n <= 0) return;
      json h = hall;
      h["count"] = n;
      HallOrigin o{{hall_path, static_cast<int>(first), static_cast<int>(count)}, {}};
      first += n;
      h["rows"] = hall_rows(hall, hall_path, plus, o.rows);
      if (h["rows"].empty()) return;
      halls.push_back(h);
      out.origins.push_back(std::move(o));
    };
    add(full, per_hall);
    add(partial > 0 ? 1 : 0, partial);
    add(count - full - (partial > 0 ? 1 : 0), 0);
  }
  doc["campus"]["halls"] = halls;
  doc["jobs"] = json::array();
  out.doc = std::move(doc);
  return out;
}

// A deployment's document (or one derived from it, with the same halls) loaded, its hall and row
// entries naming the site's (Element::spec_path and instances name what the user finds in their file).
Scenario load_deployment(const json& doc, const std::vector<HallOrigin>& origins, const Site& site) {
  Scenario sc = load_doc(doc, site);
  for (std::size_t h = 0; h < sc.halls.size() && h < origins.size(); ++h) {
    HallSpec& hs = sc.halls[h];
    const HallOrigin& o = origins[h];
    hs.json_path = o.hall.path, hs.first_instance = o.hall.first, hs.of_instances = o.hall.of;
    for (std::size_t r = 0; r < hs.rows.size() && r < o.rows.size(); ++r) {
      RowSpec& rs = hs.rows[r];
      rs.json_path = o.rows[r].path, rs.first_instance = o.rows[r].first, rs.of_instances = o.rows[r].of;
    }
  }
  return sc;
}

DeploymentLoad nameplate_load(const Site& site, std::int64_t racks) {
  const Deployment dep = deploy(site, racks);
  const Scenario sc = load_deployment(dep.doc, dep.origins, site);
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
  const Deployment dep = deploy(site, racks);
  json doc = dep.doc;
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
    const RunResult r = run_scenario(load_deployment(doc, dep.origins, site));
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
                double load_w, std::optional<double> failover_w, const std::string& note, const std::string& instances = "") {
  const double worst = std::max(load_w, failover_w.value_or(0.0));
  const double util = rating_w > 0 ? worst / rating_w : INFINITY;
  return json{{"name", name},
              {"element", element},
              {"instances", instances.empty() ? json(nullptr) : json(instances)},
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
                                        n ? "N redundancy: no failover path; a unit's loss drops its load" : "", c.instances));
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

// Progress of one search over [from, to] of the whole: evaluations done / (done + an estimate of
// those left: while doubling, the next doubling and a bisection down from hi; then the bisection's).
struct SearchProgress {
  const std::function<void(double)>* report = nullptr;
  double from = 0, to = 1;
  int done = 0;
  double last = 0;
  void step(std::int64_t lo, std::int64_t hi, bool bisecting) {
    ++done;
    if (report == nullptr || !*report) return;
    const double left = (bisecting ? 0.0 : 1.0) + std::ceil(std::log2(static_cast<double>(std::max<std::int64_t>(hi - lo, 1))));
    last = std::max(last, from + (to - from) * done / (done + left));
    (*report)(last);
  }
};

PolicyResult search(const std::function<Evaluation(std::int64_t)>& eval, std::int64_t start, std::int64_t cap,
                    SearchProgress progress) {
  PolicyResult r;
  Evaluation first = eval(1);
  progress.step(1, std::max<std::int64_t>(2, start), false);
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
    progress.step(lo, hi, !e.feasible);
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
    progress.step(e.feasible ? mid : lo, e.feasible ? hi : mid, true);
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
  return worst ? json{{"name", (*worst)["name"]}, {"element", (*worst)["element"]}, {"instances", (*worst)["instances"]},
                      {"condition", (*worst)["condition"]},
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

// How the binding constraint reads in a verdict: "chillers at the design condition (...)",
// "ups $.campus.halls[0].lineups.ups in halls[0] (1 of 5), after one unit is lost".
std::string binding_phrase(const json& b, const std::optional<DesignCondition>& dc) {
  const std::string name = b["name"].get<std::string>();
  if (name == "chillers" || name == "cooling_towers" || name == "dry_coolers")
    return name + " at the design condition" +
           (dc ? " (" + g3(dc->dry_bulb_c) + " C dry bulb, " + g3(dc->wet_bulb_c) + " C wet bulb)" : std::string());
  const std::string cond = b["condition"].get<std::string>();
  const std::string where = b["instances"].is_string() ? b["instances"].get<std::string>() : std::string();
  return name + " " + b["element"].get<std::string>() + (where.empty() ? "" : " in " + where) +
         (cond == "single-element failover" ? (name == "utility" ? ", after one feed is lost" : ", after one unit is lost")
                                             : ", in normal operation");
}

std::string grouped(std::int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return (v < 0 ? "-" : "") + s;
}

}  // namespace

json sizing_verdict(const json& r, std::int64_t racks_installed, std::int64_t gpus_installed,
                    const std::optional<std::string>& binding_text) {
  const std::string policy = r.value("policy", std::string("nameplate"));
  json v{{"policy", policy}, {"racks_installed", racks_installed}, {"gpus_installed", gpus_installed}};
  const json& chosen = r["policies"][policy];
  if (!chosen.value("available", false)) {
    v["status"] = "not_available";
    v["racks_fit"] = nullptr;
    v["binding"] = nullptr;
    v["text"] = "no verdict: the " + policy + " policy could not be evaluated (" + chosen.value("reason", std::string("?")) + ")";
    return v;
  }
  const std::int64_t fit = r["max_racks"].get<std::int64_t>();
  const bool at_limit = r["binding_constraint"].is_null() && fit > 0;
  v["racks_fit"] = fit;
  v["gpus_fit"] = r["max_gpus"];
  v["binding"] = binding_text ? json(*binding_text) : json(nullptr);
  v["at_search_limit"] = at_limit;
  const std::string binding = binding_text ? "; binding: " + *binding_text : std::string();
  const std::string counts = " (" + grouped(racks_installed) + " racks installed, " + grouped(fit) + " fit under the " + policy + " policy)";
  if (fit == 0) {
    v["status"] = "infeasible";
    v["shortfall_racks"] = racks_installed;
    v["text"] = "infeasible: not even one rack fits" + counts + (binding_text ? "; failing with one rack: " + *binding_text : "");
  } else if (fit >= racks_installed) {
    v["status"] = "fits";
    v["headroom_racks"] = fit - racks_installed;
    v["text"] = "fits, " + std::string(at_limit ? "at least " : "") + "+" + grouped(fit - racks_installed) + " racks of headroom" + counts +
                (at_limit ? "; nothing binds within the search limit of " + grouped(r["search_limit_racks"].get<std::int64_t>()) + " racks"
                          : binding);
  } else {
    v["status"] = "short";
    v["shortfall_racks"] = racks_installed - fit;
    v["text"] = "does not fit: " + grouped(racks_installed - fit) + " racks short" + counts + binding;
  }
  return v;
}

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
                                 site.sc.total_racks(), cap, SearchProgress{&o.progress, 0.0, 0.1});
  const PolicyResult sim = search(
      [&](std::int64_t r) {
        const DeploymentLoad n = nameplate_load(site, r);
        return evaluate(site, simulated_load(site, r, o, n), dc);
      },
      std::max<std::int64_t>(np.max_racks, 1), cap, SearchProgress{&o.progress, 0.1, 1.0});
  if (o.progress) o.progress(1.0);
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
  out["warnings"] = to_json(rating_warnings(site.sc));
  const json& b = out["binding_constraint"];
  out["verdict"] = sizing_verdict(out, site.sc.total_racks(), site.sc.total_gpus(),
                                  b.is_object() ? std::optional<std::string>(binding_phrase(b, dc)) : std::nullopt);
  return out;
}

}  // namespace dctwin
