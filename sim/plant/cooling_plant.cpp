#include "sim/plant/cooling_plant.h"

#include "models/power/fan_control.h"
#include "core/units.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/thermal/economizer.h"
#include "models/thermal/pump.h"
#include "models/thermal/psychrometrics.h"
#include "models/weather/design_day.h"
#include "core/problems.h"
#include "sim/facility/grid_response.h"

namespace dctwin {

namespace {

constexpr double kCp = thermal::kCpWaterJkgK;
constexpr double kRho = thermal::kRhoWaterKgM3;
// Convergence tolerance of the condenser-water fixed point (K); also the economizer's resolution of
// T_cw (models/thermal/economizer.h: a chiller load under m cp x this is none).
constexpr double kCondenserToleranceK = 1e-3;

struct PlantPoint {
  double heat_to_plant_w = 0;  // heat handed to the plant
  double chiller_w = 0, tower_fan_w = 0, dry_cooler_fan_w = 0, water_kg_s = 0, chiller_heat_w = 0;
  double unmet_w = 0;
  int chillers_running = 0;
  bool outside_curve = false;
  bool tower_outside_range = false;  // YorkCalc evaluated outside its fitted range (cooling_tower.h)
  bool converged = true;
  thermal::EconomizerMode mode = thermal::EconomizerMode::Off;
  double condenser_water_c = 0;
};

}  // namespace

struct CoolingPlant::Impl {
  const Scenario& sc;
  const Facility& facility;
  std::vector<double> cohort_step_mean_w;  // per cohort: its job's step-mean GPU power (NaN: no training step)
  CoolingSpec spec;
  Recorder rec;
  CoolingOutcome out;
  PlantDesign design;  // from the nameplate heat
  // The chillers' curves, with each chiller's condenser water flow (the design flow shared by the
  // duty chillers) for the condenser rise in the warm-water scaling (models/thermal/chiller.h).
  thermal::ChillerParams chiller_params{};
  std::vector<std::pair<Vertex, double>> rack_capture;  // rack group vertex, units x capture fraction
  int failed_chillers = 0, failed_cdus = 0, failed_tower_cells = 0, failed_dry_coolers = 0, failed_crahs = 0;
  double tcs_supply_c = 0, rack_inlet_c = 0;  // the coolant GPUs saw over the last step
  CoolingStep last;
  double power_w = 0;  // electric power over the last advanced step
  // State.
  bool started = false;
  double crah_heat_w = 0;  // the air heat the CRAH fan control sees (models/power/fan_control.h)
  double facility_water_return_c = 0, facility_water_supply_c = 0, facility_water_return_start_c = 0;
  // Plant cache.
  PlantPoint cached;
  bool have_cache = false;
  double cached_facility_water_supply_c = 0, cached_outdoor_wet_bulb_c = std::numeric_limits<double>::quiet_NaN();
  double cached_outdoor_dry_bulb_c = 0;
  double last_condenser_water_c = std::numeric_limits<double>::quiet_NaN();
  std::int64_t weather_minute = -1;
  double outdoor_wet_bulb_c = 0, outdoor_dry_bulb_c = 0, outdoor_pressure_pa = thermal::kStandardPressurePa;
  AlarmTrack facility_water_alarm, rack_inlet_alarm, capacity_alarm;
  // Grid disturbances (grid.events): when the drives are off, the chillers' capacity after a
  // restart, the pieces' edges (off, restart, ramp end, each event's start; sorted).
  power::DriveTripParams drives;
  std::vector<double> event_at_s;
  std::vector<SimTime> edges;
  double chiller_capacity = 1, cached_chiller_capacity = 1;

