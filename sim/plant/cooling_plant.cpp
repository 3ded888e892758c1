#include "sim/plant/cooling_plant.h"
#include "core/units.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/thermal/cdu.h"
#include "models/thermal/economizer.h"
#include "models/thermal/psychrometrics.h"
#include "models/thermal/pump.h"
#include "models/weather/design_day.h"
#include "core/problems.h"

namespace dctwin {

namespace {

constexpr double kCp = thermal::kCpWaterJkgK;
constexpr double kRho = thermal::kRhoWaterKgM3;

struct PlantPoint {
  double load_w = 0;  // heat handed to the plant
  double chiller_w = 0, tower_fan_w = 0, dry_fan_w = 0, water_kg_s = 0, chiller_heat_w = 0;
  double unmet_w = 0;
  int chillers_running = 0;
  bool outside_curve = false;
  bool converged = true;
  thermal::EconomizerMode mode = thermal::EconomizerMode::Off;
  double condenser_c = 0;
};

}  // namespace

struct CoolingPlant::Impl {
  const Scenario& sc;
  CoolingSpec spec;
  Recorder rec;
  CoolingOutcome out;
  // Sizing.
  double capture = 0;      // campus liquid fraction of IT heat
  double m_fw = 0;         // facility water flow, kg/s
  double m_cw = 0;         // condenser water flow, kg/s
  double p_fw_pump = 0, p_cw_pump = 0, p_cdu_pumps = 0;
  int n_cdu = 0, n_crah = 0, n_ch = 0, n_ch_duty = 0, n_cells = 0, n_dc = 0;
  double cdu_eps_cmin_w_k = 0, cdu_tcs_c_w_k = 0;
  thermal::AirHandlerParams crah{};
  double tau_s = 0;
  std::vector<std::pair<Vertex, double>> rack_capture;  // rack group vertex, units x capture fraction
  int failed_ch = 0, failed_cdu = 0, failed_cells = 0, failed_dc = 0, failed_crah = 0;
  double tcs_supply_now = 0, rack_inlet_now = 0;
  CoolingStep last;
  // State.
  bool started = false;
  double t_ret = 0, t_sup = 0, t_ret_start = 0;
  // Plant cache.
  PlantPoint cached;
  bool have_cache = false;
  double cache_t_sup = 0, cache_wb = std::numeric_limits<double>::quiet_NaN(), cache_db = 0;
  double last_cw = std::numeric_limits<double>::quiet_NaN();
  std::int64_t weather_minute = -1;
  double wb = 0, db = 0;
  AlarmTrack fw_alarm, air_alarm, cap_alarm;

