// Fan control of the nodes in jobs (models/power/fan_control.h): per cohort, the heat its node fans
// see follows the cohort's mean node heat through a first-order lag with the node type's
// `fans.time_constant_s`. The lag keeps the two inputs the heat is linear in (power::server_heat_w):
// the GPU power per GPU (leakage included, active and idle nodes averaged) and the share of nodes
// whose components are active. Both are integrated exactly over the pieces their input is constant
// on; over each piece the cohort's JobState holds their exact mean (fan_gpu_w, fan_active), so the
// fans' power over a piece is the fan law at the mean lagged heat (the cube of a mean, not the mean
// of the cube: the difference is second order in the lag's change over the piece).
//
// Pieces: a job's pieces end at its own next event (JobRunner::next_time) or the run's end, when the junction
// feedback moves the leakage, and, while a cohort's lag has not settled, at least every tau / 4
// (fan ticks: a stopped job's fans coast down with no job event). A lag within 1 mW per GPU and 1e-6
// of its input is settled: it takes the input, and the job needs no more fan ticks.
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
  // The jobs whose cohorts' states changed at t (events or leakage), for the next update().
  void touch(int job) { touched_[static_cast<std::size_t>(job)] = 1; }
  void touch_all();
  // At t: the lag of every touched job, and of every job with a fan tick at t, moves to t with its
  // old input and takes its cohorts' current states as the new input; their states get the held
  // fan inputs up to their piece's end. True when a state changed.
  bool update(SimTime t, const std::vector<JobRunner>& runners, std::vector<JobState>& state);
  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r, SimTime t_prev);  // fan ticks must lie after t_prev

 private:
  struct Lag {
    double tau_s = 0;
    double idle_w = 0;       // the profile's idle GPU power
    double start_gpu_w = 0;  // NaN: no training step (start at the first state)
    int profile = -1;
    bool started = false;
    SimTime t = 0;            // time the lag was last moved to
    double y_gpu = 0, y_act = 0, x_gpu = 0, x_act = 0;
  };
  void inputs(const Lag& l, const JobState& s, bool at_start, double& gpu, double& act) const;
  const Scenario& sc_;
  const Facility& f_;
  bool enabled_ = false;
  std::vector<Lag> lags_;           // per cohort
  std::vector<SimTime> tick_;       // per job: next fan tick (kNever: none)
  std::vector<char> touched_;
  SimTime end_;
  SimTime next_ = kNever;
};

}  // namespace dctwin
