// One job through time: start (with an optional ramp), synchronous steps (with per-rack jitter
// and stragglers represented by cohorts of racks), checkpoints, failures with restart and reload
// from the last checkpoint, planned stop; inference services follow their request rate (a trace or
// the diurnal default) through the serving model (models/workload/llm_serving.h). Power
// smoothers, when configured, shape each cohort's GPU power. The engine asks each runner for the
// time of its next change, advances it there, and reads one JobState per cohort.
#pragma once
#include <limits>
#include <optional>
#include <vector>

#include "models/power/power_lag.h"
#include "models/power/power_smoothing.h"
#include "sim/jobs/job_plan.h"
#include "core/rng.h"
#include "sim/engine/checkpoint.h"

namespace dctwin {

inline constexpr SimTime kNever = std::numeric_limits<SimTime>::max();

// A loss of supply to (some of) a job's racks, from a grid event (sim/jobs/it_power_loss.h):
// from `off` until `on` (kNever: not within the run) the racks are without power.
struct PowerLoss {
  SimTime off = 0;
  SimTime on = kNever;
  int event = -1;  // index into grid.events
};

// What a power loss did to a job: `failed` when it was stepping, checkpointing or serving then
// (a job already restarting only waits longer); `steps_lost` since its last checkpoint; `back_s`
// when it was stepping (after reload) or serving again, none: not within the run.
struct PowerLossHit {
  int event = -1;
  double off_s = 0;
  std::optional<double> back_s;
  std::int64_t steps_lost = 0;
  bool failed = false;
};

struct JobStats {
  std::int64_t steps_completed = 0;  // all steps finished, including those later lost
  std::int64_t steps_lost = 0;       // recomputed after failures
  std::int64_t failures = 0;
  std::int64_t checkpoints = 0;
  double allocated_s = 0;            // time between start and stop (or the end of the run)
  double stepping_s = 0;             // time spent in steps (including waits for the slowest cohort)
  double mitigation_energy_j = 0;    // GPU energy above demand from smoothing (floor, slow ramps)
  double output_tokens = 0;          // inference: output tokens served
  double serving_energy_j = 0;       // inference: energy of the job's running GPUs while serving
  std::vector<double> failure_times_s;
  std::vector<double> checkpoint_times_s;
  std::vector<PowerLossHit> power_losses;  // grid events' losses of supply (not in checkpoints: see set_power_losses)
  // Progress in seconds of the uncapped step (JobPlan::uncapped_period): a power cap or thermal
  // throttling that lengthens the steps lowers it against the time allocated.
  double useful_s(SimTime period) const {
    return static_cast<double>(steps_completed - steps_lost) * to_seconds(period);
  }
};

class JobRunner {
 public:
  JobRunner(const JobSpec& spec, const JobPlan& plan, SimTime end, std::uint64_t seed);

  SimTime next_time() const;
  // The earliest time cohort `cohort`'s state can change (<= next_time(); kNever: none), leaving
  // out a coming power loss (set_power_losses: the loads before it stay those of the run without it).
  SimTime next_time(std::size_t cohort) const;
  // Processes every change due at t (t == next_time()); may leave more due at the same t.
  void advance(SimTime t);
  // Adds the interval [a, b) at the current state to the statistics.
  void accumulate(SimTime a, SimTime b);
  const std::vector<JobState>& states() const { return states_; }
  // The cohorts whose state the last advance() changed (bit for bit; every cohort at the first).
  const std::vector<std::size_t>& changed() const { return changed_; }
  // Thermal throttling (GPU junction feedback): per cohort (cohorts() entries from `cap_w`), the
  // highest GPU power its temperature allows now, +inf for none. Takes effect at the next compute
  // phase: a capped cohort computes at the capped power for longer (power::apply_power_cap with
  // `dvfs_exponent`; a cap at or below idle power acts as idle + 1 % of the dynamic range), and the
  // job's step waits for its slowest cohort.
  void set_thermal_caps(const double* cap_w, double dvfs_exponent);
  const JobStats& stats() const { return stats_; }
  // Forced failures from losses of supply (time order), before the run starts. At `off` a job that
  // is stepping, checkpointing or serving fails through the failure path (steps since the last
  // checkpoint lost); its GPUs draw 0 W until `on`; its restart (restart_s, then reload_s for
  // training; none for a job without `failures`) begins at `on`. A job not yet started or already
  // stopped at `off` is not touched. Runs with losses are not checkpointed (the losses and their
  // state are not in the checkpoint bytes).
  void set_power_losses(std::vector<PowerLoss> losses) { losses_ = std::move(losses); }
  // Checkpoints (sim/engine/checkpoint.h): the mutable state; spec, plan and times come from the scenario.
  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r);
  template <class Ar, class Self>
  static void fields(Ar& a, Self& s);  // the checkpointed members, once for both directions