  Impl(const Scenario& s, const Facility& facility)
      : sc(s), spec(*s.cooling), rec(to_simtime(s.duration_s), to_simtime(s.output_step_s)) {
    capture = campus_capture_fraction(sc);
    out.capture_fraction = capture;
    const PowerGraph& g = facility.graph();
    for (auto [it, e] = boost::vertices(g); it != e; ++it)
      if (g[*it].stage == Stage::Rack && g[*it].rack_type >= 0)
        rack_capture.emplace_back(*it, static_cast<double>(g[*it].units()) *
                                           spec.capture_by_rack_type[static_cast<std::size_t>(g[*it].rack_type)]);

    const FacilityPower np = facility.evaluate_nameplate();
    const double q_design = np.it_w + np.loss_w[0] + np.loss_w[1];
    out.design_heat_w = q_design;
    m_fw = q_design / (kCp * spec.facility_water.design_delta_t_k);
    out.facility_water_flow_kg_s = m_fw;
    p_fw_pump = thermal::pump_power_w(m_fw / kRho, spec.facility_water.pump_head_kpa * 1e3, spec.facility_water.pump_efficiency);
    tau_s = kRho * spec.facility_water.loop_volume_m3 / m_fw;

    const double q_liq = capture * np.it_w, q_air = q_design - q_liq;
    if (spec.cdu && q_liq > 0) {
      const CduSpec& c = *spec.cdu;
      const int need = static_cast<int>(std::ceil(q_liq / c.design_heat_w - 1e-9));
      n_cdu = c.redundancy.installed(std::max(1, need));
      thermal::CduDesign d{c.design_heat_w, c.tcs_flow_kg_s, c.fws_flow_kg_s, 4180.0, 4180.0, c.tcs_return_c, c.fws_supply_c,
                           c.pump_power_w};
      const thermal::CduParams p = thermal::cdu_from_design(d);
      const thermal::CduResult r = thermal::cdu_solve(p, c.tcs_flow_kg_s, c.fws_flow_kg_s, c.tcs_return_c, c.fws_supply_c);
      cdu_eps_cmin_w_k = r.q_w / (c.tcs_return_c - c.fws_supply_c);
      cdu_tcs_c_w_k = c.tcs_flow_kg_s * 4180.0;
      p_cdu_pumps = n_cdu * thermal::cdu_pump_power_w(p, c.tcs_flow_kg_s);
    }
    if (spec.air && q_air > 0) {
      const AirSideSpec& a = *spec.air;
      const int need = static_cast<int>(std::ceil(q_air / a.crah_design_heat_w - 1e-9));
      n_crah = a.redundancy.installed(std::max(1, need));
      crah = {thermal::air_mass_flow_kg_s(a.crah_design_heat_w, a.design_delta_t_k), a.crah_design_fan_power_w, a.crah_min_speed};
    }
    double cop = 1e30;
    if (spec.chillers) {
      n_ch_duty = spec.chillers->count;
      n_ch = spec.chillers->redundancy.installed(n_ch_duty);
      cop = spec.chillers->params.ref_cop;
    }
    const double q_rej_design = q_design * (1.0 + 1.0 / cop);
    m_cw = q_rej_design / (kCp * spec.condenser.design_delta_t_k);
    out.condenser_water_flow_kg_s = m_cw;
    p_cw_pump = thermal::pump_power_w(m_cw / kRho, spec.condenser.pump_head_kpa * 1e3, spec.condenser.pump_efficiency);
    if (spec.towers) n_cells = spec.towers->redundancy.installed(spec.towers->cells);
    if (spec.dry_coolers) n_dc = spec.dry_coolers->redundancy.installed(spec.dry_coolers->count);
    out.cdus = n_cdu;
    out.crahs = n_crah;
    out.chillers = n_ch;
    out.tower_cells = n_cells;
    out.dry_coolers = n_dc;
    out.weather = spec.weather.describe();
    t_sup = spec.facility_water.supply_c;

    fw_alarm.a = {"facility_water_above_class", "facility water supply (ASHRAE " + spec.facility_water.ashrae_class_name + ")",
                  thermal::ashrae_liquid_class_max_supply_c(spec.facility_water.ashrae_class), 0, 0, 0};
    if (spec.air)
      air_alarm.a = {"rack_inlet_above_class", "data halls, rack inlet air (ASHRAE " + spec.air->ashrae_class_name + ")",
                     thermal::ashrae_allowable_range(spec.air->ashrae_class).high_c, 0, 0, 0};
    cap_alarm.a = {"plant_capacity_exceeded", "heat rejection plant (economizer + chillers)", 0, 0, 0, 0};
    out.facility_supply_limit_c = fw_alarm.a.limit;
    if (spec.air) out.rack_inlet_limit_c = air_alarm.a.limit;

    // Failures may not take out every unit of a kind (nothing would be left to model).
    Problems problems;
    for (const auto& f : spec.failures) {
      int installed = 0;
      switch (f.unit) {
        case PlantFailureSpec::Unit::Chiller: installed = n_ch; break;
        case PlantFailureSpec::Unit::Cdu: installed = n_cdu; break;
        case PlantFailureSpec::Unit::TowerCell: installed = n_cells; break;
        case PlantFailureSpec::Unit::DryCooler: installed = n_dc; break;
        case PlantFailureSpec::Unit::Crah: installed = n_crah; break;
      }
      if (f.count >= installed)
        problems.add(sc.source, f.json_path + ".count",
                     "fewer than the " + std::to_string(installed) + " " + f.unit_name + " units installed", std::to_string(f.count));
    }
    if (!problems.empty()) throw InputError(problems);
    out.failures = spec.failures;
  }

