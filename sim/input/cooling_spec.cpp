#include "sim/input/cooling_spec.h"

#include "models/power/fan_control.h"

#include <cstdio>
#include <filesystem>
#include <limits>

#include "sim/input/scenario.h"
#include "sim/input/weather_file.h"
#include "sim/plant/plant_design.h"

namespace dctwin {

namespace {

constexpr double kMaxW = 1e9;

Redundancy read_red(JsonReader& r) {
  const json* v = r.raw("redundancy");
  const std::string expected = "\"N\", \"N+k\" (k = 1..99) or \"2N\"";
  if (v == nullptr) {
    r.problem("redundancy", expected + " (required)", "nothing (missing key)");
    return {};
  }
  if (v->is_string())
    if (auto red = Redundancy::parse(v->get<std::string>())) return *red;
  r.problem("redundancy", expected, JsonReader::describe(v));
  return {};
}

template <class E>
E read_enum(JsonReader& r, const std::string& key, const std::vector<std::pair<std::string, E>>& options,
            std::string* name) {
  std::vector<std::string> names;
  for (const auto& o : options) names.push_back(o.first);
  const std::string got = r.choice(key, names);
  for (const auto& o : options)
    if (o.first == got) {
      *name = got;
      return o.second;
    }
  return options.front().second;
}

// A figure for a message: `decimals` places, trailing zeros dropped (26.0 -> "26", 2.50 -> "2.5").
std::string num(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string t = buf;
  if (t.find('.') != std::string::npos) {
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
  }
  return t == "-0" ? "0" : t;
}

}  // namespace

const std::vector<std::string>& chiller_curve_sets() {
  static const std::vector<std::string> sets = {"doe2-centrifugal-5.5cop", "mcquay-wsc-471kw"};
  return sets;
}

std::string WeatherSpec::describe() const {
  char buf[256];
  if (kind == Kind::Epw) {
    std::snprintf(buf, sizeof buf, "EPW %s from day %g", epw_path.c_str(), start_day_of_year);
  } else {
    std::snprintf(buf, sizeof buf, "design day %.1f C dry bulb, %.1f K range, %.1f C wet bulb", design_day.design_dry_bulb_c,
                  design_day.daily_range_k, design_day.coincident_wet_bulb_c);
  }
  return buf;
}

std::string WeatherSpec::local_time(double t_s) const {
  if (kind != Kind::Epw || !epw || epw->hours.empty()) return "";
  return weather::epw_local_time(*epw, t_s + (start_day_of_year - 1) * 86400.0);
}

namespace {

// Which parts of the heat the racks send where.
struct HeatPaths {
  bool any_liquid = false, any_air = false;
};

// Heat split per rack type.
HeatPaths read_liquid_capture(JsonReader& c, const Scenario& sc, CoolingSpec& s) {
  JsonReader cap = c.object("liquid_capture");
  s.default_capture_fraction = cap.number("default_fraction", 0, 1);
  s.capture_by_rack_type.assign(sc.rack_types.size(), s.default_capture_fraction);
  if (auto by = cap.optional_object("by_rack_type")) {
    for (std::size_t i = 0; i < sc.rack_types.size(); ++i)
      if (by->has(sc.rack_types[i].name))
        s.capture_by_rack_type[i] = by->number(sc.rack_types[i].name, 0, 1);
    by->finish();  // an unknown rack type name is reported as an unknown key with a hint
  }
  cap.finish();
  HeatPaths h;
  for (double f : s.capture_by_rack_type) {
    h.any_liquid = h.any_liquid || f > 0;
    h.any_air = h.any_air || f < 1;
  }
  if (sc.rack_types.empty()) h.any_air = h.any_liquid = false;
  return h;
}

void read_cdu(JsonReader& c, bool any_liquid, CoolingSpec& s) {
  if (auto cdu = c.optional_object("cdu")) {
    CduSpec d;
    d.design_heat_w = cdu->number("design_heat_kw", 1, 1e5) * 1e3;
    d.tcs_flow_kg_s = cdu->number("tcs_flow_kg_s", 1e-3, 1e5);
    d.fws_flow_kg_s = cdu->number("fws_flow_kg_s", 1e-3, 1e5);
    d.tcs_return_c = cdu->number("tcs_return_c", 0, 100);
    d.fws_supply_c = cdu->number("fws_supply_c", 0, 100);
    d.pump_power_w = cdu->number("pump_power_kw", 0, 1e4) * 1e3;
    d.redundancy = read_red(*cdu);
    const double dt = d.tcs_return_c - d.fws_supply_c;
    const double c_tcs = d.tcs_flow_kg_s * kCduCpJkgK, c_fws = d.fws_flow_kg_s * kCduCpJkgK;
    if (cdu->valid() && d.tcs_return_c <= d.fws_supply_c)
      cdu->problem("tcs_return_c",
                   "more than fws_supply_c (" + num(d.fws_supply_c) + " °C): heat flows from the racks' return to the facility water",
                   num(d.tcs_return_c) + " °C; raise tcs_return_c above " + num(d.fws_supply_c) + " °C or lower fws_supply_c below " +
                       num(d.tcs_return_c) + " °C");
    else if (cdu->valid() && d.design_heat_w >= std::min(c_tcs, c_fws) * dt) {
      // The most a CDU can move at its rating point: the smaller capacity rate times the inlet difference.
      const bool tcs_binds = c_tcs <= c_fws;
      const double flow_needed = d.design_heat_w / (kCduCpJkgK * dt);
      cdu->problem("design_heat_kw",
                   "less than the most one CDU can move at its rating point, min(tcs_flow_kg_s, fws_flow_kg_s) x " +
                       num(kCduCpJkgK, 0) + " J/(kg K) x (tcs_return_c " + num(d.tcs_return_c) + " - fws_supply_c " +
                       num(d.fws_supply_c) + " °C) = " + num(std::min(c_tcs, c_fws) * dt / 1e3) + " kW (" +
                       (tcs_binds ? "tcs_flow_kg_s" : "fws_flow_kg_s") + " binds)",
                   num(d.design_heat_w / 1e3) + " kW; lower design_heat_kw below that, raise " +
                       (c_tcs <= d.design_heat_w / dt && c_fws <= d.design_heat_w / dt ? "tcs_flow_kg_s and fws_flow_kg_s"
                        : tcs_binds                                                  ? "tcs_flow_kg_s"
                                                                                     : "fws_flow_kg_s") +
                       " above " + num(flow_needed, 3) + " kg/s, or widen tcs_return_c - fws_supply_c above " +
                       num(d.design_heat_w / std::min(c_tcs, c_fws)) + " K");
    }
    cdu->finish();
    s.cdu = d;
  } else if (any_liquid) {
    c.problem("cdu", "a \"cdu\" object, since some racks send heat to liquid (liquid_capture > 0)", "nothing (missing key)");
  }
}

// Returns whether supply_c was read (the air side's coil check needs it).
bool read_facility_water(JsonReader& c, CoolingSpec& s) {
  JsonReader fw = c.object("facility_water");
  const std::size_t before = fw.problems().size();
  s.facility_water.supply_c = fw.number("supply_c", 4, 60);
  const bool supply_ok = fw.valid() && fw.problems().size() == before;
  s.facility_water.design_delta_t_k = fw.number("design_delta_t_k", 1, 30);
  s.facility_water.loop_volume_m3 = fw.number("loop_volume_m3", 0.1, 1e5);
  s.facility_water.pump_head_kpa = fw.number("pump_head_kpa", 1, 2000);
  s.facility_water.pump_efficiency = fw.number("pump_efficiency", 0.1, 1);
  s.facility_water.ashrae_class = read_enum<thermal::AshraeLiquidClass>(
      fw, "ashrae_class",
      {{"W17", thermal::AshraeLiquidClass::W17},
       {"W27", thermal::AshraeLiquidClass::W27},
       {"W32", thermal::AshraeLiquidClass::W32},
       {"W40", thermal::AshraeLiquidClass::W40},
       {"W45", thermal::AshraeLiquidClass::W45},
       {"W+", thermal::AshraeLiquidClass::WPlus}},
      &s.facility_water.ashrae_class_name);
  fw.finish();
  return supply_ok;
}

void read_chillers(JsonReader& hr, CoolingSpec& s) {
  if (auto ch = hr.optional_object("chillers")) {
    ChillerSpec x;
    x.count = static_cast<int>(ch->integer("count", 1, 1000));
    x.redundancy = read_red(*ch);
    const double cap_w = ch->number("ref_capacity_kw", 1, 1e5) * 1e3;
    const double cop = ch->number("ref_cop", 1, 20);
    x.curve_set = ch->choice("curve_set", chiller_curve_sets());
    x.stage_plr = ch->optional_number("stage_plr", 0.3, 1.0).value_or(0.9);
    x.params = x.curve_set == "mcquay-wsc-471kw" ? thermal::chiller_mcquay_wsc_471kw() : thermal::chiller_doe2_centrifugal(cap_w);
    x.params.ref_capacity_w = cap_w;
    x.params.ref_cop = cop;
    // Warm leaving water: Carnot scaling above the fitted range (models/thermal/chiller.h).
    x.params.chw_extrapolation_k = ch->optional_number("warm_water_extrapolation_k", 0, 10).value_or(5.0);
    ch->finish();
    s.chillers = x;
  }
}

void read_cooling_towers(JsonReader& hr, CoolingSpec& s) {
  if (auto t = hr.optional_object("cooling_towers")) {
    TowerSpec x;
    x.cells = static_cast<int>(t->integer("cells", 1, 1000));
    x.redundancy = read_red(*t);
    x.design_heat_w = t->number("design_heat_kw_per_cell", 10, 1e5) * 1e3;
    x.params.design_wet_bulb_c = t->number("design_wet_bulb_c", -10, 35);
    x.params.design_approach_k = t->number("design_approach_k", 1.1, 20);
    x.params.design_range_k = t->number("design_range_k", 1.1, 22);
    x.params.design_fan_power_w = t->number("fan_power_kw_per_cell", 0, 1e4) * 1e3;
    x.params.min_air_flow_ratio = t->optional_number("min_air_flow_ratio", 0.05, 1).value_or(0.2);
    x.params.free_convection_fraction = 0.125;
    if (t->valid() && x.params.free_convection_fraction >= x.params.min_air_flow_ratio)
      t->problem("min_air_flow_ratio", "more than the free-convection fraction 0.125 (the fans' lowest speed is above free convection)",
                 num(x.params.min_air_flow_ratio, 3) + "; raise min_air_flow_ratio above 0.125");
    x.params.coefficients = thermal::yorkcalc_coefficients();
    x.params.design_water_flow_kg_s = rejection_unit_water_flow_kg_s(x.design_heat_w, x.params.design_range_k);
    x.leaving_setpoint_c = t->number("leaving_setpoint_c", 5, 40);
    x.water = thermal::tower_water_energyplus_defaults();
    x.water.cycles_of_concentration = t->optional_number("cycles_of_concentration", 1.5, 50).value_or(x.water.cycles_of_concentration);
    // Saturated-exit evaporation needs the air flow; EnergyPlus autosizes it from the fan power.
    x.water.design_air_flow_m3_s = t->optional_number("design_air_flow_m3_s_per_cell", 1, 1e5)
                                       .value_or(thermal::tower_design_air_flow_m3_s(x.params.design_fan_power_w));
    if (t->valid() && x.water.design_air_flow_m3_s <= 0)
      t->problem("design_air_flow_m3_s_per_cell", "given when fan_power_kw_per_cell is 0 (the air flow sets evaporation)", "absent");
    t->finish();
    s.towers = x;
  }
}

// The most one dry cooler can reject at its design temperatures (effectiveness 1): the smaller
// capacity rate, water (design_heat / design_range) or air (air flow x cp), times the inlet
// difference, design_entering_water_c - design_dry_bulb_c.
double dry_cooler_max_heat_w(const DryCoolerSpec& x, double win, double tdb) {
  return std::min(x.params.design_water_flow_kg_s * thermal::kCpWaterJkgK, x.params.design_air_flow_kg_s * thermal::kCpAirJkgK) *
         (win - tdb);
}

std::string dry_cooler_limit_text(const DryCoolerSpec& x, double win, double tdb, double range) {
  const double c_w = x.params.design_water_flow_kg_s * thermal::kCpWaterJkgK, c_a = x.params.design_air_flow_kg_s * thermal::kCpAirJkgK;
  const std::string binds = c_w <= c_a ? "the water flow binds: design_heat_kw / design_range_k " + num(range) + " K"
                                       : "the air flow binds: design_air_flow_kg_s " + num(x.params.design_air_flow_kg_s, 2) +
                                             " kg/s x " + num(thermal::kCpAirJkgK, 0) + " J/(kg K)";
  return "less than the most one dry cooler can reject at its design temperatures, " + num(dry_cooler_max_heat_w(x, win, tdb) / 1e3) +
         " kW (effectiveness 1; the smaller capacity rate x (design_entering_water_c " + num(win) + " - design_dry_bulb_c " + num(tdb) +
         " °C); " + binds + ")";
}

// What to change: for each side whose capacity rate falls short, the value it needs.
std::string dry_cooler_fix_text(const DryCoolerSpec& x, double win, double tdb, double range) {
  const double c_a = x.params.design_air_flow_kg_s * thermal::kCpAirJkgK;
  std::string fix;
  if (range >= win - tdb)  // water side: Q / range x (win - tdb) > Q needs range < win - tdb
    fix = "lower design_range_k below " + num(win - tdb) + " K (design_entering_water_c - design_dry_bulb_c) or raise " +
          "design_entering_water_c above " + num(tdb + range) + " °C";
  if (c_a * (win - tdb) <= x.design_heat_w)
    fix += (fix.empty() ? "" : "; and ") + std::string("raise design_air_flow_kg_s above ") +
           num(x.design_heat_w / (thermal::kCpAirJkgK * (win - tdb)), 2) + " kg/s or design_entering_water_c above " +
           num(tdb + x.design_heat_w / c_a) + " °C";
  return fix + "; or lower design_heat_kw";
}

void read_dry_coolers(JsonReader& hr, CoolingSpec& s) {
  if (auto d = hr.optional_object("dry_coolers")) {
    DryCoolerSpec x;
    x.count = static_cast<int>(d->integer("count", 1, 10000));
    x.redundancy = read_red(*d);
    x.design_heat_w = d->number("design_heat_kw", 1, 1e5) * 1e3;
    const double win = d->number("design_entering_water_c", 10, 80);
    const double tdb = d->number("design_dry_bulb_c", -20, 50);
    const double range = d->number("design_range_k", 1, 30);
    x.params.design_air_flow_kg_s = d->number("design_air_flow_kg_s", 1, 1e5);
    x.params.design_fan_power_w = d->number("fan_power_kw", 0, 1e4) * 1e3;
    x.params.min_fan_speed = d->optional_number("min_fan_speed", 0.05, 1).value_or(0.2);
    x.leaving_setpoint_c = d->number("leaving_setpoint_c", 5, 60);
    x.params.design_water_flow_kg_s = rejection_unit_water_flow_kg_s(x.design_heat_w, range);
    x.params.air_to_water_ha_ratio = 0.5;  // Modelica Buildings defaults (dry_cooler.h)
    x.params.water_exponent = 0.85;
    x.params.air_exponent = 0.8;
    if (d->valid() && win <= tdb)
      d->problem("design_entering_water_c",
                 "more than design_dry_bulb_c (" + num(tdb) + " °C): a dry cooler rejects heat only to cooler air",
                 num(win) + " °C; raise design_entering_water_c above " + num(tdb) + " °C or lower design_dry_bulb_c");
    else if (d->valid() && x.design_heat_w >= dry_cooler_max_heat_w(x, win, tdb))
      d->problem("design_heat_kw", dry_cooler_limit_text(x, win, tdb, range),
                 num(x.design_heat_w / 1e3) + " kW; " + dry_cooler_fix_text(x, win, tdb, range));
    else if (d->valid())
      x.params.ua_design_w_k = thermal::dry_cooler_ua_from_design(x.design_heat_w, win, tdb, x.params.design_water_flow_kg_s,
                                                                  x.params.design_air_flow_kg_s);
    d->finish();
    s.dry_coolers = x;
  }
}

// Chillers, towers / dry coolers, condenser water and the water-side economizer.
void read_heat_rejection(JsonReader& c, CoolingSpec& s) {
  JsonReader hr = c.object("heat_rejection");
  read_chillers(hr, s);
  read_cooling_towers(hr, s);
  read_dry_coolers(hr, s);
  if (hr.valid() && !hr.has("cooling_towers") && !hr.has("dry_coolers"))
    hr.problem("cooling_towers", "\"cooling_towers\" and/or \"dry_coolers\" (the plant must reject heat outdoors)", "neither");
  {
    JsonReader cw = hr.object("condenser_water");
    s.condenser.design_delta_t_k = cw.number("design_delta_t_k", 1, 30);
    s.condenser.pump_head_kpa = cw.number("pump_head_kpa", 1, 2000);
    s.condenser.pump_efficiency = cw.number("pump_efficiency", 0.1, 1);
    cw.finish();
  }
  {
    JsonReader ec = hr.object("economizer");
    const json* en = ec.raw("enabled");
    if (en == nullptr || !en->is_boolean())
      ec.problem("enabled", "true or false", JsonReader::describe(en));
    else
      s.economizer.enabled = en->get<bool>();
    s.economizer.hx_approach_k = ec.number("hx_approach_k", 0, 15);
    ec.finish();
  }
  hr.finish();
  if (c.valid() && hr.valid() && !s.chillers && !s.economizer.enabled)
    hr.problem("chillers", "chillers, or \"economizer\": {\"enabled\": true} (without either nothing cools the facility water)",
               "neither");
}

// The coil cools the supply air with facility water: it cannot reach a set point below the water's
// supply + its approach (models/thermal/air_handler.h). A design error, so a validation problem.
void check_coil_reach(JsonReader& a, const AirSideSpec& x, double water_c) {
  const double reach_c = water_c + x.coil_approach_k;
  if (x.supply_air_c >= reach_c) return;
  std::string fix = "raise supply_air_c to " + num(reach_c) + " °C or more, or lower $.cooling.facility_water.supply_c to " +
                    num(x.supply_air_c - x.coil_approach_k) + " °C or less";
  if (x.supply_air_c > water_c) fix += ", or lower coil_approach_k to " + num(x.supply_air_c - water_c) + " K or less";
  a.problem("supply_air_c",
            "at least facility_water.supply_c + coil_approach_k = " + num(water_c) + " + " + num(x.coil_approach_k) + " = " +
                num(reach_c) + " °C (the coil cannot cool the air below the water feeding it plus its approach)",
            num(x.supply_air_c) + " °C; " + fix);
}

void read_air_side(JsonReader& c, bool any_air, bool water_ok, CoolingSpec& s) {
  if (auto a = c.optional_object("air")) {
    AirSideSpec x;
    const std::size_t before = a->problems().size();
    x.crah_design_heat_w = a->number("crah_design_heat_kw", 1, 1e5) * 1e3;
    x.crah_design_fan_power_w = a->number("crah_fan_power_kw", 0, 1e4) * 1e3;
    x.crah_min_speed = a->optional_number("crah_min_speed", 0.05, 1).value_or(0.3);
    x.crah_time_constant_s = a->optional_number("crah_time_constant_s", 0, 3600).value_or(power::kCrahFanTimeConstantS);
    x.redundancy = read_red(*a);
    x.design_delta_t_k = a->number("design_delta_t_k", 1, 40);
    x.supply_air_c = a->number("supply_air_c", 10, 45);
    x.coil_approach_k = a->number("coil_approach_k", 0, 20);
    if (water_ok && a->valid() && a->problems().size() == before) check_coil_reach(*a, x, s.facility_water.supply_c);
    x.ashrae_class = read_enum<thermal::AshraeAirClass>(*a, "ashrae_class",
                                                        {{"A1", thermal::AshraeAirClass::A1},
                                                         {"A2", thermal::AshraeAirClass::A2},
                                                         {"A3", thermal::AshraeAirClass::A3},
                                                         {"A4", thermal::AshraeAirClass::A4}},
                                                        &x.ashrae_class_name);
    a->finish();
    s.air = x;
  } else if (any_air) {
    c.problem("air", "an \"air\" object, since some racks send heat to air (liquid_capture < 1)", "nothing (missing key)");
  }
}

void read_weather(JsonReader& c, const std::string& base_dir, CoolingSpec& s) {
  JsonReader w = c.object("weather");
  const bool dd = w.has("design_day"), epw = w.has("epw_file");
  if (w.valid() && dd == epw)
    w.problem_here("exactly one of \"design_day\" or \"epw_file\"", dd ? "both" : "neither");
  if (dd) {
    JsonReader d = w.object("design_day");
    const weather::DesignDayParams def = weather::design_day_default();
    s.weather.kind = WeatherSpec::Kind::DesignDay;
    s.weather.design_day.design_dry_bulb_c = d.optional_number("dry_bulb_c", -40, 60).value_or(def.design_dry_bulb_c);
    s.weather.design_day.daily_range_k = d.optional_number("daily_range_k", 0, 30).value_or(def.daily_range_k);
    s.weather.design_day.coincident_wet_bulb_c =
        d.optional_number("wet_bulb_c", -40, 40).value_or(def.coincident_wet_bulb_c);
    s.weather.design_day.wet_bulb_range_k = 0;
    if (d.valid() && s.weather.design_day.coincident_wet_bulb_c > s.weather.design_day.design_dry_bulb_c)
      d.problem("wet_bulb_c", "at most dry_bulb_c (" + num(s.weather.design_day.design_dry_bulb_c) + " °C): air is at most saturated",
                num(s.weather.design_day.coincident_wet_bulb_c) + " °C; lower wet_bulb_c or raise dry_bulb_c");
    d.finish();
  }
  if (epw) {
    s.weather.kind = WeatherSpec::Kind::Epw;
    const std::string rel = w.string("epw_file", 1, 4096);
    std::filesystem::path p(rel);
    if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
    s.weather.epw_path = p.string();
    if (!rel.empty()) {
      try {
        s.weather.epw = std::make_shared<const weather::EpwWeather>(load_epw_file(s.weather.epw_path));
      } catch (const InputError& e) {
        std::string first = e.problems().list().empty() ? "" : e.problems().list().front().str();
        w.problem("epw_file", "a readable EPW weather file (path relative to the scenario file)",
                  "\"" + rel + "\": " + first);
      }
    }
  }
  s.weather.start_day_of_year = w.optional_number("start_day_of_year", 1, 366).value_or(1);
  w.finish();
}

// The GPU profile of a rack type's first node with GPUs (nullptr: the rack holds no GPUs).
const power::GpuProfile* rack_gpu_profile(const Scenario& sc, const RackType& rt) {
  for (const auto& slot : rt.nodes) {
    if (slot.node_type < 0 || slot.node_type >= static_cast<int>(sc.node_types.size())) continue;
    const int p = sc.node_types[static_cast<std::size_t>(slot.node_type)].profile;
    if (p >= 0 && p < static_cast<int>(sc.profiles.size())) return &sc.profiles[static_cast<std::size_t>(p)];
  }
  return nullptr;
}

// GPU junction temperatures. Each of r_th_k_w, tau_s, throttle_c and limit_c, when given, holds for
// every rack type; when absent it comes from the rack type's GPU profile ("thermal": the cold
// plate's R and tau for racks with liquid capture > 0, the air heat sink's otherwise; throttle_c =
// max_operating_c, limit_c = slowdown_c). Rack types without GPUs keep NaN (no cohort runs there).
void read_gpu_thermal(JsonReader& c, const Scenario& sc, CoolingSpec& s) {
  if (auto g = c.optional_object("gpu_thermal")) {
    GpuThermalSpec x;
    auto opt = [&g](const char* key, double lo, double hi) { return g->optional_number(key, lo, hi); };
    const std::optional<double> r = opt("r_th_k_w", 1e-4, 10), tau = opt("tau_s", 0.01, 3600);
    const std::optional<double> thr = opt("throttle_c", 20, 150), lim = opt("limit_c", 20, 150);
    thermal::GpuJunctionParams leak;
    if (auto l = g->optional_object("leakage")) {
      x.leakage = true;
      leak.leakage_ref_c = l->number("reference_c", 0, 150);
      leak.leakage_w_at_ref = l->number("w_at_reference", 0, 5000);
      leak.leakage_doubling_k = l->number("doubling_k", 1, 200);
      l->finish();
    }
    x.dvfs_exponent = g->optional_number("dvfs_exponent", 1, 5).value_or(3);
    x.power_tolerance_w = g->optional_number("power_tolerance_w", 1e-6, 100).value_or(0.5);
    std::vector<std::optional<double>> r_by(sc.rack_types.size());
    if (auto by = g->optional_object("r_th_k_w_by_rack_type")) {
      for (std::size_t i = 0; i < sc.rack_types.size(); ++i)
        if (by->has(sc.rack_types[i].name)) r_by[i] = by->number(sc.rack_types[i].name, 1e-4, 10);
      by->finish();
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    x.by_rack_type.assign(sc.rack_types.size(), leak);
    for (std::size_t i = 0; i < sc.rack_types.size(); ++i) {
      thermal::GpuJunctionParams& p = x.by_rack_type[i];
      const power::GpuProfile* prof = rack_gpu_profile(sc, sc.rack_types[i]);
      const bool liquid = i < s.capture_by_rack_type.size() && s.capture_by_rack_type[i] > 0;
      const power::GpuThermalFigures* f = prof && prof->thermal ? &*prof->thermal : nullptr;
      p.r_th_k_w = r_by[i] ? *r_by[i] : r ? *r : f ? (liquid ? f->cold_plate_r_th_k_w : f->air_r_th_k_w) : nan;
      p.tau_s = tau ? *tau : f ? (liquid ? f->cold_plate_tau_s : f->air_tau_s) : nan;
      p.throttle_c = thr ? *thr : f ? f->max_operating_c : nan;
      p.limit_c = lim ? *lim : f ? f->slowdown_c : nan;
      if (!prof || f || !g->valid()) continue;
      const std::string why = "absent, and rack type \"" + sc.rack_types[i].name + "\"'s GPU profile \"" + prof->name + "\" has no \"thermal\" figures";
      if (!r_by[i] && !r) g->problem("r_th_k_w", "a number (or thermal figures in the GPU profile)", why);
      if (!tau) g->problem("tau_s", "a number (or thermal figures in the GPU profile)", why);
      if (!thr) g->problem("throttle_c", "a number (or thermal figures in the GPU profile)", why);
      if (!lim) g->problem("limit_c", "a number (or thermal figures in the GPU profile)", why);
    }
    for (std::size_t i = 0; i < x.by_rack_type.size() && g->valid(); ++i) {
      const auto& p = x.by_rack_type[i];
      if (p.limit_c < p.throttle_c)  // false with NaN (rack types without GPUs)
        g->problem("limit_c", "at least throttle_c (" + num(p.throttle_c) + " °C) for rack type \"" + sc.rack_types[i].name +
                                  "\": the alarm limit is above the throttle point",
                   num(p.limit_c) + " °C; raise limit_c to " + num(p.throttle_c) + " °C or more, or lower throttle_c");
    }
    g->finish();
    s.gpu_thermal = x;
  }
}

// Plant failures (what-if).
void read_failures(JsonReader& c, CoolingSpec& s) {
  if (c.has("failures")) {
    const std::vector<std::pair<std::string, PlantFailureSpec::Unit>> units = {
        {"chiller", PlantFailureSpec::Unit::Chiller},       {"cdu", PlantFailureSpec::Unit::Cdu},
        {"tower_cell", PlantFailureSpec::Unit::TowerCell}, {"dry_cooler", PlantFailureSpec::Unit::DryCooler},
        {"crah", PlantFailureSpec::Unit::Crah}};
    for (auto& f : c.array_of_objects("failures", 0, 1000)) {
      PlantFailureSpec x;
      x.json_path = f.path();
      x.unit = read_enum<PlantFailureSpec::Unit>(f, "unit", units, &x.unit_name);
      x.count = f.has("count") ? static_cast<int>(f.integer("count", 1, 1000)) : 1;
      x.at_s = f.number("at_s", 0, 1e10);
      x.duration_s = f.optional_number("duration_s", 0, 1e10).value_or(std::numeric_limits<double>::infinity());
      const bool present = (x.unit == PlantFailureSpec::Unit::Chiller && s.chillers) || (x.unit == PlantFailureSpec::Unit::Cdu && s.cdu) ||
                           (x.unit == PlantFailureSpec::Unit::TowerCell && s.towers) ||
                           (x.unit == PlantFailureSpec::Unit::DryCooler && s.dry_coolers) || (x.unit == PlantFailureSpec::Unit::Crah && s.air);
      if (f.valid() && !present && !x.unit_name.empty())
        f.problem("unit", "a kind of unit the plant has", "\"" + x.unit_name + "\" (the scenario's cooling has none)");
      f.finish();
      s.failures.push_back(x);
    }
  }
}

}  // namespace

std::optional<CoolingSpec> read_cooling_spec(JsonReader& root, const Scenario& sc, const std::string& base_dir) {
  auto c = root.optional_object("cooling");
  if (!c) return std::nullopt;
  CoolingSpec s;
  const HeatPaths paths = read_liquid_capture(*c, sc, s);
  read_cdu(*c, paths.any_liquid, s);
  const bool water_ok = read_facility_water(*c, s);
  read_heat_rejection(*c, s);
  read_air_side(*c, paths.any_air, water_ok, s);
  read_weather(*c, base_dir, s);
  read_gpu_thermal(*c, sc, s);
  read_failures(*c, s);
  c->finish();
  return s;
}

}  // namespace dctwin
