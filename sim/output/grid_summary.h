// The grid disturbances of a run (grid.events): evaluated after the engine on the event window
// (sim/facility/grid_response.h), with the loads the run had just before the first event, and
// summary.json's `grid_events`.
#pragma once
#include <optional>

#include "core/json_reader.h"
#include "sim/engine/recorder.h"
#include "sim/facility/grid_response.h"
#include "sim/input/scenario.h"
#include "sim/jobs/job_plan.h"
#include "sim/jobs/job_runner.h"

namespace dctwin {

class Facility;
struct CoolingOutcome;

// The response to the scenario's grid.events (nullopt without events). Loads: the last output bin
// that ends at or before the first event (the first bin for an event inside it; meter, cooling
// when modelled, IT), equipment from the facility; the window ends
// at the run's end (a load not back by then has time_to_restore_s null).
std::optional<GridResponse> run_grid_events(const Scenario& sc, const Facility& f, const Recorder& rec, double end_s);

// summary.json `grid_events`: one object per event (kind, at_s, load_before_mw, load_lost_mw,
// time_to_restore_s, ups_energy_mwh, generator_energy_mwh, recharge_peak_mw, jobs_interrupted,
// steps_lost, gpu_hours_lost, it_power_lost, it_power_back_after_s, first_cooling_alarm, ...).
// jobs_interrupted, steps_lost and gpu_hours_lost are the event's share of the jobs' power-loss
// failures (JobStats::power_losses of `stats`, the run with the failures injected; sim/run.h
// rerun_with_power_losses): the jobs it failed, their steps lost since the last checkpoint, and
// GPU-hours = GPUs x (steps lost x the uncapped step + time from the failure until the job steps
// or serves again, or until `end_s`) / 3600. `stats` null: not modelled (null).
// With `cooling` (the run's plant, which took the drive trips in): first_cooling_alarm is the
// first alarm whose interval starts from this event's trip to the next trip (or the run's end),
// max_facility_water_supply_c the warmest supply from at_s to the next event's at_s; both null
// with a note without a cooling object.
json grid_events_json(const Scenario& sc, const GridResponse& r, const CoolingOutcome* cooling,
                      const std::vector<JobStats>* stats = nullptr, const std::vector<JobPlan>* plans = nullptr,
                      double end_s = 0);

}  // namespace dctwin