  void apply_failures(double t_s) {
    failed_ch = failed_cdu = failed_cells = failed_dc = failed_crah = 0;
    for (const auto& f : spec.failures) {
      if (t_s < f.at_s || t_s >= f.at_s + f.duration_s) continue;
      switch (f.unit) {
        case PlantFailureSpec::Unit::Chiller: failed_ch += f.count; break;
        case PlantFailureSpec::Unit::Cdu: failed_cdu += f.count; break;
        case PlantFailureSpec::Unit::TowerCell: failed_cells += f.count; break;
        case PlantFailureSpec::Unit::DryCooler: failed_dc += f.count; break;
        case PlantFailureSpec::Unit::Crah: failed_crah += f.count; break;
      }
    }
    // Overlapping failures of one kind never take out more than all but one unit.
    failed_ch = std::min(failed_ch, n_ch - 1);
    failed_cdu = std::min(failed_cdu, std::max(0, n_cdu - 1));
    failed_cells = std::min(failed_cells, std::max(0, n_cells - 1));
    failed_dc = std::min(failed_dc, std::max(0, n_dc - 1));
    failed_crah = std::min(failed_crah, std::max(0, n_crah - 1));
  }

  void sample_weather(double t_s) {
    const auto minute = static_cast<std::int64_t>(std::floor(t_s / 60.0));
    if (minute == weather_minute) return;
    weather_minute = minute;
    const double tm = static_cast<double>(minute) * 60.0;
    if (spec.weather.kind == WeatherSpec::Kind::Epw) {
      const auto c = weather::epw_conditions_at(*spec.weather.epw, tm + (spec.weather.start_day_of_year - 1) * 86400.0);
      db = c.dry_bulb_c;
      wb = thermal::wet_bulb_from_dew_point_c(c.dry_bulb_c, std::min(c.dew_point_c, c.dry_bulb_c), c.pressure_pa);
    } else {
      const auto c = weather::design_day_at(spec.weather.design_day, tm);
      db = c.dry_bulb_c;
      wb = c.wet_bulb_c;
    }
  }

  // Heat rejection outdoors of `heat_w` at setpoint; returns leaving water temperature.
  double reject(double heat_w, double setpoint_c, PlantPoint& pp, bool& use_dry) const {
    use_dry = false;
    if (spec.dry_coolers) {
      const auto& d = *spec.dry_coolers;
      const int n = n_dc - failed_dc;
      const double q = heat_w / n, m = m_cw / n;
      const thermal::DryCoolerPoint p = thermal::dry_cooler_operate(d.params, q, m, db, setpoint_c);
      if (p.setpoint_met || !spec.towers) {
        use_dry = true;
        pp.dry_fan_w = p.fan_power_w * n;
        pp.tower_fan_w = 0;
        pp.water_kg_s = 0;
        return p.leaving_water_c;
      }
    }
    const auto& t = *spec.towers;
    const int n = n_cells - failed_cells;
    const double q = heat_w / n, m = m_cw / n;
    const thermal::CoolingTowerPoint p = thermal::cooling_tower_operate(t.params, q, m, wb, setpoint_c);
    pp.tower_fan_w = p.fan_power_w * n;
    pp.dry_fan_w = 0;
    const thermal::TowerWater w = thermal::cooling_tower_water(t.water, q, m, p.range_k, p.air_flow_ratio);
    pp.water_kg_s = w.makeup_kg_s * n;
    return heat_w > 0 ? p.leaving_water_c : wb;
  }

  PlantPoint solve_plant(double load_w, double t_ret_avg) {
    PlantPoint pp;
    pp.load_w = load_w;
    if (load_w <= 0) return pp;
    const double hx = spec.economizer.hx_approach_k;
    double chiller_sp = spec.towers ? spec.towers->leaving_setpoint_c : spec.dry_coolers->leaving_setpoint_c;
    const double setpoint = spec.economizer.enabled ? std::min(chiller_sp, t_sup - hx) : chiller_sp;
    double t_cw = std::isnan(last_cw) ? wb + 4.0 : last_cw;
    pp.converged = false;
    for (int it = 0; it < 12; ++it) {
      double chiller_load = load_w, free_w = 0;
      pp.mode = thermal::EconomizerMode::Off;
      if (spec.economizer.enabled && t_ret_avg > t_sup) {
        const thermal::EconomizerPoint e = thermal::waterside_economizer(load_w, t_ret_avg, t_sup, t_cw, hx);
        chiller_load = e.chiller_load_w;
        free_w = e.free_load_w;
        pp.mode = e.mode;
      }
      pp.chiller_w = pp.chiller_heat_w = pp.unmet_w = 0;
      pp.chillers_running = 0;
      pp.outside_curve = false;
      double cond_heat = 0;
      if (chiller_load > 0) {
        if (spec.chillers) {
          const auto& c = *spec.chillers;
          // Curves evaluated at the nearest edge of their fitted range (EnergyPlus practice); the
          // hours this happens are reported (chiller_hours_outside_curve_range), never hidden.
          const double x = std::clamp(t_sup, c.params.chw_leaving_min_c, c.params.chw_leaving_max_c);
          const double y = std::clamp(t_cw, c.params.cond_entering_min_c, c.params.cond_entering_max_c);
          const thermal::ChillerStaging st = thermal::chiller_plant_stage(c.params, n_ch_duty, n_ch - n_ch_duty, failed_ch, c.stage_plr,
                                                                          chiller_load, x, y);
          pp.chiller_w = st.total_power_w;
          pp.chillers_running = st.running;
          pp.unmet_w = st.total_unmet_w;
          pp.chiller_heat_w = chiller_load - st.total_unmet_w;
          cond_heat = st.total_condenser_heat_w;
          pp.outside_curve = x != t_sup || y != t_cw;
        } else {
          pp.unmet_w = chiller_load;
        }
      }
      bool use_dry = false;
      const double t_new = reject(free_w + cond_heat, setpoint, pp, use_dry);
      pp.condenser_c = t_new;
      if (std::abs(t_new - t_cw) < 1e-3) {
        pp.converged = true;
        break;
      }
      t_cw = t_new;
    }
    last_cw = pp.condenser_c;
    return pp;
  }