 private:
  enum class Mode { Pending, Stepping, Checkpointing, Restarting, Reloading, Serving, Done };
  void start_phase(SimTime t);
  void start_step(SimTime t);
  void serve(SimTime t);
  void schedule_failure(SimTime t);
  double demand_w(std::size_t cohort, SimTime t) const;
  power::GpuPhase phase_of(std::size_t cohort, SimTime t) const;
  // `all`: every cohort counts as changed; `only_ends`: only cohort ends are due at t.
  void refresh(SimTime t, bool all, bool only_ends);
  void index_ends();  // ends_ from cohort_end_ (after every change of it)
  void lose_power(SimTime t, const PowerLoss& l);
  void back_to_work(SimTime t);
  SimTime next_power_change() const;
  double restart_s() const { return spec_.failures ? spec_.failures->restart_s : 0.0; }
  double reload_s() const { return spec_.failures ? spec_.failures->reload_s : 0.0; }

  const JobSpec& spec_;
  const JobPlan& plan_;
  SimTime end_;
  SimTime start_, stop_;
  Mode mode_ = Mode::Pending;
  std::size_t phase_ = 0;
  SimTime now_ = -1;            // time of the last advance()
  SimTime mode_end_ = kNever;  // end of the current phase / checkpoint / restart / reload / update
  std::vector<SimTime> cohort_end_;  // jittered compute phase: when each cohort is done
  std::vector<std::pair<SimTime, std::size_t>> ends_;  // (cohort_end_, cohort), sorted
  static constexpr std::size_t kNoCohort = std::numeric_limits<std::size_t>::max();
  SimTime last_checkpoint_ = 0;
  std::int64_t steps_at_checkpoint_ = 0;
  SimTime next_failure_ = kNever;
  SimTime ramp_tick_ = kNever;
  int ramp_k_ = 0;
  static constexpr int kRampTicks = 20;
  double inference_w_ = 0;
  double tokens_per_gpu_s_ = 0;  // inference: output tokens served per GPU and second now
  std::vector<double> thermal_cap_w_;   // per cohort, +inf: none
  std::vector<double> phase_power_w_;   // per cohort in the current compute phase (NaN: the plan's)
  double dvfs_exponent_ = 3;
  std::vector<power::PowerSmoother> smoothers_;  // one per cohort, or none
  std::vector<power::PowerLag> lags_;            // one per cohort when the GPU profile has lags
  RngStream failure_rng_, jitter_rng_;
  std::vector<JobState> states_;
  std::vector<std::size_t> changed_;  // of the last advance() (not state: a resumed run's first event compares all)
  JobStats stats_;
  std::vector<PowerLoss> losses_;  // set_power_losses
  std::size_t loss_i_ = 0;         // the next loss to happen
  bool unpowered_ = false;
  SimTime power_on_ = kNever;      // while unpowered_: when the supply is back
};

// Checkpoints of job states, field by field (a flag and a phase are checked when read back).
void save_job_states(CheckpointWriter& w, const std::vector<JobState>& states);
void load_job_states(CheckpointReader& r, std::vector<JobState>& states);  // sizes must match

}  // namespace dctwin
