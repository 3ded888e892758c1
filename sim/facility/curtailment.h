// Curtailment events (grid.curtailments) answered by the flexibility strategies, as a reduced
// evaluation over the run's recorded series (like the grid events of grid_response.h):
//
//  - reference: the mean meter power (kUtility, the load before any facility battery) over the
//    output intervals of the 60 s before notice (at least one interval; fewer at the run's start),
//    so that one phase of a training step does not set it; asked = reference * reduce_pct / 100, or
//    reference - target_mw.
//  - the window's steady state: every job active over the whole window at its step-mean GPU power
//    from its plan (training) or at the GPU power the run recorded for it (inference: the recorded
//    GPU power minus the other GPUs' planned power); Facility::evaluate gives the meter power of that
//    state and of each curtailed state, so PSU, distribution losses and idle components follow
//    exactly. The cooling plant's power (when modelled) is scaled with the IT power over the window
//    (assumption: plant power proportional to the heat it removes; its fixed part is ignored).
//  - strategies in the scenario's order, each sized to what the ones before it left at the worst
//    interval of the window: facility_battery (per interval, up to its power and the energy above
//    its minimum state of charge at notice), power_cap (one cap, as a fraction of TDP, for every
//    training job, the step slowed by the DVFS curve of models/power/power_cap.h), defer (deferrable
//    jobs stop for the window, their work runs after it), checkpoint_pause (jobs with a checkpoint
//    take one within the notice, then idle: no step lost; when the notice is shorter than the
//    checkpoint the pause starts late), inference_shed (a fraction of the inference load dropped).
//  - curtailed meter = recorded meter - reductions, per output interval of the window; the rebound
//    after the window is the recorded meter plus the battery recharging at up to its power.
// Not modelled: a job partly inside the window, the facility battery's ramp holding during the
// event, the jobs' own start ramps on resuming.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sim/engine/recorder.h"
#include "sim/facility/facility.h"
#include "sim/jobs/job_plan.h"

namespace dctwin {

struct StorageSeries;

struct StrategyUse {
  FlexStrategy strategy = FlexStrategy::FacilityBattery;
  double reduction_w = 0;   // mean meter reduction over the window
  double delay_s = 0;       // from the window's start until it acts
  double goodput_lost_gpu_h = 0;
  double energy_shifted_j = 0;  // energy of the window moved after it (battery recharge, paused or deferred work)
  std::optional<double> cap_fraction;  // power_cap: the cap as a fraction of TDP
  std::optional<double> shed_fraction;  // inference_shed
  std::vector<std::string> jobs;        // defer / checkpoint_pause: the jobs stopped
};

struct CurtailmentResult {
  CurtailmentSpec spec;
  double reference_w = 0, asked_w = 0, achieved_w = 0;
  bool held = false;
  std::optional<double> time_to_target_s;  // none: never reached
  std::vector<StrategyUse> used;
  double goodput_lost_gpu_h = 0, energy_shifted_j = 0;
  double extra_energy_j = 0;               // energy after the window for work slowed or moved (recharge losses included)
  std::optional<double> rebound_peak_w;    // none: the window reaches the end of the run
  std::vector<double> curtailed_w;         // meter per output interval of the window
  double balance_rel_error = 0;
};

// Every curtailment of `sc` (empty when none). `storage` is the facility battery's run (or null).
std::vector<CurtailmentResult> simulate_curtailments(const Scenario& sc, const Facility& facility, const std::vector<JobPlan>& plans,
                                                     const Recorder& rec, const StorageSeries* storage);
// One event (the scenario's own curtailments are not read; its flexibility and storage are).
CurtailmentResult simulate_curtailment(const Scenario& sc, const Facility& facility, const std::vector<JobPlan>& plans,
                                       const Recorder& rec, const StorageSeries* storage, const CurtailmentSpec& c);
// summary.json's "curtailments": null without events.
json curtailments_json(const std::vector<CurtailmentResult>& r);

}  // namespace dctwin
