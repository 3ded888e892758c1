// JobRunner::changed() (sim/jobs/job_runner.h): the cohorts whose state an advance() changed, as
// the engine hands them on; an event that only ends compute phases refreshes only those cohorts.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/facility/facility.h"
#include "sim/jobs/job_plan.h"
#include "sim/jobs/job_runner.h"
#include "tests/support.h"

using namespace dctwin;

TEST_CASE("job runner: changed() names exactly the cohorts whose state changed, every one at the first event") {
  const Scenario sc = test::load_tiny({"campus.halls.0.rows.0.racks.0.count=4", "rack_types.r1.nodes.0.count=1", "jobs.0.gpus=4",
                                       "jobs.0.jitter={\"compute_cv\": 0.2, \"cohorts\": 4}", "simulation.duration_s=30"});
  const Facility f(sc);
  REQUIRE(f.cohort_count(0) == 4);
  const std::vector<JobPlan> plans = plan_jobs(sc, f);
  const SimTime end = to_simtime(sc.duration_s);
  JobRunner r(sc.jobs[0], plans[0], end, sc.seed);
  int events = 0, partial = 0;
  for (SimTime t = r.next_time(); t != kNever; t = r.next_time()) {
    const std::vector<JobState> before = r.states();
    // next_time() is the earliest of the cohorts' next changes (JobRunner::next_time(cohort)).
    SimTime earliest = kNever;
    for (std::size_t c = 0; c < before.size(); ++c) earliest = std::min(earliest, r.next_time(c));
    CHECK(t == earliest);
    r.advance(t);
    std::vector<std::size_t> expected;
    for (std::size_t c = 0; c < before.size(); ++c)
      if (events == 0 || !same_job_state(before[c], r.states()[c])) expected.push_back(c);
    std::vector<std::size_t> got = r.changed();
    std::sort(got.begin(), got.end());
    CHECK(got == expected);
    if (!expected.empty() && expected.size() < before.size()) ++partial;
    ++events;
  }
  CHECK(events > 20);
  CHECK(partial > 5);  // events that change some cohorts only (compute ends)
}
