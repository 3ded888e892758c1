#include "sim/engine.h"

#include "sim/event_queue.h"
#include "sim/job_runner.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>

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
  {
    std::vector<double> nameplate_load;
    facility.evaluate_nameplate(&nameplate_load);
    capacity.set_nameplate(nameplate_load);
  }
  FacilityEvaluator evaluator(facility);
  FacilityPower power = evaluator.update(state);
  const std::vector<double>& unit_load = evaluator.unit_load_w();
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
      const ProcessInput in{power, state, unit_load};
      for (auto* p : options.processes) p->advance(x, y, in);
      x = y;
    }
  };

  // Feedback ticks at every continuous-step boundary (only with a feedback).
  std::vector<double> leak(state.size(), 0.0), caps(state.size(), std::numeric_limits<double>::infinity());
  SimTime next_tick = options.feedback ? options.continuous_step : kNever;

  SimTime t_prev = 0;
  SimTime next_progress = 0;
  const SimTime progress_every = std::max<SimTime>(1, end / 100);
  for (;;) {
    const SimTime t_event = q.empty() ? kNever : q.top().time;
    const SimTime t = std::min(t_event, next_tick);
    if (t >= end) break;
    record(t_prev, t);
    bool changed = false;
    if (t == next_tick) {
      next_tick += options.continuous_step;
      changed = options.feedback->update(t, leak, caps);
      for (std::size_t j = 0; j < runners.size(); ++j) {
        const auto first = static_cast<std::size_t>(facility.first_cohort(static_cast<int>(j)));
        runners[j].set_thermal_caps(caps.data() + first, options.dvfs_exponent);
      }
      if (changed)
        for (std::size_t c = 0; c < state.size(); ++c) state[c].leak_w = leak[c];
    }
    while (!q.empty() && q.top().time == t) {
      changed = true;
      const int j = q.pop().payload;
      ++res.stats.events;
      JobRunner& r = runners[static_cast<std::size_t>(j)];
      r.advance(t);
      const auto& cs = r.states();
      const auto first = static_cast<std::size_t>(facility.first_cohort(j));
      std::copy(cs.begin(), cs.end(), state.begin() + static_cast<std::ptrdiff_t>(first));
      for (std::size_t c = first; c < first + cs.size(); ++c) state[c].leak_w = leak[c];
      if (const SimTime tn = r.next_time(); tn != kNever) q.push(tn, 0, j);
    }
    if (!changed) {
      t_prev = t;
      continue;
    }
    power = evaluator.update(state);
    ++res.stats.evaluations;
    capacity.observe(t, unit_load, evaluator.last_recomputed());
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
