// The engine: discrete events (job start and stop, step-phase changes) in a deterministic queue,
// piecewise-constant power between events, integrated exactly by the recorder; continuous
// processes (thermal state) advance at a fixed step between events with the power held constant
// over each piece. Rack energy storage (sim/facility/rack_storage.h), when a rack type has it, steps its
// controller on its own control grid and changes the rack powers the facility evaluation sees.
// Node fans follow the fan control's lagged heat (sim/engine/fan_lag.h): the lag moves at each
// job's events and, while it settles, at fan ticks every time constant / 4. Racks that a grid
// event leaves without supply (EngineOptions::rack_outages) draw nothing over their intervals.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <atomic>
#include <string>

#include "sim/facility/capacity.h"
#include "sim/engine/checkpoint.h"
#include "sim/facility/facility.h"
#include "sim/jobs/job_plan.h"
#include "sim/jobs/job_runner.h"
#include "sim/engine/rack_series.h"
#include "sim/facility/rack_storage.h"
#include "sim/engine/recorder.h"

namespace dctwin {

// What a continuous process sees over a piece [t0, t1): all of it constant.
struct ProcessInput {
  const FacilityPower& power;
  const std::vector<JobState>& cohorts;    // one per cohort (Facility::first_cohort)
  const std::vector<double>& unit_load_w;  // per-unit output load of every vertex (Facility::evaluate)
  // The cohorts whose state may differ from that of the process's previous advance() (a superset;
  // may repeat one); nullptr: any may (the first piece, the first after a resume).
  const std::vector<std::size_t>* changed_cohorts = nullptr;
};

class ContinuousProcess {
 public:
  virtual ~ContinuousProcess() = default;
  // Advance state over [t0, t1) with the inputs constant; t1 - t0 <= the fixed step.
  virtual void advance(SimTime t0, SimTime t1, const ProcessInput& in) = 0;
  // Electric power the process drew over the piece it last advanced, supplied at the utility feeds
  // (the cooling plant); nullopt for a process that draws none. The engine adds it to the load of
  // the elements upstream of that supply at the same instant (CapacityTracker::observe_feeds).
  virtual std::optional<double> feed_load_w() const { return std::nullopt; }
  // Checkpoints (sim/engine/checkpoint.h): every piece of state that advance() changes.
  virtual void save(CheckpointWriter&) const { throw CheckpointError("a process that can be checkpointed", "one that cannot"); }
  virtual void load(CheckpointReader&) { throw CheckpointError("a process that can be checkpointed", "one that cannot"); }
};

// Feedback from continuous state onto the jobs (GPU junction temperatures: leakage, throttling).
// With one set, the engine stops at every continuous-step boundary t (after the processes reached
// t) and asks for the current per-cohort GPU leakage (W per GPU, added to the cohort's GPU power)
// and thermal power limits (W per GPU, +inf when none; JobRunner::set_thermal_caps). It returns
// true when the leakage moved enough that the facility power must be re-evaluated.
class EngineFeedback {
 public:
  virtual ~EngineFeedback() = default;
  virtual bool update(SimTime t, std::vector<double>& leak_w, std::vector<double>& cap_w) = 0;
  // True once the continuous state has left what can be simulated (GPU thermal runaway): the run
  // stops at the next event boundary like EngineOptions::stop, without a checkpoint, and returns
  // results up to there (EngineResult::partial and ::halted).
  virtual bool halted() const { return false; }
};

struct EngineOptions {
  SimTime continuous_step = kNsPerS;  // fixed step of continuous processes (1 s default)
  std::vector<ContinuousProcess*> processes;
  EngineFeedback* feedback = nullptr;
  double dvfs_exponent = 3;  // clock slowdown of thermally capped compute phases
  std::function<void(double fraction)> progress;  // called about every 1 % of simulated time
  // Checkpoints: at the first event boundary at or after every `checkpoint_every` of simulated
  // time (0: never), `checkpoint` gets the engine state (sim/engine/checkpoint.h) and the time reached.
  SimTime checkpoint_every = 0;
  std::function<void(const std::string& state, SimTime t)> checkpoint;
  // Continue from a state `checkpoint` was given (same scenario); nullptr: start at 0.
  const std::string* resume_state = nullptr;
  // Polled at every event boundary; when set, the run stops there, hands that state to
  // `checkpoint` (when set) and returns results up to that time (EngineResult::partial).
  const std::atomic<bool>* stop = nullptr;
  // The jobs' plans when the caller already has them (plan_jobs(sc, facility)); nullptr: worked out here.
  const std::vector<JobPlan>* plans = nullptr;
  // Losses of supply per job (JobRunner::set_power_losses; sim/jobs/it_power_loss.h); nullptr: none.
  // Not together with checkpoint or resume_state (the losses' state is not in the checkpoint).
  const std::vector<std::vector<PowerLoss>>* power_losses = nullptr;
  // Racks without supply (sim/jobs/it_power_loss.h rack_outages): from `off` to `on` the racks draw
  // nothing (FacilityEvaluator::set_rack_unpowered); nullptr: every rack powered. Not together with
  // checkpoint or resume_state.
  const std::vector<RackOutage>* rack_outages = nullptr;
};

struct EngineStats {
  std::uint64_t events = 0;
  std::uint64_t evaluations = 0;  // facility evaluations computed (not served from the cache)
};

struct CoolingOutcome;  // sim/plant/cooling_plant.h

struct EngineResult {
  Recorder recorder;
  std::vector<CapacityEntry> capacity;
  EngineStats stats;
  std::vector<JobPlan> plans;
  std::vector<JobStats> job_stats;
  std::shared_ptr<const CoolingOutcome> cooling = nullptr;
  std::shared_ptr<RackSeries> racks;  // per-rack-group min/mean/max power per interval  // set by run_engine_cooled when cooling is modelled
  bool partial = false;                // stopped early (EngineOptions::stop): results cover [0, simulated_to)
  bool halted = false;                 // stopped early by EngineFeedback::halted (then partial too)
  SimTime simulated_to = 0;
  std::shared_ptr<const RackStorageOutcome> rack_storage = nullptr;  // when a rack type has storage
};

EngineResult run_engine(const Scenario& sc, const Facility& facility, const EngineOptions& options = {});

}  // namespace dctwin
