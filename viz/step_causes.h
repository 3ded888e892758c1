// What caused a step in a run's power: the job events that summary.json's jobs[] lists.
#pragma once
#include <string>

#include "core/json_reader.h"

namespace dctwin::viz {

// The cause of a power step at t_s (seconds since the start of the run) from summary.json's
// jobs[]: "job start: NAME", "job stop: NAME", "job failure: NAME", "checkpoint: NAME" (when the
// job lists checkpoint_times_s), "step phase change: NAME" (a training job's phase boundary, while
// its schedule is known: before its first failure or checkpoint), joined with "; " when several
// match within tol_s; "unattributed" otherwise.
std::string step_cause(const json& jobs, double t_s, double tol_s);

}  // namespace dctwin::viz
