#include "sim/engine.h"

#include "sim/event_queue.h"

namespace dctwin {

namespace {

enum class EventKind { JobStop = 0, JobPhase = 1, JobStart = 2 };

struct Event {
  EventKind kind;
  int job;
  std::int64_t step;
  int phase;
};

// A job's step timeline in integer nanoseconds: phase i of step k starts at
// start + k * period + offset[i], computed afresh each time (no accumulated drift).
struct Timeline {
  SimTime start = 0;
  SimTime stop = 0;  // exclusive; the run's end when the job has no stop_s
  SimTime period = 0;
  std::vector<SimTime> offset;
};

}  // namespace

EngineResult run_engine(const Scenario& sc, const Facility& facility, const EngineOptions& options) {
  const SimTime end = to_simtime(sc.duration_s);
  const SimTime bin = to_simtime(sc.output_step_s);
  EngineResult res{Recorder(end, bin), {}, {}};
  CapacityTracker capacity(facility);

  std::vector<Timeline> tl(sc.jobs.size());
  std::vector<JobState> state(sc.jobs.size());
  EventQueue<Event> q;
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
    const JobSpec& job = sc.jobs[j];
    Timeline& t = tl[j];
    t.start = to_simtime(job.start_s);
    t.stop = job.stop_s ? std::min(end, to_simtime(*job.stop_s)) : end;
    for (const auto& ph : job.step) {
      t.offset.push_back(t.period);
      t.period += std::max<SimTime>(1, to_simtime(ph.duration_s));
    }
    if (t.start < end) q.push(t.start, static_cast<int>(EventKind::JobStart), Event{EventKind::JobStart, static_cast<int>(j), 0, 0});
    if (t.stop < end && t.stop > t.start)
      q.push(t.stop, static_cast<int>(EventKind::JobStop), Event{EventKind::JobStop, static_cast<int>(j), 0, 0});
  }

  std::vector<double> unit_load;
  facility.evaluate_nameplate(&unit_load);
  capacity.set_nameplate(unit_load);
  FacilityPower power = facility.evaluate(state, &unit_load);
  ++res.stats.evaluations;
  capacity.observe(0, unit_load);

  auto record = [&](SimTime a, SimTime b) {
    if (b <= a) return;
    res.recorder.add(a, b, to_row(power), power.it);
    if (options.processes.empty()) return;
    const SimTime step = options.continuous_step;
    for (SimTime x = a; x < b;) {
      const SimTime next_grid = (x / step + 1) * step;
      const SimTime y = std::min(b, next_grid);
      for (auto* p : options.processes) p->advance(x, y, power);
      x = y;
    }
  };

  auto schedule_phase = [&](int j, std::int64_t step, int phase) {
    const Timeline& t = tl[static_cast<std::size_t>(j)];
    const SimTime when = t.start + step * t.period + t.offset[static_cast<std::size_t>(phase)];
    if (when < t.stop && when < end) q.push(when, static_cast<int>(EventKind::JobPhase), Event{EventKind::JobPhase, j, step, phase});
  };

  SimTime t_prev = 0;
  SimTime next_progress = 0;
  const SimTime progress_every = std::max<SimTime>(1, end / 100);
  while (!q.empty() && q.top().time < end) {
    const SimTime t = q.top().time;
    record(t_prev, t);
    while (!q.empty() && q.top().time == t) {
      const Event ev = q.pop().payload;
      ++res.stats.events;
      JobState& s = state[static_cast<std::size_t>(ev.job)];
      const JobSpec& job = sc.jobs[static_cast<std::size_t>(ev.job)];
      switch (ev.kind) {
        case EventKind::JobStart:
          s.running = true;
          s.phase = job.step[0].phase;
          if (job.step.size() > 1) schedule_phase(ev.job, 0, 1);
          else schedule_phase(ev.job, 1, 0);
          break;
        case EventKind::JobPhase: {
          if (!s.running) break;
          s.phase = job.step[static_cast<std::size_t>(ev.phase)].phase;
          const int next = ev.phase + 1;
          if (next < static_cast<int>(job.step.size())) schedule_phase(ev.job, ev.step, next);
          else schedule_phase(ev.job, ev.step + 1, 0);
          break;
        }
        case EventKind::JobStop:
          s.running = false;
          s.phase = power::GpuPhase::Idle;
          break;
      }
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
  return res;
}

}  // namespace dctwin
