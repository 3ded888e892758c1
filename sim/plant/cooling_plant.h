// The cooling plant: a continuous process that carries the heat of the IT equipment out of the
// campus, and its electric power, water use and alarms (docs/design.md, "Continuous processes"; schema in
// docs/scenario.md, section "Cooling"; parameters in sim/input/cooling_spec.h).
//
//   racks --(capture fraction)--> cold plates -> CDUs (eps-NTU) --+
//        \--(rest)--------------> room air -> CRAHs (fans) -------> facility water loop (mass)
//   facility water loop -> water-side economizer (HX) -> chillers (DOE-2 EIR, staged)
//                       -> condenser water -> cooling towers (YorkCalc) / dry coolers -> outdoors
//
// Heat split: each rack sends capture(rack type) x its input power to liquid, the rest to air
// (sim/input/cooling_spec.h; per rack group of the facility graph, every step).
// Plant failures (cooling.failures): from at_s for duration_s, `count` units of a kind are out of
// service: chillers (staging runs on the rest), CDUs (the liquid heat is shared by the rest: the
// TCS supply rises), cooling-tower cells / dry coolers (fewer units reject the heat: approach and
// fan power rise), CRAHs (the rest carry the air heat at higher fan speed).
//
// Heat into the cooled space (a choice, stated in the summary): the IT power (rack inputs, which
// include node PSU losses, fans and rack equipment) plus the busway and UPS losses (busways run in
// the data hall; UPS rooms are cooled by the same chilled-water plant). Switchgear and transformer
// losses are not (transformers stand outdoors, switchgear rooms are ventilated): they reach the
// meter but not the plant. Liquid heat = capture fraction x IT power; all the rest goes to air.
//
// Each thermal step [t0, t1) with the facility power constant:
//   1. Q_in = IT + busway + UPS losses; Q_liq = f Q_it; Q_air = Q_in - Q_liq. The pumps and fans
//      of step 5 add Q_pf (pump_fan_heat_to_facility_water_w, sim/plant/plant_design.h): facility
//      water and CDU pump shaft power (0.9 x electric, EnergyPlus's default motor efficiency; the
//      motor losses go to the plant room), the CDU pumps' motor losses where CRAHs cool the hall,
//      and all CRAH fan power (motors in the air stream). Pumps run at constant flow and the CRAH
//      air flow follows the room's Q_air, so Q_pf depends on nothing the loop solves: no iteration.
//      The condenser water pumps' shaft power heats the condenser water (step 3's towers reject it).
//   2. Facility water loop: constant flow m (sized from the nameplate heat and design_delta_t_k)
//      through a well-mixed volume V (loop_volume_m3): the loads heat the supply water to
//      T_in = T_sup + (Q_in + Q_pf) / (m cp); the return T_ret follows dT_ret/dt = (T_in - T_ret) / tau with
//      tau = rho V / m, updated by the exact exponential (stable at any step). The heat handed to
//      the plant over the step is m cp integral(T_ret - T_sup) dt, integrated exactly, so
//      absorbed = handed to the plant + stored (rho V cp delta T_ret) to round-off. run_scenario
//      checks the system balance from the meter's own energies: (IT + busway + UPS) + Q_pf =
//      handed to the plant + stored, to 1e-6 (heat_balance_rel_error).
//      Initial condition: settled, T_ret(0) = T_sup + Q_settled / (m cp), with Q_settled the heat at
//      the starting jobs' step-mean GPU power (set_job_plans; a step of seconds is far shorter
//      than tau, so the loop sits at its mean), not at the first instant's phase.
//   3. Plant at the step's mean load and the current weather: the economizer (if enabled) takes the
//      free part (full / partial / none) at the condenser water temperature; the chillers (staged,
//      DOE-2 EIR at leaving chilled water = T_sup and entering condenser water = tower leaving)
//      take the rest; the towers (or dry coolers) reject free heat + chiller condenser heat, their
//      fans holding the leaving-water setpoint. The condenser temperature and the tower heat depend
//      on each other: they are iterated to a consistent point (fixed point, <= 12 rounds, 1e-3 K).
//      The economizer takes T_cw within that 1e-3 K of T_sup - approach as full free cooling: a
//      chiller load under m cp x 1e-3 K (3 kW on the default campus) is solver residue, not load.
//      The condenser water runs through the N duty tower cells only (standby cells get none);
//      time with the towers outside YorkCalc's fitted range is reported.
//      The operating point is re-solved when the load moves by more than 0.1 % or the weather
//      (sampled each simulated minute) or the supply temperature changes; in between the chiller
//      and heat-rejection fan power and the water use scale with the load.
//   4. If the plant cannot carry the load (unmet heat), the supply temperature of the next step
//      rises by unmet / (m cp) (one-step lag). It comes back only as far as the plant carries: the
//      plant solved at the setpoint for the step's heat plus m cp (T_sup - T_set) leaves the next
//      supply unmet' / (m cp) above the setpoint (none: at the setpoint).
//   5. Pumps run at constant flow (design power whenever there is heat); CRAH fans follow the fan
//      affinity law for the air flow carrying the heat their control sees at design_delta_t_k: Q_air
//      through a first-order lag (cooling.air.crah_time_constant_s, models/power/fan_control.h; its
//      exact mean over the step, starting settled with the loop), not each step's Q_air.
//   6. Cooling electric power is constant over the step and integrated exactly.
// Drive trips (grid.events; docs/design.md "Grid disturbances"): the cooling drives (chillers,
// pumps, tower and CRAH fans: not on UPS) are off over the intervals models/power/ride_through.h
// drive_off_intervals gives for the events' voltage; those depend on the voltage alone, so they are
// known before the run, and each engine piece is split at their edges (and at each event's start):
// a trip is resolved to the nanosecond whatever thermal_step_s is. While off, the plant draws no
// power and carries no heat; the loop's whole water (rho V, loop_volume_m3) takes the heat as one
// mass: supply and return rise together by Q dt / (rho V cp) (Q: the heat in the space; pump and
// fan heat is 0), the heat is stored (the balance holds: stored = rho V cp delta T_ret). A
// reduction: the hall air and the CRAH coils are not separate masses (with the fans stopped the
// air would warm faster than this), and the cold water still in the supply pipes is not credited.
// After the restart the pumps and fans run at once and the chillers' capacity ramps over
// drives.chiller_ramp_s (ride_through.h, an assumption); what they cannot carry raises the supply
// as in step 4.
// Alarms (deduplicated into intervals): facility water supply above its ASHRAE W class,
// rack inlet (= supply air = max(setpoint, T_sup + coil approach)) above the A class allowable
// limit, plant capacity exceeded.
#pragma once
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/power/ride_through.h"
#include "sim/plant/alarm_track.h"
#include "sim/plant/cooling_series.h"
#include "sim/input/cooling_spec.h"
#include "sim/engine/engine.h"
#include "sim/plant/gpu_thermal.h"
#include "sim/plant/plant_design.h"
#include "sim/jobs/job_plan.h"
#include "core/json_reader.h"

