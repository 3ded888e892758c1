// GPU junction temperatures of every cohort of every job (docs/design.md: Cohorts, GPU power model), coupled
// both ways to the run: a continuous process that follows each cohort's GPU power and the coolant
// its racks get from the cooling plant, and an engine feedback that hands back leakage power and
// thermal throttling limits (models/thermal/gpu_junction.h has the equations).
//
// Reduced model, stated: one junction temperature per cohort (a cohort = the racks of a job that
// share a step timeline; all its GPUs draw the cohort's mean GPU power, so GPUs left idle by a
// start ramp share the temperature of the running ones); the coolant is the technology cooling
// loop supply for cohorts in racks with liquid capture > 0 (GPUs on cold plates), the rack inlet
// air otherwise; junction temperatures of GPUs outside jobs are not tracked.
//
// Initial state: the steady junction temperature at idle power and the first step's coolant
// (the GPUs idle before the run starts).
// Over each piece [t0, t1) of constant power (pieces never cross a thermal step boundary):
// T <- T* + (T - T*) exp(-dt/tau), T* = T_coolant + R (P_cohort + dL(T_b)), with the leakage dL
// evaluated at T_b, the junction temperature at the last thermal step boundary (the model's
// explicit-leakage update, gpu_junction_step_c, applied per thermal step; the lag is exact within
// it). When the thermal step is a whole number of output steps, T = U + V is integrated instead:
// V (the coolant through the lag) at every piece, U (the cohort's own heat) over each span between
// the cohort's own changes; the same temperatures up to rounding, maxima taken at the cohort's
// changes and the step's ends (docs/design.md, "Junction spans"; cohorts near a threshold are
// stepped at every piece). At each step
// boundary (EngineFeedback::update):
//   leakage: dL(T) per GPU rounded to a multiple of power_tolerance_w, handed to the engine when
//            that value changes (the facility power is then re-evaluated; the rounding error is at
//            most half the tolerance per GPU, and the energy balance holds exactly for the power
//            that was used);
//   throttle: engages when T reaches throttle_c; the cap is then P_lim at the current coolant
//            temperature (the profile power that holds throttle_c in steady state), applied by
//            the job from its next compute phase; it is released when P_lim allows the profile's
//            full compute power again (the coolant cooled down). A reduced, conservative model:
//            the real controller trims clocks in ms steps and, under a training step's duty cycle
//            (compute then communication), settles at a higher clock than the steady-state hold,
//            so throttled hours and slowdowns here are upper bounds.
// Alarms: "gpu_junction_above_limit" (T > limit_c) and "gpu_thermal_throttling", per cohort.
// Thermal runaway (models/thermal/gpu_junction.h, exact criterion): after each piece, a cohort whose
// junction temperature is past the point of no return (above the runaway point T*, where
// R dL/dT = 1, and still heating at the GPU's idle power and the current coolant: no throttling can
// hold it) ends the run: the outcome's `runaway` says where and when, a "gpu_thermal_runaway"
// alarm is raised, and halted() stops the engine at the next event boundary (results cover the
// time up to there; beyond it leakage grows without bound and the model has no answer).
// Up front, each cohort's critical coolant temperature at its compute-phase power is reported; a
// cohort with no idle steady state at the first step's coolant (the GPUs could not even idle
// there) is a runaway at the first step, with no junction temperature.

#pragma once
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/plant/alarm_track.h"
#include "sim/input/cooling_spec.h"
#include "sim/engine/engine.h"

namespace dctwin {

struct CohortThermal {
  std::string name;       // "job train cohort 2"
  std::string rack_type;
  std::string cooling;    // "liquid" (cold plate on the TCS loop) or "air" (rack inlet air)
  std::int64_t gpus = 0;
  double r_th_k_w = 0;
  double max_junction_c = std::numeric_limits<double>::quiet_NaN();  // NaN: never computed
  double throttled_s = 0;  // time with the throttle engaged while the job ran
  // T_c,crit at the compute-phase power: coolant above it has no steady junction temperature at
  // full power (runs away unless throttled); +inf without leakage.
  double runaway_coolant_c = 0;
};

// Where and when a cohort's junction temperature escaped (models/thermal/gpu_junction.h).
struct ThermalRunaway {
  std::string cohort;          // as CohortThermal::name
  double t_s = 0;              // end of the thermal piece where it was detected
  double junction_c = 0;       // junction temperature then; NaN: no idle steady state to start from
  double coolant_c = 0;        // coolant the cohort's GPUs saw
  double runaway_point_c = 0;  // T*: R dL/dT = 1 there
  double r_dl_dt = 0;          // R dL/dT at junction_c (> 1; NaN with junction_c)
  std::string reason;
};

struct GpuThermalOutcome {
  double max_junction_c = std::numeric_limits<double>::quiet_NaN();  // NaN: never computed
  double throttled_gpu_s = 0;   // sum over cohorts of GPUs x throttled time
  double leakage_energy_j = 0;  // leakage above the profiles' reference, as drawn (can be < 0)
  std::vector<CohortThermal> cohorts;
  std::vector<CoolingAlarm> alarms;
  std::optional<ThermalRunaway> runaway;  // the first cohort that ran away; the run stopped there
};

class GpuThermal : public ContinuousProcess, public EngineFeedback {
 public:
  // `coolant_c(liquid)`: the coolant temperature GPUs on cold plates (true) or in air (false) see now.
  GpuThermal(const Scenario& sc, const Facility& facility, const CoolingSpec& cooling, std::function<double(bool)> coolant_c);
  ~GpuThermal() override;
  void advance(SimTime t0, SimTime t1, const ProcessInput& in) override;
  bool update(SimTime t, std::vector<double>& leak_w, std::vector<double>& cap_w) override;
  bool halted() const override;  // a cohort ran away (GpuThermalOutcome::runaway)
  GpuThermalOutcome finish();
  // The highest junction temperature of any cohort over the last advanced step (NaN: no cohort).
  double last_max_junction_c() const;
  // GPUs with the thermal throttle engaged while their job ran, over the last advanced step.
  double last_throttled_gpus() const;
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dctwin