  Impl(const Scenario& s, const Facility& facility)
      : sc(s), facility(facility), spec(*s.cooling), rec(to_simtime(s.duration_s), to_simtime(s.output_step_s)) {
    const double capture_fraction = campus_capture_fraction(sc);
    out.capture_fraction = capture_fraction;
    const PowerGraph& g = facility.graph();
    for (auto [it, e] = boost::vertices(g); it != e; ++it)
      if (g[*it].stage == Stage::Rack && g[*it].rack_type >= 0)
        rack_capture.emplace_back(*it, static_cast<double>(g[*it].units()) *
                                           spec.capture_by_rack_type[static_cast<std::size_t>(g[*it].rack_type)]);

    // Sized for the nameplate heat (sim/plant/plant_design.h).
    const FacilityPower np = facility.evaluate_nameplate();
    design = plant_design(spec, plant_heat_w(np), capture_fraction * np.it_w);
    out.design = design;
    if (spec.chillers) {
      chiller_params = spec.chillers->params;
      chiller_params.cond_flow_kg_s = design.condenser_water_flow_kg_s / std::max(design.duty_chillers, 1);
    }
    out.weather = spec.weather.describe();
    facility_water_supply_c = spec.facility_water.supply_c;

    facility_water_alarm.a = {"facility_water_above_class",
                              "facility water supply (ASHRAE " + spec.facility_water.ashrae_class_name + ")",
                              thermal::ashrae_liquid_class_max_supply_c(spec.facility_water.ashrae_class), 0, 0, 0};
    if (spec.air)
      rack_inlet_alarm.a = {"rack_inlet_above_class", "data halls, rack inlet air (ASHRAE " + spec.air->ashrae_class_name + ")",
                            thermal::ashrae_allowable_range(spec.air->ashrae_class).high_c, 0, 0, 0};
    capacity_alarm.a = {"plant_capacity_exceeded", "heat rejection plant (economizer + chillers)", 0, 0, 0, 0};
    out.facility_water_supply_limit_c = facility_water_alarm.a.limit;
    if (spec.air) out.rack_inlet_limit_c = rack_inlet_alarm.a.limit;

    // Failures may not take out every unit of a kind (nothing would be left to model).
    Problems problems;
    for (const auto& f : spec.failures) {
      int installed = 0;
      switch (f.unit) {
        case PlantFailureSpec::Unit::Chiller: installed = design.chillers; break;
        case PlantFailureSpec::Unit::Cdu: installed = design.cdus; break;
        case PlantFailureSpec::Unit::TowerCell: installed = design.tower_cells; break;
        case PlantFailureSpec::Unit::DryCooler: installed = design.dry_coolers; break;
        case PlantFailureSpec::Unit::Crah: installed = design.crahs; break;
      }
      if (f.count >= installed)
        problems.add(sc.source, f.json_path + ".count",
                     "fewer than the " + std::to_string(installed) + " " + f.unit_name +
                         " units installed (sized from the nameplate heat and the redundancy; one must be left running)",
                     std::to_string(f.count) + (installed > 1 ? "; lower count to " + std::to_string(installed - 1) +
                                                                   " or less, or raise the units' redundancy"
                                                             : std::string("; raise the units' redundancy")));
    }
    if (!problems.empty()) throw InputError(problems);
    out.failures = spec.failures;
    if (sc.grid && !sc.grid->events.empty()) {
      drives = sc.grid->equipment.drives;
      out.drive_off = cooling_drive_off(sc.grid->events, sc.grid->equipment);
      for (const auto& e : sc.grid->events) event_at_s.push_back(e.at_s), edges.push_back(to_simtime(e.at_s));
      for (const auto& d : out.drive_off)
        for (double t : {d.off_s, d.restart_s, d.restart_s + drives.chiller_ramp_s}) edges.push_back(to_simtime(t));
      std::sort(edges.begin(), edges.end());
      edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
      out.event_max_supply_c.assign(event_at_s.size(), std::numeric_limits<double>::quiet_NaN());
    }
  }

  // The drives over a piece no edge splits (its midpoint): off, or the chillers' share of their
  // capacity after the last restart (models/power/ride_through.h chiller_restart_fraction).
  struct DriveState {
    bool off = false;
    double capacity = 1;
  };
  DriveState drive_state(double mid_s) const {
    DriveState st;
    for (const auto& d : out.drive_off) {
      if (mid_s < d.off_s) break;
      if (mid_s < d.restart_s) return {true, 0.0};
      st.capacity = power::chiller_restart_fraction(drives, mid_s - d.restart_s);
    }
    return st;
  }

  bool has_air_side() const { return spec.air && design.crahs > 0; }

  void apply_failures(double t_s) {
    failed_chillers = failed_cdus = failed_tower_cells = failed_dry_coolers = failed_crahs = 0;
    for (const auto& f : spec.failures) {
      if (t_s < f.at_s || t_s >= f.at_s + f.duration_s) continue;
      switch (f.unit) {
        case PlantFailureSpec::Unit::Chiller: failed_chillers += f.count; break;
        case PlantFailureSpec::Unit::Cdu: failed_cdus += f.count; break;
        case PlantFailureSpec::Unit::TowerCell: failed_tower_cells += f.count; break;
        case PlantFailureSpec::Unit::DryCooler: failed_dry_coolers += f.count; break;
        case PlantFailureSpec::Unit::Crah: failed_crahs += f.count; break;
      }
    }
    // Overlapping failures of one kind never take out more than all but one unit.
    failed_chillers = std::min(failed_chillers, design.chillers - 1);
    failed_cdus = std::min(failed_cdus, std::max(0, design.cdus - 1));
    failed_tower_cells = std::min(failed_tower_cells, std::max(0, design.tower_cells - 1));
    failed_dry_coolers = std::min(failed_dry_coolers, std::max(0, design.dry_coolers - 1));
    failed_crahs = std::min(failed_crahs, std::max(0, design.crahs - 1));
  }

  void sample_weather(double t_s) {
    const auto minute = static_cast<std::int64_t>(std::floor(t_s / 60.0));
    if (minute == weather_minute) return;
    weather_minute = minute;
    const double tm = static_cast<double>(minute) * 60.0;
    if (spec.weather.kind == WeatherSpec::Kind::Epw) {
      const auto c = weather::epw_conditions_at(*spec.weather.epw, tm + (spec.weather.start_day_of_year - 1) * 86400.0);
      outdoor_dry_bulb_c = c.dry_bulb_c;
      outdoor_pressure_pa = c.pressure_pa;
      outdoor_wet_bulb_c = thermal::wet_bulb_from_dew_point_c(c.dry_bulb_c, std::min(c.dew_point_c, c.dry_bulb_c), c.pressure_pa);
    } else {
      const auto c = weather::design_day_at(spec.weather.design_day, tm);
      outdoor_dry_bulb_c = c.dry_bulb_c;
      outdoor_wet_bulb_c = c.wet_bulb_c;
    }
  }

