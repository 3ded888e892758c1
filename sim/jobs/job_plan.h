// Job plans: what each job's GPUs draw in each phase and for how long, derived once before the
// run from the scenario (explicit step phases, or a training model and the network), the GPU
// profile and the job's power cap.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "models/workload/training_step.h"
#include "sim/engine/event_queue.h"
#include "sim/facility/facility.h"

namespace dctwin {

struct PlannedPhase {
  power::GpuPhase phase = power::GpuPhase::Compute;
  SimTime duration = 0;
  double gpu_w = 0;  // per GPU, after the power cap
  // A pipelined job's forward-backward span mixes busy stages and staggered bubbles
  // (workload::pipeline_span_w): busy_w is the busy stages' power (after the cap) and busy_share
  // the busy fraction of the span; gpu_w is their mean with wait_w. 1 and gpu_w otherwise.
  double busy_w = 0;
  double busy_share = 1;
};

struct JobPlan {
  int profile = -1;
  std::int64_t gpus = 0;
  std::int64_t nodes = 0;
  std::vector<PlannedPhase> step;  // empty for inference jobs
  SimTime period = 0;
  SimTime uncapped_period = 0;  // the step without the power cap's slowdown (goodput counts against it)
  double idle_w = 0;        // per GPU
  double checkpoint_w = 0;  // per GPU, after the cap
  double tdp_w = 0;
  double tau_rise_s = 0, tau_fall_s = 0;  // the profile's power lags (0: none)
  double busy_w = 0;        // inference: per GPU fully busy (the compute phase power, after the cap)
  double compute_slowdown = 1;  // from the power cap (DVFS)
  // Model-described jobs: the derivation.
  std::optional<workload::StepTimes> model_times;
  double dp_allreduce_s = 0;
  double pp_comm_s = 0;
  std::string comm_method;  // "simgrid" (DP all-reduce timed with SimGrid), or why none
  int dp = 0;
  double wait_w = 0;          // per GPU waiting for the slowest cohort (communication power, capped)
  std::int64_t racks = 0;     // racks the job spans (jitter: the maximum is over these)
  std::vector<std::int64_t> cohort_gpus;  // GPUs per cohort
};

// Throws InputError for inconsistent jobs (e.g. tensor x pipeline parallel not dividing the GPUs).
std::vector<JobPlan> plan_jobs(const Scenario& sc, const Facility& facility);

}  // namespace dctwin
