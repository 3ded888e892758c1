// Fan control of the nodes in jobs (models/power/fan_control.h): per cohort, the heat its node fans
// see follows the cohort's mean node heat through a first-order lag with the node type's
// `fans.time_constant_s`. The lag keeps the two inputs the heat is linear in (power::server_heat_w):
// the GPU power per GPU (leakage included, active and idle nodes averaged) and the share of nodes
// whose components are active. Both are integrated exactly over the pieces their input is constant
// on; over each piece the cohort's JobState holds their exact mean (fan_gpu_w, fan_active), so the
// fans' power over a piece is the fan law at the mean lagged heat (the cube of a mean, not the mean
// of the cube: the difference is second order in the lag's change over the piece).
//
// Pieces, per cohort: a cohort's piece starts when its lag input changes (its state changed at one
// of its job's events, or the junction feedback moved its leakage) and ends at the cohort's own next
// possible change (JobRunner::next_time(cohort)), the next feedback step (`horizon` of update(),
// only with GPU leakage modelled: nothing else there changes a lag's input) or the run's end,
// and, while the lag has not settled, at least every tau / 4 (fan ticks: a stopped job's fans
// coast down with no job event). Another cohort's event does not end it: a job event
// that leaves a cohort's state as it was leaves its piece and held mean as they were, so an event
// re-evaluates only the racks of the cohorts it changed. A lag within 1 mW per GPU and 1e-6 of its
// input is settled: it takes the input, its mean is the input whatever the piece's length, and
// its piece lasts until its input changes.
// Reductions: every node of a cohort sees the cohort's mean node heat (exact when all its nodes
// are alike, i.e. outside a start ramp, where active and idle nodes of one cohort differ); a cohort
// spanning node types takes the time constant of the type holding most of its GPUs. The lag starts
// settled: a cohort running a training step at t = 0 at the step's mean GPU power (its plan), any
// other at its first state.
// Nodes in no job hold one state all run: their fans need no lag. With every time constant 0 nothing
// is kept and the JobStates' fan fields stay NaN (each node's own heat at once, as before).
#pragma once
#include <vector>

#include "sim/engine/checkpoint.h"
#include "sim/engine/event_queue.h"
#include "sim/facility/facility.h"
#include "sim/jobs/job_plan.h"
#include "sim/jobs/job_runner.h"

namespace dctwin {

class FanLag {
 public:
  FanLag(const Scenario& sc, const Facility& facility, const std::vector<JobPlan>& plans, SimTime end);
  bool enabled() const { return enabled_; }
  // Earliest fan tick (kNever: none).
  SimTime next_time() const { return next_; }
  // The jobs whose cohorts' states changed at t (events or leakage), for the next update(): every
  // cohort of a touched job is looked at (its held fan inputs are written back into its state).
  void touch(int job) { touched_[static_cast<std::size_t>(job)] = 1; }
  void touch_all();
  // One cohort whose state changed at t (the engine's events: only the cohorts a job event changed,
  // with the fan fields of the others left in place): update() looks at it and at the cohorts of its
  // job whose piece ends at t, not at the rest.
  void touch_cohort(std::size_t cohort);
  // At t, for the cohorts of every touched job and of every job with a fan tick at t: a cohort
  // whose lag input changed or whose piece ends at t moves its lag to t with its old input, takes
  // its current state as the new input and starts a piece (ending no later than `horizon`: kNever,
  // or the next feedback step); every such cohort's state gets its piece's held fan inputs (a job
  // event's copy of the runner's states overwrote them). True when a held input changed.
  // `changed` (may be null) gets the cohorts whose held inputs changed.
  bool update(SimTime t, SimTime horizon, const std::vector<JobRunner>& runners, std::vector<JobState>& state,
              std::vector<std::size_t>* changed = nullptr);
  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r, SimTime t_prev);  // fan ticks must lie after t_prev

 private:
  struct Lag {
    double tau_s = 0;
    double idle_w = 0;       // the profile's idle GPU power
    double start_gpu_w = 0;  // NaN: no training step (start at the first state)
    int profile = -1;
    bool started = false;
    SimTime t = 0;            // time the lag was last moved to (its piece's start)
    SimTime end = kNever;     // its piece's end (kNever: settled, or not started)
    double y_gpu = 0, y_act = 0, x_gpu = 0, x_act = 0;
    double held_gpu = 0, held_act = 0;  // the piece's means (JobState::fan_gpu_w, fan_active)
  };
  void inputs(const Lag& l, const JobState& s, bool at_start, double& gpu, double& act) const;
  // Moves cohort c's lag to t (a new piece when its input changed or its piece ends at t); true
  // when its held inputs changed. `job_next` takes the end of its piece.
  bool step(std::size_t c, std::size_t j, int k, SimTime t, SimTime horizon, const std::vector<JobRunner>& runners,
            std::vector<JobState>& state, SimTime& job_next);
  const Scenario& sc_;
  const Facility& f_;
  bool enabled_ = false;
  bool leakage_ = false;  // GPU junction leakage fed back: pieces end at the feedback steps
  std::vector<Lag> lags_;           // per cohort
  std::vector<SimTime> tick_;       // per job: its cohorts' earliest piece end (kNever: none)
  std::vector<char> touched_;                // per job: every cohort
  std::vector<char> cohort_touched_;         // per cohort (touch_cohort)
  std::vector<std::vector<std::size_t>> touched_cohorts_;  // per job: the cohorts touch_cohort named
  // Per job: a min-heap of (piece end, cohort), pushed whenever a cohort's piece end is set; an
  // entry whose end is no longer its cohort's is stale and dropped when met. With it an event looks
  // at the cohorts whose pieces end, not at all of its job's (thousands of racks in per-rack mode).
  std::vector<EventQueue<std::size_t>> due_;
  std::vector<char> all_started_;    // per job: every cohort with a lag has started (the heap is complete)
  std::vector<std::size_t> due_now_;  // scratch of update()
  void push_due(std::size_t j, std::size_t c);
  SimTime first_due(std::size_t j);  // the earliest valid piece end of job j (stale tops dropped)
  void rebuild_due(std::size_t j);    // job j's heap from its lags (and all_started_[j])
  SimTime end_;
  SimTime next_ = kNever;
};

}  // namespace dctwin