namespace dctwin {

// Largest relative heat-balance error accepted at the end of a run.
inline constexpr double kHeatBalanceTolerance = 1e-6;

struct CoolingOutcome {
  // Energies (J) and water (kg) over the run.
  double energy_j = 0, chiller_j = 0, tower_fan_j = 0, dry_cooler_fan_j = 0, pump_j = 0, cdu_pump_j = 0, crah_fan_j = 0;
  double facility_pump_j = 0;  // the facility water pumps' share of pump_j (the rest: condenser water pumps)
  // heat_absorbed_j: all heat into the facility water loop = heat in the space + pump_fan_heat_j
  // (pump_fan_heat_to_facility_water_w, sim/plant/plant_design.h).
  double heat_absorbed_j = 0, heat_to_plant_j = 0, stored_j = 0, rejected_outdoors_j = 0;
  double pump_fan_heat_j = 0, condenser_pump_heat_j = 0;
  double liquid_heat_j = 0, air_heat_j = 0;
  double water_kg = 0;
  double free_full_s = 0, free_partial_s = 0, chiller_s = 0, chiller_outside_curve_s = 0, unconverged_solves = 0;
  double tower_fan_s = 0, dry_cooler_fan_s = 0;  // time with those fans running
  double tower_outside_range_s = 0;  // time the towers ran outside YorkCalc's fitted range (cooling_tower.h)
  double max_facility_water_supply_c = 0, max_facility_water_return_c = 0, max_rack_inlet_c = 0, max_tcs_supply_c = 0;
  double capture_fraction = 0;
  PlantDesign design;  // sized from the nameplate heat: units installed, design flows
  std::string weather;
  std::vector<CoolingAlarm> alarms;
  double heat_balance_rel_error = 0;
  std::shared_ptr<const GpuThermalOutcome> gpu;  // when the scenario has cooling.gpu_thermal
  std::vector<PlantFailureSpec> failures;        // as configured (what-if)
  std::shared_ptr<const CoolingSeries> series;   // cooling.csv (sim/plant/cooling_series.h)
  // ASHRAE class limits the temperatures are checked against (NaN where the run has no such part).
  double facility_water_supply_limit_c = 0;
  double rack_inlet_limit_c = std::numeric_limits<double>::quiet_NaN();
  // Grid disturbances (grid.events): when the cooling drives were off, and per event the warmest
  // facility water supply from its at_s to the next event's (the run's end; NaN: not reached).
  std::vector<power::DriveOff> drive_off;
  std::vector<double> event_max_supply_c;
};

class CoolingPlant : public ContinuousProcess {
 public:
  CoolingPlant(const Scenario& sc, const Facility& facility);
  ~CoolingPlant() override;
  void advance(SimTime t0, SimTime t1, const ProcessInput& in) override;
  // The plant's electric power over the last advanced step, supplied at the utility feeds
  // (sim/facility/capacity.h): the feeds carry it on top of the power graph's load. A step split
  // at a drive trip's edges gives its highest part.
  std::optional<double> feed_load_w() const override;
  // The jobs' plans (plan_jobs): the loop then starts settled at the starting jobs' step-mean heat
  // instead of the first instant's (step 2).
  void set_job_plans(const std::vector<JobPlan>& plans);
  const Recorder& recorder() const;
  // The coolant GPUs see during the last advanced step: the technology cooling loop supply
  // (liquid; the facility water supply when the plant has no CDU) or the rack inlet air.
  double gpu_coolant_c(bool liquid) const;
  // What the plant did over the last advanced step (cooling.csv).
  const CoolingStep& last_step() const;
  bool has_cdus() const;
  bool has_towers() const;
  bool has_dry_coolers() const;
  bool has_air_side() const;
  CoolingOutcome finish();  // closes open alarms, computes the heat balance
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dctwin