  void advance(SimTime t0, SimTime t1, const ProcessInput& in) {
    const FacilityPower& p = in.power;
    const double dt = to_seconds(t1 - t0);
    const double ts0 = to_seconds(t0), ts1 = to_seconds(t1);
    const double q_in = p.it_w + p.loss_w[0] + p.loss_w[1];
    double q_liq = 0;
    for (const auto& [v, w] : rack_capture) q_liq += w * in.unit_load_w[v];
    q_liq = std::min(q_liq, p.it_w);
    const double q_air = q_in - q_liq;
    const int ch_before = failed_ch, cells_before = failed_cells, dc_before = failed_dc;
    apply_failures(ts0);
    const bool plant_changed = ch_before != failed_ch || cells_before != failed_cells || dc_before != failed_dc;
    if (!started) {
      started = true;
      t_ret = t_sup + q_in / (m_fw * kCp);  // steady state at the initial load
      t_ret_start = t_ret;
      out.max_facility_supply_c = t_sup;
      out.max_facility_return_c = t_ret;
    }
    // Facility water loop: exact exponential of the mixed volume over the step.
    const double t_in = t_sup + q_in / (m_fw * kCp);
    const double a = std::exp(-dt / tau_s);
    const double t_ret1 = t_in + (t_ret - t_in) * a;
    const double integral_k_s = (t_in - t_sup) * dt - (t_in - t_ret) * tau_s * (1.0 - a);  // ∫(T_ret - T_sup) dt
    const double heat_j = m_fw * kCp * integral_k_s;
    const double load_w = heat_j / dt;
    const double t_ret_avg = t_sup + integral_k_s / dt;
    out.heat_absorbed_j += q_in * dt;
    out.heat_to_plant_j += heat_j;
    out.liquid_heat_j += q_liq * dt;
    out.air_heat_j += q_air * dt;

    sample_weather(ts0);
    const bool resolve = !have_cache || plant_changed || wb != cache_wb || db != cache_db || t_sup != cache_t_sup ||
                         std::abs(load_w - cached.load_w) > 1e-3 * std::max(cached.load_w, 1.0);
    if (resolve) {
      cached = solve_plant(load_w, t_ret_avg);
      have_cache = true;
      cache_wb = wb;
      cache_db = db;
      cache_t_sup = t_sup;
      if (!cached.converged) out.unconverged_solves += 1;
    }
    const double scale = cached.load_w > 0 ? load_w / cached.load_w : 0.0;
    const double chiller_w = cached.chiller_w * scale, tower_w = cached.tower_fan_w * scale, dry_w = cached.dry_fan_w * scale;
    const double water = cached.water_kg_s * scale;
    const double unmet = cached.unmet_w * scale;
    const bool any_heat = q_in > 0;
    const double pumps = any_heat ? p_fw_pump + p_cw_pump : 0.0;
    const double cdu_pumps = any_heat ? p_cdu_pumps : 0.0;
    double crah_w = 0;
    if (n_crah > 0 && q_air > 0) {
      const int n = n_crah - failed_crah;
      crah_w = n * thermal::air_handler_operate(crah, q_air / n, spec.air->design_delta_t_k).fan_power_w;
    }
    const double power = chiller_w + tower_w + dry_w + pumps + cdu_pumps + crah_w;

    out.energy_j += power * dt;
    out.chiller_j += chiller_w * dt;
    out.tower_fan_j += tower_w * dt;
    out.dry_cooler_fan_j += dry_w * dt;
    out.pump_j += pumps * dt;
    out.cdu_pump_j += cdu_pumps * dt;
    out.crah_fan_j += crah_w * dt;
    out.water_kg += water * dt;
    out.rejected_outdoors_j += heat_j + chiller_w * dt;
    last = CoolingStep{};
    last.outdoor_dry_bulb_c = db;
    last.outdoor_wet_bulb_c = wb;
    last.water_kg = water * dt;
    if (cached.load_w > 0) {
      if (cached.mode == thermal::EconomizerMode::Full) out.free_full_s += dt, last.free_full_s = dt;
      if (cached.mode == thermal::EconomizerMode::Partial) out.free_partial_s += dt, last.free_partial_s = dt;
      if (cached.chillers_running > 0) out.chiller_s += dt, last.chiller_on_s = dt;
      if (cached.chillers_running > 0 && cached.outside_curve) out.chiller_outside_curve_s += dt;
      last.chillers_running = cached.chillers_running;
    }
    if (tower_w > 0) out.tower_fan_s += dt, last.tower_fans_on_s = dt;
    if (dry_w > 0) out.dry_cooler_fan_s += dt, last.dry_cooler_fans_on_s = dt;

    PowerRow row{};
    row[kCooling] = power;
    row[kUtility] = p.utility_w + power;
    rec.add(t0, t1, row, ItBreakdown{});

    // Temperatures and alarms.
    double tcs_sup = t_sup;
    if (n_cdu > 0 && q_liq > 0) {
      const double q = q_liq / (n_cdu - failed_cdu);
      tcs_sup = t_sup + q / cdu_eps_cmin_w_k - q / cdu_tcs_c_w_k;
      out.max_tcs_supply_c = std::max(out.max_tcs_supply_c, tcs_sup);
    }
    tcs_supply_now = tcs_sup;
    if (n_cdu > 0) last.tcs_supply_c = tcs_sup;
    last.facility_supply_c = t_sup;
    last.facility_return_max_c = std::max(t_ret, t_ret1);
    out.max_facility_supply_c = std::max(out.max_facility_supply_c, t_sup);
    out.max_facility_return_c = std::max(out.max_facility_return_c, last.facility_return_max_c);
    fw_alarm.update(t_sup > fw_alarm.a.limit, t_sup, ts0, ts1, out.alarms);
    if (spec.air && n_crah > 0) {
      const double inlet = std::max(spec.air->supply_air_c, t_sup + spec.air->coil_approach_k);
      rack_inlet_now = inlet;
      last.rack_inlet_c = inlet;
      out.max_rack_inlet_c = std::max(out.max_rack_inlet_c, inlet);
      air_alarm.update(inlet > air_alarm.a.limit, inlet, ts0, ts1, out.alarms);
    }
    cap_alarm.update(unmet > 1e-6 * std::max(load_w, 1.0), unmet, ts0, ts1, out.alarms);

    // Next step: unmet heat raises the supply temperature (one-step lag); otherwise back to setpoint.
    t_ret = t_ret1;
    if (unmet > 1e-6 * std::max(load_w, 1.0))
      t_sup = std::min(t_ret, t_sup + unmet / (m_fw * kCp));
    else
      t_sup = spec.facility_water.supply_c;
  }