  // Heat rejection outdoors of `heat_w` at setpoint; returns leaving water temperature.
  double reject(double heat_w, double setpoint_c, PlantPoint& pp, bool& use_dry) const {
    use_dry = false;
    pp.tower_outside_range = false;
    if (spec.dry_coolers) {
      const auto& d = *spec.dry_coolers;
      const int n = design.dry_coolers - failed_dry_coolers;
      const double q = heat_w / n, m = design.condenser_water_flow_kg_s / n;
      const thermal::DryCoolerPoint p = thermal::dry_cooler_operate(d.params, q, m, outdoor_dry_bulb_c, setpoint_c);
      if (p.setpoint_met || !spec.towers) {
        use_dry = true;
        pp.dry_cooler_fan_w = p.fan_power_w * n;
        pp.tower_fan_w = 0;
        pp.water_kg_s = 0;
        return p.leaving_water_c;
      }
    }
    const auto& t = *spec.towers;
    // The condenser water goes to the duty cells only (N of them, fewer when failures leave fewer);
    // standby cells get no water (spreading it over them would run every cell below YorkCalc's
    // 0.75 water-flow ratio).
    const int n = std::min(t.cells, design.tower_cells - failed_tower_cells);
    const double q = heat_w / n, m = design.condenser_water_flow_kg_s / n;
    const thermal::CoolingTowerPoint p = thermal::cooling_tower_operate(t.params, q, m, outdoor_wet_bulb_c, setpoint_c);
    pp.tower_outside_range =
        heat_w > 0 && !thermal::cooling_tower_within_yorkcalc_range(outdoor_wet_bulb_c, p.range_k, p.approach_k, p.water_flow_ratio,
                                                                    p.water_flow_ratio / std::max(p.air_flow_ratio, 1e-12));
    pp.tower_fan_w = p.fan_power_w * n;
    pp.dry_cooler_fan_w = 0;
    const thermal::TowerWater w = thermal::cooling_tower_water(t.water, q, m, p.range_k, p.air_flow_ratio,
                                                               {outdoor_dry_bulb_c, outdoor_wet_bulb_c, outdoor_pressure_pa});
    pp.water_kg_s = w.makeup_kg_s * n;
    return heat_w > 0 ? p.leaving_water_c : outdoor_wet_bulb_c;
  }

  // One round of the condenser-water fixed point: the plant carrying `heat_to_plant_w` with the
  // condenser water at `condenser_water_c`; fills pp and returns the temperature the towers / dry
  // coolers then leave at.
  double plant_round(double heat_to_plant_w, double facility_water_return_mean_c, double setpoint, double condenser_water_c,
                     PlantPoint& pp) const {
    const double hx = spec.economizer.hx_approach_k;
    double chiller_load = heat_to_plant_w, free_w = 0;
    pp.mode = thermal::EconomizerMode::Off;
    if (spec.economizer.enabled && facility_water_return_mean_c > facility_water_supply_c) {
      const thermal::EconomizerPoint e = thermal::waterside_economizer(
          heat_to_plant_w, facility_water_return_mean_c, facility_water_supply_c, condenser_water_c, hx, kCondenserToleranceK);
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
        // Curves evaluated at the nearest edge of their fitted range (EnergyPlus practice), above it
        // within the warm-water span by the Carnot scaling (chiller.h); the hours outside the fitted
        // range are reported (chiller_hours_outside_curve_range), never hidden.
        const double x = std::clamp(facility_water_supply_c, c.params.chw_leaving_min_c,
                                    c.params.chw_leaving_max_c + c.params.chw_extrapolation_k);
        const double y = std::clamp(condenser_water_c, c.params.cond_entering_min_c, c.params.cond_entering_max_c);
        thermal::ChillerParams cp = chiller_params;  // restarting after a drive trip: part of the capacity
        cp.ref_capacity_w *= std::max(chiller_capacity, 1e-9);
        const thermal::ChillerStaging st = thermal::chiller_plant_stage(
            cp, design.duty_chillers, design.chillers - design.duty_chillers, failed_chillers, c.stage_plr, chiller_load, x, y);
        pp.chiller_w = st.total_power_w;
        pp.chillers_running = st.running;
        pp.unmet_w = st.total_unmet_w;
        pp.chiller_heat_w = chiller_load - st.total_unmet_w;
        cond_heat = st.total_condenser_heat_w;
        pp.outside_curve = x != facility_water_supply_c || y != condenser_water_c || x > c.params.chw_leaving_max_c;
      } else {
        pp.unmet_w = chiller_load;
      }
    }
    // The condenser water pumps' shaft power heats the condenser water too (pump.h).
    const double condenser_pump_heat_w = thermal::pump_heat_to_fluid_w(design.condenser_water_pump_w);
    bool use_dry = false;
    pp.condenser_water_c = reject(free_w + cond_heat + condenser_pump_heat_w, setpoint, pp, use_dry);
    return pp.condenser_water_c;
  }

