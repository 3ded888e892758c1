// The step causes a utility report names (viz/step_causes.h): job starts, stops, failures,
// checkpoints and a training step's phase boundaries from summary.json's jobs[].
#include <doctest/doctest.h>

#include "viz/step_causes.h"

using namespace dctwin;
using namespace dctwin::viz;

TEST_CASE("report html: step causes from jobs[]") {
  const json jobs = json::parse(R"([
    {"name": "a", "kind": "training", "start_s": 10.0, "stop_s": 100.0, "step_period_s": 2.0,
     "step_phases": [{"phase": "compute", "duration_s": 1.5}, {"phase": "communication", "duration_s": 0.5}],
     "failure_times_s": [50.75], "checkpoint_count": 0},
    {"name": "b", "kind": "inference", "start_s": 30.7, "stop_s": null, "checkpoint_count": 2,
     "checkpoint_times_s": [70.0]}
  ])");
  CHECK(step_cause(jobs, 10.0, 0.1) == "job start: a; step phase change: a");
  CHECK(step_cause(jobs, 100.0, 0.1) == "job stop: a");
  CHECK(step_cause(jobs, 50.7, 0.1) == "job failure: a");
  CHECK(step_cause(jobs, 30.7, 0.1) == "job start: b");
  CHECK(step_cause(jobs, 30.0, 0.1) == "step phase change: a");
  CHECK(step_cause(jobs, 70.0, 0.1) == "checkpoint: b");
  CHECK(step_cause(jobs, 21.5, 0.1) == "step phase change: a");   // 10 + 5 * 2 + 1.5
  CHECK(step_cause(jobs, 20.7, 0.1) == "unattributed");           // mid-phase
  CHECK(step_cause(jobs, 61.5, 0.1) == "unattributed");           // after the failure shifted the schedule
  CHECK(step_cause(json::array(), 1.0, 0.1) == "unattributed");
}