  CoolingOutcome finish() {
    fw_alarm.close(out.alarms);
    air_alarm.close(out.alarms);
    cap_alarm.close(out.alarms);
    std::sort(out.alarms.begin(), out.alarms.end(), [](const CoolingAlarm& x, const CoolingAlarm& y) {
      return x.start_s != y.start_s ? x.start_s < y.start_s : x.kind < y.kind;
    });
    out.stored_j = kRho * spec.facility_water.loop_volume_m3 * kCp * (t_ret - t_ret_start);
    const double lhs = out.heat_absorbed_j, rhs = out.heat_to_plant_j + out.stored_j;
    out.heat_balance_rel_error = std::abs(lhs - rhs) / std::max({std::abs(lhs), std::abs(rhs), 1e-300});
    return out;
  }
};

CoolingPlant::CoolingPlant(const Scenario& sc, const Facility& facility) : impl_(std::make_unique<Impl>(sc, facility)) {}
CoolingPlant::~CoolingPlant() = default;
void CoolingPlant::advance(SimTime t0, SimTime t1, const ProcessInput& in) { impl_->advance(t0, t1, in); }
double CoolingPlant::gpu_coolant_c(bool liquid) const { return liquid ? impl_->tcs_supply_now : impl_->rack_inlet_now; }
const Recorder& CoolingPlant::recorder() const { return impl_->rec; }
const CoolingStep& CoolingPlant::last_step() const { return impl_->last; }
bool CoolingPlant::has_cdus() const { return impl_->n_cdu > 0; }
bool CoolingPlant::has_towers() const { return impl_->n_cells > 0; }
bool CoolingPlant::has_dry_coolers() const { return impl_->n_dc > 0; }
bool CoolingPlant::has_air_side() const { return impl_->spec.air && impl_->n_crah > 0; }
CoolingOutcome CoolingPlant::finish() { return impl_->finish(); }


namespace {
// The lowest of a GPU junction limit over the rack types (null without cooling.gpu_thermal).
json lowest_gpu_limit(const Scenario& sc, double thermal::GpuJunctionParams::*field) {
  if (!sc.cooling->gpu_thermal || sc.cooling->gpu_thermal->by_rack_type.empty()) return nullptr;
  double v = std::numeric_limits<double>::infinity();
  for (const auto& p : sc.cooling->gpu_thermal->by_rack_type) v = std::min(v, p.*field);
  return v;
}
}  // namespace

void add_cooling_summary(json& s, const Scenario& sc, const EngineResult& r) {
  if (!r.cooling) return;
  const CoolingOutcome& c = *r.cooling;
  const auto& e = r.recorder.energy_j();
  const double mwh = units::kJPerMWh;
  const double it = e[kIt];
  s["cooling_modelled"] = true;
  s["cooling_energy_mwh"] = c.energy_j / mwh;
  s["pue"] = it > 0 ? json(e[kUtility] / it) : json(nullptr);
  s["water_m3"] = c.water_kg / kRho;
  s["wue_l_per_kwh"] = it > 0 ? json(c.water_kg / kRho * 1000.0 / (it / 3.6e6)) : json(nullptr);
  s["free_cooling_hours"] = {{"full", c.free_full_s / 3600.0}, {"partial", c.free_partial_s / 3600.0}};
  s["chiller_hours"] = c.chiller_s / 3600.0;
  s["heat_rejection_fan_hours"] = {{"cooling_towers", c.tower_cells > 0 ? json(c.tower_fan_s / 3600.0) : json(nullptr)},
                                   {"dry_coolers", c.dry_coolers > 0 ? json(c.dry_cooler_fan_s / 3600.0) : json(nullptr)}};
  s["max_facility_water_c"] = c.max_facility_supply_c;
  s["peak_cooling_mw"] = r.recorder.peak_w()[kCooling] / 1e6;
  json alarms = json::array();
  for (const auto& a : c.alarms)
    alarms.push_back({{"kind", a.kind}, {"place", a.place}, {"limit", a.limit}, {"peak", a.peak}, {"start_s", a.start_s}, {"end_s", a.end_s}});
  s["alarms"] = alarms;
  s["cooling"] = {
      {"thermal_step_s", sc.thermal_step_s},
      {"weather", c.weather},
      {"heat_in_space", "IT (rack inputs) + busway + UPS losses; switchgear and transformer losses are outside the cooled space"},
      {"liquid_capture_fraction", c.capture_fraction},
      {"energy_mwh_by_component",
       {{"chillers", c.chiller_j / mwh}, {"tower_fans", c.tower_fan_j / mwh}, {"dry_cooler_fans", c.dry_cooler_fan_j / mwh},
        {"facility_and_condenser_pumps", c.pump_j / mwh}, {"cdu_pumps", c.cdu_pump_j / mwh}, {"crah_fans", c.crah_fan_j / mwh}}},
      {"heat_absorbed_mwh", c.heat_absorbed_j / mwh},
      {"liquid_heat_mwh", c.liquid_heat_j / mwh},
      {"air_heat_mwh", c.air_heat_j / mwh},
      {"heat_to_plant_mwh", c.heat_to_plant_j / mwh},
      {"heat_stored_mwh", c.stored_j / mwh},
      {"heat_rejected_outdoors_mwh", c.rejected_outdoors_j / mwh},
      {"heat_balance_rel_error", c.heat_balance_rel_error},
      {"max_facility_return_c", c.max_facility_return_c},
      {"max_tcs_supply_c", c.max_tcs_supply_c},
      {"max_rack_inlet_c", c.max_rack_inlet_c},
      {"chiller_hours_outside_curve_range", c.chiller_outside_curve_s / 3600.0},
      {"plant_solves_not_converged", c.unconverged_solves},
      {"design_heat_mw", c.design_heat_w / 1e6},
      {"facility_water_flow_kg_s", c.facility_water_flow_kg_s},
      {"condenser_water_flow_kg_s", c.condenser_water_flow_kg_s},
      {"units_installed", {{"cdus", c.cdus}, {"crahs", c.crahs}, {"chillers", c.chillers}, {"tower_cells", c.tower_cells}, {"dry_coolers", c.dry_coolers}}},
      {"limits_c",
       {{"facility_water_supply", c.facility_supply_limit_c},
        {"rack_inlet_allowable", std::isnan(c.rack_inlet_limit_c) ? json(nullptr) : json(c.rack_inlet_limit_c)},
        {"gpu_junction_lowest", lowest_gpu_limit(sc, &thermal::GpuJunctionParams::limit_c)},
        {"gpu_throttle_lowest", lowest_gpu_limit(sc, &thermal::GpuJunctionParams::throttle_c)}}},
      {"series", c.series ? json{{"file", "cooling.csv"}, {"interval_s", to_seconds(c.series->interval())}} : json(nullptr)}};
  // Conservation: meter = IT + distribution losses + cooling.
  const double losses = e[kBuswayLoss] + e[kUpsLoss] + e[kSwitchgearLoss] + e[kTransformerLoss];
  const double meter = std::abs(e[kUtility] - (e[kIt] + losses + e[kCooling])) / std::max(e[kUtility], 1e-300);
  const double it_err = std::abs(e[kIt] - r.recorder.it_energy_j().total_w()) / std::max(e[kIt], 1e-300);
  s["energy_balance_rel_error"] = std::max(meter, it_err);
  // GPU junction temperatures (null when the scenario has no cooling.gpu_thermal).
  s["max_junction_c"] = nullptr;
  s["throttled_gpu_hours"] = nullptr;
  if (c.gpu) {
    const GpuThermalOutcome& g = *c.gpu;
    s["max_junction_c"] = g.max_junction_c;
    s["throttled_gpu_hours"] = g.throttled_gpu_s / 3600.0;
    json cohorts = json::array();
    for (const auto& k : g.cohorts)
      cohorts.push_back({{"cohort", k.name}, {"rack_type", k.rack_type}, {"cooling", k.cooling}, {"gpus", k.gpus},
                         {"r_th_k_w", k.r_th_k_w}, {"max_junction_c", k.max_junction_c}, {"throttled_hours", k.throttled_s / 3600.0}});
    s["gpu_thermal"] = {{"leakage_modelled", sc.cooling->gpu_thermal->leakage},
                        {"leakage_energy_mwh", sc.cooling->gpu_thermal->leakage ? json(g.leakage_energy_j / mwh) : json(nullptr)},
                        {"cohorts", cohorts}};
  }
  // Plant failures (what-if): when each began, and how long until the first alarm after it.
  if (!c.failures.empty()) {
    json fl = json::array();
    for (const auto& f : c.failures) {
      json x = {{"unit", f.unit_name}, {"count", f.count}, {"at_s", f.at_s},
                {"end_s", std::isfinite(f.duration_s) ? json(f.at_s + f.duration_s) : json(nullptr)},
                {"first_alarm", nullptr}, {"time_to_first_alarm_s", nullptr}};
      for (const auto& a : c.alarms)  // sorted by start; alarms already open at the failure do not count
        if (a.start_s >= f.at_s) {
          x["first_alarm"] = {{"kind", a.kind}, {"place", a.place}, {"start_s", a.start_s}};
          x["time_to_first_alarm_s"] = a.start_s - f.at_s;
          break;
        }
      fl.push_back(x);
    }
    s["plant_failures"] = fl;
  }
  json nm = json::array();
  for (const auto& x : s["not_modelled"])
    if (x.get<std::string>().rfind("cooling", 0) != 0 && x.get<std::string>().rfind("GPU junction", 0) != 0) nm.push_back(x);
  if (!c.gpu) nm.push_back("GPU junction temperatures and their feedback (leakage, throttling): the scenario has no cooling.gpu_thermal");
  nm.push_back("cooling: CDU valve control (constant flows); pump and fan heat added to the loops; rack inlet air temperature rise when CRAHs fail");
  s["not_modelled"] = nm;
}

double campus_capture_fraction(const Scenario& sc) {
  const CoolingSpec& spec = *sc.cooling;
  std::vector<double> type_w(sc.rack_types.size(), 0.0);
  for (const auto& h : sc.halls)
    for (const auto& r : h.rows)
      for (const auto& slot : r.racks) {
        const RackType& rt = sc.rack_types[static_cast<std::size_t>(slot.rack_type)];
        double w = rt.rack_equipment.active_w;
        for (const auto& n : rt.nodes) w += n.count * sc.node_types[static_cast<std::size_t>(n.node_type)].nameplate_w;
        type_w[static_cast<std::size_t>(slot.rack_type)] += w * h.count * r.count * slot.count;
      }
  double tot = 0, liq = 0;
  for (std::size_t i = 0; i < type_w.size(); ++i) {
    tot += type_w[i];
    liq += type_w[i] * spec.capture_by_rack_type[i];
  }
  return tot > 0 ? liq / tot : spec.default_capture_fraction;
}

// Checkpoints: the plant's state (sizing comes from the scenario), one field list for both directions.
namespace {
template <class Ar, class Impl>
void plant_fields(Ar& a, Impl& m) {
  auto& o = m.out;
  for (auto* v : {&o.energy_j, &o.chiller_j, &o.tower_fan_j, &o.dry_cooler_fan_j, &o.pump_j, &o.cdu_pump_j, &o.crah_fan_j,
                  &o.heat_absorbed_j, &o.heat_to_plant_j, &o.stored_j, &o.rejected_outdoors_j, &o.liquid_heat_j, &o.air_heat_j,
                  &o.water_kg, &o.free_full_s, &o.free_partial_s, &o.chiller_s, &o.chiller_outside_curve_s, &o.unconverged_solves,
                  &o.tower_fan_s, &o.dry_cooler_fan_s,
                  &o.max_facility_supply_c, &o.max_facility_return_c, &o.max_rack_inlet_c, &o.max_tcs_supply_c,
                  &m.t_ret, &m.t_sup, &m.t_ret_start, &m.cache_t_sup, &m.cache_wb, &m.cache_db, &m.last_cw, &m.wb, &m.db,
                  &m.cached.load_w, &m.cached.chiller_w, &m.cached.tower_fan_w, &m.cached.dry_fan_w, &m.cached.water_kg_s,
                  &m.cached.chiller_heat_w, &m.cached.unmet_w, &m.cached.condenser_c})
    a.io(*v);
  for (auto* b : {&m.started, &m.have_cache, &m.cached.outside_curve, &m.cached.converged, &m.fw_alarm.open, &m.air_alarm.open,
                  &m.cap_alarm.open})
    a.io(*b);
  a.io(m.cached.chillers_running);
  a.io(m.weather_minute);
  for (auto* f : {&m.failed_ch, &m.failed_cdu, &m.failed_cells, &m.failed_dc, &m.failed_crah}) a.io(*f);
  for (auto* t : {&m.fw_alarm, &m.air_alarm, &m.cap_alarm}) alarm_fields(a, t->a);
  alarm_list_fields(a, o.alarms);
}
}  // namespace

void CoolingPlant::save(CheckpointWriter& w) const {
  impl_->rec.save(w);
  plant_fields(w, static_cast<const Impl&>(*impl_));
  w.put(static_cast<int>(impl_->cached.mode));
}

void CoolingPlant::load(CheckpointReader& r) {
  impl_->rec.load(r);
  plant_fields(r, *impl_);
  const int mode = r.get<int>();
  if (mode < 0 || mode > static_cast<int>(thermal::EconomizerMode::Full)) throw CheckpointError("an economizer mode", std::to_string(mode));
  impl_->cached.mode = static_cast<thermal::EconomizerMode>(mode);
}

}  // namespace dctwin
