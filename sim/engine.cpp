#include "sim/engine.h"

#include "sim/event_queue.h"
#include "sim/job_runner.h"

namespace dctwin {

EngineResult run_engine(const Scenario& sc, const Facility& facility, const EngineOptions& options) {
  const SimTime end = to_simtime(sc.duration_s);
  const SimTime bin = to_simtime(sc.output_step_s);
  EngineResult res{Recorder(end, bin), {}, {}, plan_jobs(sc, facility), {}, nullptr, nullptr};
  CapacityTracker capacity(facility);
  res.racks = std::make_shared<RackSeries>(facility, end, std::min(end, to_simtime(sc.rack_series_step_s)));

  std::vector<JobRunner> runners;
  runners.reserve(sc.jobs.size());
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) runners.emplace_back(sc.jobs[j], res.plans[j], end, sc.seed);

  // One pending entry per job: only a job changes its own next time.
  EventQueue<int> q;
  for (std::size_t j = 0; j < runners.size(); ++j)
    if (const SimTime t = runners[j].next_time(); t != kNever) q.push(t, 0, static_cast<int>(j));

  std::vector<JobState> state(facility.cohorts());
  std::vector<double> unit_load;
  facility.evaluate_nameplate(&unit_load);
  capacity.set_nameplate(unit_load);
  FacilityPower power = facility.evaluate(state, &unit_load);
  ++res.stats.evaluations;
  capacity.observe(0, unit_load);

  auto record = [&](SimTime a, SimTime b) {
    if (b <= a) return;
    res.recorder.add(a, b, to_row(power), power.it);
    res.racks->add(a, b, unit_load);
    for (auto& r : runners) r.accumulate(a, b);
    if (options.processes.empty()) return;
    const SimTime step = options.continuous_step;
    for (SimTime x = a; x < b;) {
      const SimTime next_grid = (x / step + 1) * step;
      const SimTime y = std::min(b, next_grid);
      for (auto* p : options.processes) p->advance(x, y, power);
      x = y;
    }
  };

  SimTime t_prev = 0;
  SimTime next_progress = 0;
  const SimTime progress_every = std::max<SimTime>(1, end / 100);
  while (!q.empty() && q.top().time < end) {
    const SimTime t = q.top().time;
    record(t_prev, t);
    while (!q.empty() && q.top().time == t) {
      const int j = q.pop().payload;
      ++res.stats.events;
      JobRunner& r = runners[static_cast<std::size_t>(j)];
      r.advance(t);
      const auto& cs = r.states();
      std::copy(cs.begin(), cs.end(), state.begin() + facility.first_cohort(j));
      if (const SimTime tn = r.next_time(); tn != kNever) q.push(tn, 0, j);
    }
    power = facility.evaluate(state, &unit_load);
    ++res.stats.evaluations;
    capacity.observe(t, unit_load);
    t_prev = t;
    if (options.progress && t >= next_progress) {
      options.progress(static_cast<double>(t) / static_cast<double>(end));
      next_progress = t + progress_every;
    }
  }
  record(t_prev, end);
  if (options.progress) options.progress(1.0);
  res.capacity = capacity.entries();
  for (const auto& r : runners) res.job_stats.push_back(r.stats());
  return res;
}

}  // namespace dctwin