  // The condenser water temperature T with F(T) = T, F one plant_round: fixed-point iteration from
  // the last solve's T (warm start), <= 12 rounds to 1e-3 K. Where it does not settle, F jumps
  // across the diagonal: a chiller staging step (k chillers run hotter, so T rises and k + 1
  // start; k + 1 run cooler, so T falls and one stops) makes the iteration alternate for ever.
  // The rounds seen bracket the point (F(T) > T below it, F(T) < T above); bisection then narrows
  // the bracket to 1e-3 K and the plant is taken at its upper end (F(T) <= T: the units running
  // there reject the heat at no warmer a condenser temperature than assumed). That is the
  // staging threshold, where a real plant's staging deadband holds it.
  PlantPoint solve_plant(double heat_to_plant_w, double facility_water_return_mean_c) {
    PlantPoint pp;
    pp.heat_to_plant_w = heat_to_plant_w;
    if (heat_to_plant_w <= 0) return pp;
    const double hx = spec.economizer.hx_approach_k;
    double chiller_sp = spec.towers ? spec.towers->leaving_setpoint_c : spec.dry_coolers->leaving_setpoint_c;
    const double setpoint = spec.economizer.enabled ? std::min(chiller_sp, facility_water_supply_c - hx) : chiller_sp;
    double t = std::isnan(last_condenser_water_c) ? outdoor_wet_bulb_c + 4.0 : last_condenser_water_c;
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    double below = kNaN, above = kNaN;  // F(below) > below, F(above) < above
    pp.converged = false;
    for (int it = 0; it < 12 && !pp.converged; ++it) {
      const double next = plant_round(heat_to_plant_w, facility_water_return_mean_c, setpoint, t, pp);
      pp.converged = std::abs(next - t) < kCondenserToleranceK;
      (next > t ? below : above) = t;
      t = next;
    }
    if (!pp.converged && !std::isnan(below) && !std::isnan(above)) {
      for (int it = 0; it < 60 && !pp.converged; ++it) {
        const double mid = 0.5 * (below + above);
        const double next = plant_round(heat_to_plant_w, facility_water_return_mean_c, setpoint, mid, pp);
        pp.converged = std::abs(next - mid) < kCondenserToleranceK;
        (next > mid ? below : above) = mid;
        if (!pp.converged && std::abs(above - below) < kCondenserToleranceK) {
          plant_round(heat_to_plant_w, facility_water_return_mean_c, setpoint, above, pp);
          pp.converged = true;
        }
      }
    }
    last_condenser_water_c = pp.condenser_water_c;
    return pp;
  }

  // Step 2 of cooling_plant.h: the facility water loop's mixed volume over a step of `dt_s`, by
  // the exact exponential.
  struct LoopStep {
    double return_next_c = 0;       // T_ret at the end of the step
    double heat_to_plant_j = 0;     // m cp integral(T_ret - T_sup) dt
    double return_mean_c = 0;       // mean T_ret over the step
  };
  LoopStep advance_loop(double heat_w, double dt_s) const {
    const double t_in = facility_water_supply_c + heat_w / (design.facility_water_flow_kg_s * kCp);
    const double tau_s = design.facility_water_time_constant_s;
    const double a = std::exp(-dt_s / tau_s);
    LoopStep l;
    l.return_next_c = t_in + (facility_water_return_c - t_in) * a;
    // ∫(T_ret - T_sup) dt
    const double integral_k_s = (t_in - facility_water_supply_c) * dt_s - (t_in - facility_water_return_c) * tau_s * (1.0 - a);
    l.heat_to_plant_j = design.facility_water_flow_kg_s * kCp * integral_k_s;
    l.return_mean_c = facility_water_supply_c + integral_k_s / dt_s;
    return l;
  }

  // The loop with the drives off: no flow through the plant, the whole water volume takes the heat.
  LoopStep tripped_loop(double heat_w, double dt_s) const {
    const double rise_k = heat_w * dt_s / (kRho * spec.facility_water.loop_volume_m3 * kCp);
    LoopStep l;
    l.return_next_c = facility_water_return_c + rise_k;
    l.return_mean_c = facility_water_return_c + 0.5 * rise_k;
    return l;
  }

  // The rest of a piece with the drives off: no power, no water; the supply rises with the loop;
  // the alarms see the piece's end (its warmest).
  void finish_tripped(SimTime t0, SimTime t1, const FacilityPower& p, double liquid_heat_w, const LoopStep& loop) {
    last = CoolingStep{};
    last.outdoor_dry_bulb_c = outdoor_dry_bulb_c;
    last.outdoor_wet_bulb_c = outdoor_wet_bulb_c;
    power_w = 0;
    PowerRow row{};
    row[kUtility] = p.utility_w;
    rec.add(t0, t1, row, ItBreakdown{});
    facility_water_supply_c += loop.return_next_c - facility_water_return_c;
    update_temperatures(liquid_heat_w, loop, 0.0, 0.0, to_seconds(t0), to_seconds(t1), true);
  }

  // Step 3: re-solves the plant's operating point when the load, the weather, the supply
  // temperature or the units in service moved.
  void update_operating_point(double heat_to_plant_w, double facility_water_return_mean_c, bool plant_changed) {
    const bool resolve = !have_cache || plant_changed || chiller_capacity != cached_chiller_capacity || outdoor_wet_bulb_c != cached_outdoor_wet_bulb_c ||
                         outdoor_dry_bulb_c != cached_outdoor_dry_bulb_c || facility_water_supply_c != cached_facility_water_supply_c ||
                         std::abs(heat_to_plant_w - cached.heat_to_plant_w) > 1e-3 * std::max(cached.heat_to_plant_w, 1.0);
    if (!resolve) return;
    cached = solve_plant(heat_to_plant_w, facility_water_return_mean_c);
    have_cache = true;
    cached_chiller_capacity = chiller_capacity;
    cached_outdoor_wet_bulb_c = outdoor_wet_bulb_c;
    cached_outdoor_dry_bulb_c = outdoor_dry_bulb_c;
    cached_facility_water_supply_c = facility_water_supply_c;
    if (!cached.converged) out.unconverged_solves += 1;
  }

  // Step 4 and the alarms: the loop temperatures the step ends with, the coolant the GPUs see,
  // and the supply temperature of the next step. `tripped`: the drives are off (the supply has
  // already risen with the loop; no plant to fall short).
  void update_temperatures(double liquid_heat_w, const LoopStep& loop, double heat_to_plant_w, double unmet_w, double ts0,
                           double ts1, bool tripped = false) {
    const double facility_water_return_next_c = loop.return_next_c;
    tcs_supply_c = facility_water_supply_c;
    if (design.cdus > 0 && liquid_heat_w > 0) {
      const double q = liquid_heat_w / (design.cdus - failed_cdus);
      tcs_supply_c = facility_water_supply_c + q / design.cdu_eps_cmin_w_k - q / design.cdu_tcs_capacity_rate_w_k;
      out.max_tcs_supply_c = std::max(out.max_tcs_supply_c, tcs_supply_c);
    }
    if (design.cdus > 0) last.tcs_supply_c = tcs_supply_c;
    last.facility_water_supply_c = facility_water_supply_c;
    last.facility_water_return_max_c = std::max(facility_water_return_c, facility_water_return_next_c);
    out.max_facility_water_supply_c = std::max(out.max_facility_water_supply_c, facility_water_supply_c);
    out.max_facility_water_return_c = std::max(out.max_facility_water_return_c, last.facility_water_return_max_c);
    facility_water_alarm.update(facility_water_supply_c > facility_water_alarm.a.limit, facility_water_supply_c, ts0, ts1, out.alarms);
    if (spec.air && design.crahs > 0) {
      rack_inlet_c = std::max(spec.air->supply_air_c, facility_water_supply_c + spec.air->coil_approach_k);
      last.rack_inlet_c = rack_inlet_c;
      out.max_rack_inlet_c = std::max(out.max_rack_inlet_c, rack_inlet_c);
      rack_inlet_alarm.update(rack_inlet_c > rack_inlet_alarm.a.limit, rack_inlet_c, ts0, ts1, out.alarms);
    }
    if (!event_at_s.empty()) {  // the event whose window [at_s, next at_s) holds the piece
      const auto k = std::upper_bound(event_at_s.begin(), event_at_s.end(), ts0 + 1e-12) - event_at_s.begin();
      if (k > 0) {
        double& m = out.event_max_supply_c[static_cast<std::size_t>(k - 1)];
        m = std::isnan(m) ? facility_water_supply_c : std::max(m, facility_water_supply_c);
      }
    }
    facility_water_return_c = facility_water_return_next_c;
    if (tripped) return;
    const bool short_of_capacity = unmet_w > 1e-6 * std::max(heat_to_plant_w, 1.0);
    capacity_alarm.update(short_of_capacity, unmet_w, ts0, ts1, out.alarms);

    // Next step: unmet heat raises the supply temperature (one-step lag); otherwise back to setpoint.
    if (short_of_capacity)
      facility_water_supply_c =
          std::min(facility_water_return_c, facility_water_supply_c + unmet_w / (design.facility_water_flow_kg_s * kCp));
    else
      facility_water_supply_c = supply_after_shortage(heat_to_plant_w, loop.return_mean_c);
  }

  // Back toward the setpoint after a shortage (or a drive trip), as far as the plant carries: at
  // the setpoint it would take this step's heat plus m cp (T_sup - T_set); what it cannot take
  // leaves the supply that much above the setpoint. (Straight back to the setpoint, the supply
  // would swing between the setpoint and the return every other step while the plant is at its
  // limit.) One extra solve, only while the supply is above its setpoint.
  double supply_after_shortage(double heat_to_plant_w, double return_mean_c) {
    const double set = spec.facility_water.supply_c, supply = facility_water_supply_c;
    if (supply <= set) return set;
    const double mcp = design.facility_water_flow_kg_s * kCp;
    facility_water_supply_c = set;  // the plant's operating point at the setpoint
    const PlantPoint pp = solve_plant(heat_to_plant_w + mcp * (supply - set), return_mean_c);
    facility_water_supply_c = supply;
    return std::min(supply, set + pp.unmet_w / mcp);
  }

  // The heat the loop starts settled at. A training job's GPUs alternate between phases (e.g. 2 s
  // compute, 0.5 s communication) far faster than the loop's time constant (minutes), so the return
  // temperature settles within a fraction of a kelvin of the steady state at the step-mean heat;
  // the first instant's phase (compute, the highest) would start it too warm and store heat it then
  // releases over the first few time constants. Cohorts of a running training job take their
  // plan's step-mean GPU power (sum of phase duration x power / period); the rest keep their
  // starting state. Without plans: the first step's heat.
  // Returns {heat, air heat}; the CRAH fan control starts settled at the same air heat.
  std::pair<double, double> settled_heat_w(const ProcessInput& in, double first_heat_w, double first_air_w) const {
    if (cohort_step_mean_w.size() != in.cohorts.size()) return {first_heat_w, first_air_w};
    std::vector<JobState> states = in.cohorts;
    bool changed = false;
    for (std::size_t c = 0; c < states.size(); ++c)
      if (states[c].running && !std::isnan(cohort_step_mean_w[c])) {
        states[c].gpu_w = cohort_step_mean_w[c];
        states[c].fan_gpu_w = states[c].fan_active = std::numeric_limits<double>::quiet_NaN();  // fans settled there too
        changed = true;
      }
    if (!changed) return {first_heat_w, first_air_w};
    std::vector<double> unit_load;
    const FacilityPower p = facility.evaluate(states, &unit_load);
    const double heat = plant_heat_w(p);
    return {heat, heat - liquid_heat_w(p, unit_load)};
  }

  double liquid_heat_w(const FacilityPower& p, const std::vector<double>& unit_load_w) const {
    double w = 0;
    for (const auto& [v, share] : rack_capture) w += share * unit_load_w[v];
    return std::min(w, p.it_w);
  }

  // The engine's piece, split at the drives' edges and the events' starts (a trip starts and ends
  // to the nanosecond, whatever the thermal step). cooling.csv gets the pieces merged; the feeds
  // get the highest power of them.
  void advance(SimTime t0, SimTime t1, const ProcessInput& in) {
    if (edges.empty()) return advance_piece(t0, t1, in, DriveState{});
    CoolingStep merged;
    double peak_w = 0;
    for (SimTime a = t0; a < t1;) {
      const auto it = std::upper_bound(edges.begin(), edges.end(), a);
      const SimTime b = it == edges.end() ? t1 : std::min(t1, *it);
      advance_piece(a, b, in, drive_state(0.5 * (to_seconds(a) + to_seconds(b))));
      peak_w = a == t0 ? power_w : std::max(peak_w, power_w);
      merged = a == t0 ? last : merge_steps(merged, last);
      a = b;
    }
    power_w = peak_w;
    last = merged;
  }

  static CoolingStep merge_steps(const CoolingStep& x, const CoolingStep& y) {
    CoolingStep m = y;
    auto hi = [](double a, double b) { return std::isnan(a) ? b : std::isnan(b) ? a : std::max(a, b); };
    m.facility_water_supply_c = hi(x.facility_water_supply_c, y.facility_water_supply_c);
    m.facility_water_return_max_c = hi(x.facility_water_return_max_c, y.facility_water_return_max_c);
    m.tcs_supply_c = hi(x.tcs_supply_c, y.tcs_supply_c);
    m.rack_inlet_c = hi(x.rack_inlet_c, y.rack_inlet_c);
    m.water_kg += x.water_kg;
    m.free_full_s += x.free_full_s;
    m.free_partial_s += x.free_partial_s;
    m.chiller_on_s += x.chiller_on_s;
    m.tower_fans_on_s += x.tower_fans_on_s;
    m.dry_cooler_fans_on_s += x.dry_cooler_fans_on_s;
    m.chillers_running = std::max(x.chillers_running, y.chillers_running);
    return m;
  }

  // One piece with the drives in one state. Off: no unit runs or draws power; the loop's water
  // takes the heat as one mass (loop_volume_m3): supply and return rise together by
  // Q dt / (rho V cp) and nothing is handed to the plant.
  void advance_piece(SimTime t0, SimTime t1, const ProcessInput& in, DriveState ds) {
    const FacilityPower& p = in.power;
    const double dt = to_seconds(t1 - t0);
    const double ts0 = to_seconds(t0), ts1 = to_seconds(t1);
    // Step 1: the heat split.
    const double heat_w = plant_heat_w(p);
    const double liquid_heat_w = this->liquid_heat_w(p, in.unit_load_w);
    const double air_heat_w = heat_w - liquid_heat_w;
    const int chillers_before = failed_chillers, cells_before = failed_tower_cells, dry_coolers_before = failed_dry_coolers;
    apply_failures(ts0);
    const bool plant_changed =
        chillers_before != failed_chillers || cells_before != failed_tower_cells || dry_coolers_before != failed_dry_coolers;
    // Step 5 first (their heat goes into the loop): pumps at constant flow, CRAH fans by the
    // affinity law for the room's air heat. Neither depends on the loop's state, so their heat
    // needs no iteration.
    const bool any_heat = heat_w > 0 && !ds.off;
    const double facility_pumps = any_heat ? design.facility_water_pump_w : 0.0;
    const double condenser_pumps = any_heat ? design.condenser_water_pump_w : 0.0;
    const double pumps = facility_pumps + condenser_pumps;
    const double cdu_pumps = any_heat ? design.cdu_pumps_w : 0.0;
    // The settled start (the loop's and the CRAH fan control's) comes first: the fans' lagged heat
    // starts there.
    double settled_w = 0;
    const bool starting = !started;
    if (starting) {
      const auto [w, settled_air_w] = settled_heat_w(in, heat_w, air_heat_w);
      settled_w = w;
      crah_heat_w = settled_air_w;
    }
    // CRAH fans by the affinity law at the fan control's lagged air heat (its exact mean over the step).
    double crah_w = 0;
    if (design.crahs > 0) {
      const double tau = spec.air->crah_time_constant_s;
      const double crah_heat_mean_w = power::fan_lag_mean(crah_heat_w, air_heat_w, dt, tau);
      crah_heat_w = power::fan_lag_after(crah_heat_w, air_heat_w, dt, tau);
      const int n = design.crahs - failed_crahs;
      if (crah_heat_mean_w > 0 && !ds.off)
        crah_w = n * thermal::air_handler_operate(design.crah, crah_heat_mean_w / n, spec.air->design_delta_t_k).fan_power_w;
    }
    const double pump_fan_heat_w = pump_fan_heat_to_facility_water_w(facility_pumps, cdu_pumps, crah_w, has_air_side());
    const double loop_heat_w = heat_w + pump_fan_heat_w;
    if (starting) {
      started = true;
      // Settled state: steady state at the starting load averaged over the jobs' steps.
      facility_water_return_c = facility_water_supply_c + (settled_w + pump_fan_heat_w) / (design.facility_water_flow_kg_s * kCp);
      facility_water_return_start_c = facility_water_return_c;
      out.max_facility_water_supply_c = facility_water_supply_c;
      out.max_facility_water_return_c = facility_water_return_c;
    }
    const LoopStep loop = ds.off ? tripped_loop(loop_heat_w, dt) : advance_loop(loop_heat_w, dt);
    const double heat_to_plant_w = loop.heat_to_plant_j / dt;
    out.heat_absorbed_j += loop_heat_w * dt;
    out.pump_fan_heat_j += pump_fan_heat_w * dt;
    out.heat_to_plant_j += loop.heat_to_plant_j;
    out.liquid_heat_j += liquid_heat_w * dt;
    out.air_heat_j += air_heat_w * dt;

    sample_weather(ts0);
    if (ds.off) return finish_tripped(t0, t1, p, liquid_heat_w + thermal::pump_heat_to_fluid_w(cdu_pumps), loop);
    chiller_capacity = ds.capacity;
    update_operating_point(heat_to_plant_w, loop.return_mean_c, plant_changed);
    // Between solves the chiller and fan power and the water use scale with the load.
    const double scale = cached.heat_to_plant_w > 0 ? heat_to_plant_w / cached.heat_to_plant_w : 0.0;
    const double chiller_w = cached.chiller_w * scale, tower_fan_w = cached.tower_fan_w * scale;
    const double dry_cooler_fan_w = cached.dry_cooler_fan_w * scale;
    const double water = cached.water_kg_s * scale;
    const double unmet_w = cached.unmet_w * scale;
    const double power = chiller_w + tower_fan_w + dry_cooler_fan_w + pumps + cdu_pumps + crah_w;

    // Step 6: energies over the step.
    out.energy_j += power * dt;
    out.chiller_j += chiller_w * dt;
    out.tower_fan_j += tower_fan_w * dt;
    out.dry_cooler_fan_j += dry_cooler_fan_w * dt;
    out.pump_j += pumps * dt;
    out.facility_pump_j += facility_pumps * dt;
    out.cdu_pump_j += cdu_pumps * dt;
    out.crah_fan_j += crah_w * dt;
    out.water_kg += water * dt;
    const double condenser_pump_heat_j = thermal::pump_heat_to_fluid_w(condenser_pumps) * dt;
    out.condenser_pump_heat_j += condenser_pump_heat_j;
    out.rejected_outdoors_j += loop.heat_to_plant_j + chiller_w * dt + condenser_pump_heat_j;
    last = CoolingStep{};
    last.outdoor_dry_bulb_c = outdoor_dry_bulb_c;
    last.outdoor_wet_bulb_c = outdoor_wet_bulb_c;
    last.water_kg = water * dt;
    if (cached.heat_to_plant_w > 0) {
      if (cached.mode == thermal::EconomizerMode::Full) out.free_full_s += dt, last.free_full_s = dt;
      if (cached.mode == thermal::EconomizerMode::Partial) out.free_partial_s += dt, last.free_partial_s = dt;
      if (cached.chillers_running > 0) out.chiller_s += dt, last.chiller_on_s = dt;
      if (cached.chillers_running > 0 && cached.outside_curve) out.chiller_outside_curve_s += dt;
      if (cached.tower_outside_range) out.tower_outside_range_s += dt;
      last.chillers_running = cached.chillers_running;
    }
    if (tower_fan_w > 0) out.tower_fan_s += dt, last.tower_fans_on_s = dt;
    if (dry_cooler_fan_w > 0) out.dry_cooler_fan_s += dt, last.dry_cooler_fans_on_s = dt;

    PowerRow row{};
    power_w = power;
    row[kCooling] = power;
    row[kUtility] = p.utility_w + power;
    rec.add(t0, t1, row, ItBreakdown{});

    // The CDUs carry the cold plates' heat and their pumps' shaft heat.
    update_temperatures(liquid_heat_w + thermal::pump_heat_to_fluid_w(cdu_pumps), loop, heat_to_plant_w, unmet_w, ts0, ts1);
  }

  CoolingOutcome finish() {
    facility_water_alarm.close(out.alarms);
    rack_inlet_alarm.close(out.alarms);
    capacity_alarm.close(out.alarms);
    std::sort(out.alarms.begin(), out.alarms.end(), [](const CoolingAlarm& x, const CoolingAlarm& y) {
      return x.start_s != y.start_s ? x.start_s < y.start_s : x.kind < y.kind;
    });
    out.stored_j = kRho * spec.facility_water.loop_volume_m3 * kCp * (facility_water_return_c - facility_water_return_start_c);
    const double lhs = out.heat_absorbed_j, rhs = out.heat_to_plant_j + out.stored_j;
    out.heat_balance_rel_error = std::abs(lhs - rhs) / std::max({std::abs(lhs), std::abs(rhs), 1e-300});
    return out;
  }
};

CoolingPlant::CoolingPlant(const Scenario& sc, const Facility& facility) : impl_(std::make_unique<Impl>(sc, facility)) {}
CoolingPlant::~CoolingPlant() = default;
void CoolingPlant::advance(SimTime t0, SimTime t1, const ProcessInput& in) { impl_->advance(t0, t1, in); }
void CoolingPlant::set_job_plans(const std::vector<JobPlan>& plans) {
  const Facility& f = impl_->facility;
  impl_->cohort_step_mean_w.assign(f.cohorts(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t c = 0; c < f.cohorts(); ++c) {
    const JobPlan& p = plans.at(static_cast<std::size_t>(f.cohort_job(static_cast<int>(c))));
    double e = 0, t = 0;
    for (const auto& ph : p.step) e += to_seconds(ph.duration) * ph.gpu_w, t += to_seconds(ph.duration);
    if (t > 0) impl_->cohort_step_mean_w[c] = e / t;
  }
}
double CoolingPlant::gpu_coolant_c(bool liquid) const { return liquid ? impl_->tcs_supply_c : impl_->rack_inlet_c; }
std::optional<double> CoolingPlant::feed_load_w() const { return impl_->power_w; }
const Recorder& CoolingPlant::recorder() const { return impl_->rec; }
const CoolingStep& CoolingPlant::last_step() const { return impl_->last; }
bool CoolingPlant::has_cdus() const { return impl_->design.cdus > 0; }
bool CoolingPlant::has_towers() const { return impl_->design.tower_cells > 0; }
bool CoolingPlant::has_dry_coolers() const { return impl_->design.dry_coolers > 0; }
bool CoolingPlant::has_air_side() const { return impl_->has_air_side(); }
CoolingOutcome CoolingPlant::finish() { return impl_->finish(); }

// Checkpoints: the plant's state (sizing comes from the scenario), one field list for both directions.
namespace {
template <class Ar, class Impl>
void plant_fields(Ar& a, Impl& m) {
  auto& o = m.out;
  for (auto* v : {&o.energy_j, &o.chiller_j, &o.tower_fan_j, &o.dry_cooler_fan_j, &o.pump_j, &o.cdu_pump_j, &o.crah_fan_j,
                  &o.facility_pump_j, &o.pump_fan_heat_j, &o.condenser_pump_heat_j,
                  &o.heat_absorbed_j, &o.heat_to_plant_j, &o.stored_j, &o.rejected_outdoors_j, &o.liquid_heat_j, &o.air_heat_j,
                  &o.water_kg, &o.free_full_s, &o.free_partial_s, &o.chiller_s, &o.chiller_outside_curve_s, &o.unconverged_solves,
                  &o.tower_outside_range_s,
                  &o.tower_fan_s, &o.dry_cooler_fan_s,
                  &o.max_facility_water_supply_c, &o.max_facility_water_return_c, &o.max_rack_inlet_c, &o.max_tcs_supply_c,
                  &m.facility_water_return_c, &m.facility_water_supply_c, &m.facility_water_return_start_c,
                  &m.cached_facility_water_supply_c, &m.cached_outdoor_wet_bulb_c, &m.cached_outdoor_dry_bulb_c,
                  &m.last_condenser_water_c, &m.outdoor_wet_bulb_c, &m.outdoor_dry_bulb_c,
                  &m.cached.heat_to_plant_w, &m.cached.chiller_w, &m.cached.tower_fan_w, &m.cached.dry_cooler_fan_w,
                  &m.cached.water_kg_s,
                  &m.cached.chiller_heat_w, &m.cached.unmet_w, &m.cached.condenser_water_c, &m.crah_heat_w,
                  &m.chiller_capacity, &m.cached_chiller_capacity})
    a.io(*v);
  for (auto& v : o.event_max_supply_c) a.io(v);  // sized from the scenario
  for (auto* b : {&m.started, &m.have_cache, &m.cached.outside_curve, &m.cached.tower_outside_range, &m.cached.converged, &m.facility_water_alarm.open,
                  &m.rack_inlet_alarm.open, &m.capacity_alarm.open})
    a.io(*b);
  a.io(m.cached.chillers_running);
  a.io(m.weather_minute);
  for (auto* f : {&m.failed_chillers, &m.failed_cdus, &m.failed_tower_cells, &m.failed_dry_coolers, &m.failed_crahs}) a.io(*f);
  for (auto* t : {&m.facility_water_alarm, &m.rack_inlet_alarm, &m.capacity_alarm}) alarm_fields(a, t->a);
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
  impl_->weather_minute = -1;  // re-sample the same minute: restores the pressure, not checkpointed
}

}  // namespace dctwin
