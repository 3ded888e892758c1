#include "sim/engine/fan_lag.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>

#include "models/power/fan_control.h"
#include "models/power/gpu.h"

namespace dctwin {

namespace {
constexpr double kSettledGpuW = 1e-3;   // W per GPU
constexpr double kSettledShare = 1e-6;  // of the active share
}  // namespace

FanLag::FanLag(const Scenario& sc, const Facility& f, const std::vector<JobPlan>& plans, SimTime end)
    : sc_(sc), f_(f), end_(end) {
  lags_.assign(f.cohorts(), Lag{});
  tick_.assign(sc.jobs.size(), kNever);
  touched_.assign(sc.jobs.size(), 0);
  cohort_touched_.assign(f.cohorts(), 0);
  touched_cohorts_.assign(sc.jobs.size(), {});
  due_.assign(sc.jobs.size(), {});
  all_started_.assign(sc.jobs.size(), 0);
  leakage_ = sc.cooling && sc.cooling->gpu_thermal && sc.cooling->gpu_thermal->leakage;
  // The node type holding most of each cohort's GPUs gives its time constant.
  std::vector<std::vector<std::int64_t>> gpus(f.cohorts(), std::vector<std::int64_t>(sc.node_types.size(), 0));
  const PowerGraph& g = f.graph();
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    const Element& e = g[*it];
    if (e.stage != Stage::Node || e.job < 0) continue;
    const auto nt = static_cast<std::size_t>(e.node_type);
    gpus[static_cast<std::size_t>(e.job)][nt] += e.multiplicity * std::max(1, sc.node_types[nt].server.gpus);
  }
  for (std::size_t c = 0; c < lags_.size(); ++c) {
    const auto& row = gpus[c];
    const auto nt = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
    if (row.empty() || row[nt] == 0) continue;
    Lag& l = lags_[c];
    l.tau_s = sc.node_types[nt].server.fans.max_w > 0 ? sc.node_types[nt].server.fans.time_constant_s : 0.0;
    enabled_ = enabled_ || l.tau_s > 0;
    const int job = f.cohort_job(static_cast<int>(c));
    l.profile = f.job_profile(job);
    if (l.profile < 0) continue;
    l.idle_w = power::gpu_power_w(sc.profiles[static_cast<std::size_t>(l.profile)], power::GpuPhase::Idle);
    const JobPlan& p = plans.at(static_cast<std::size_t>(job));
    double e = 0, t = 0;
    for (const auto& ph : p.step) e += to_seconds(ph.duration) * ph.gpu_w, t += to_seconds(ph.duration);
    l.start_gpu_w = t > 0 ? e / t : std::numeric_limits<double>::quiet_NaN();
  }
}

void FanLag::touch_all() { std::fill(touched_.begin(), touched_.end(), 1); }

void FanLag::touch_cohort(std::size_t c) {
  if (cohort_touched_[c]) return;
  cohort_touched_[c] = 1;
  touched_cohorts_[static_cast<std::size_t>(f_.cohort_job(static_cast<int>(c)))].push_back(c);
}

// The lag's inputs for a cohort state: GPU power per GPU over all the cohort's nodes (active at
// their phase, the rest idle; leakage on every GPU) and the active share. At the start a running
// training cohort counts at its step's mean power.
void FanLag::inputs(const Lag& l, const JobState& s, bool at_start, double& gpu, double& act) const {
  if (!s.running) {
    gpu = l.idle_w + s.leak_w;
    act = 0;
    return;
  }
  double active_w = std::isnan(s.gpu_w) ? power::gpu_power_w(sc_.profiles[static_cast<std::size_t>(l.profile)], s.phase) : s.gpu_w;
  if (at_start && !std::isnan(l.start_gpu_w)) active_w = l.start_gpu_w;
  gpu = s.leak_w + s.active_fraction * active_w + (1 - s.active_fraction) * l.idle_w;
  act = s.active_fraction;
}

bool FanLag::update(SimTime t, SimTime horizon, const std::vector<JobRunner>& runners, std::vector<JobState>& state,
                    std::vector<std::size_t>* changed_out) {
  if (!enabled_) return false;
  if (!leakage_) horizon = kNever;
  bool changed = false;
  next_ = kNever;
  for (std::size_t j = 0; j < tick_.size(); ++j) {
    auto& named = touched_cohorts_[j];
    if (touched_[j] || tick_[j] == t || !named.empty()) {
      const int first = f_.first_cohort(static_cast<int>(j));
      const int count = f_.cohort_count(static_cast<int>(j));
      SimTime job_next = kNever;
      auto one = [&](std::size_t c, int k) {
        if (step(c, j, k, t, horizon, runners, state, job_next)) {
          changed = true;
          if (changed_out) changed_out->push_back(c);
        }
      };
      if (touched_[j]) {  // every cohort of the job
        for (int k = 0; k < count; ++k) one(static_cast<std::size_t>(first + k), k);
      } else if (!all_started_[j]) {
        // The named cohorts, then those whose piece ends now or that have not started; the
        // others' pieces go on as they are (their inputs did not change: the engine touches every
        // cohort it changed).
        for (const std::size_t c : named) one(c, static_cast<int>(c) - first);
        for (int k = 0; k < count; ++k) {
          const auto c = static_cast<std::size_t>(first + k);
          const Lag& l = lags_[c];
          if (!cohort_touched_[c] && l.tau_s > 0 && l.profile >= 0 && (!l.started || l.end <= t)) one(c, k);
        }
        job_next = kNever;
        for (int k = 0; k < count; ++k) {
          const Lag& l = lags_[static_cast<std::size_t>(first + k)];
          if (l.tau_s > 0 && l.profile >= 0) job_next = std::min(job_next, l.end);
        }
      } else {
        // The same with every cohort started, through the heap: the named cohorts, then those
        // whose piece ends now, in cohort order as the scan above takes them.
        for (const std::size_t c : named) one(c, static_cast<int>(c) - first);
        auto& h = due_[j];
        due_now_.clear();
        while (!h.empty() && h.top().time <= t) {
          const auto d = h.pop();
          if (lags_[d.payload].end == d.time && !cohort_touched_[d.payload]) due_now_.push_back(d.payload);
        }
        std::sort(due_now_.begin(), due_now_.end());
        due_now_.erase(std::unique(due_now_.begin(), due_now_.end()), due_now_.end());
        for (const std::size_t c : due_now_) one(c, static_cast<int>(c) - first);
        job_next = first_due(j);
      }
      all_started_[j] = 1;  // either path above steps every cohort that had not started
      for (const std::size_t c : named) cohort_touched_[c] = 0;
      named.clear();
      touched_[j] = 0;
      tick_[j] = job_next < end_ ? job_next : kNever;
    }
    next_ = std::min(next_, tick_[j]);
  }
  return changed;
}

bool FanLag::step(std::size_t c, std::size_t j, int k, SimTime t, SimTime horizon, const std::vector<JobRunner>& runners,
                  std::vector<JobState>& state, SimTime& job_next) {
  Lag& l = lags_[c];
  if (l.tau_s <= 0 || l.profile < 0) return false;
  JobState& s = state[c];
  const bool fresh = !l.started;
  if (fresh) {
    // Settled at t = 0: at the state then (a running training job at its step mean), or idle
    // when the job's first change comes later.
    l.started = true;
    l.t = 0;
    JobState idle;
    idle.leak_w = s.leak_w;
    inputs(l, t == 0 ? s : idle, t == 0, l.y_gpu, l.y_act);
    l.x_gpu = l.y_gpu, l.x_act = l.y_act;
  }
  double x_gpu = 0, x_act = 0;
  inputs(l, s, false, x_gpu, x_act);
  if (!fresh && t < l.end && x_gpu == l.x_gpu && x_act == l.x_act) {  // its piece goes on
    s.fan_gpu_w = l.held_gpu, s.fan_active = l.held_act;
    job_next = std::min(job_next, l.end);
    return false;
  }
  const double dt = to_seconds(t - l.t);
  l.y_gpu = power::fan_lag_after(l.y_gpu, l.x_gpu, dt, l.tau_s);
  l.y_act = power::fan_lag_after(l.y_act, l.x_act, dt, l.tau_s);
  l.x_gpu = x_gpu, l.x_act = x_act, l.t = t;
  const bool settled = std::abs(l.y_gpu - x_gpu) <= kSettledGpuW && std::abs(l.y_act - x_act) <= kSettledShare;
  if (settled) {
    l.y_gpu = x_gpu, l.y_act = x_act;
    l.end = kNever;  // its mean is its input until the input changes
  } else {
    const SimTime tick = t + std::max<SimTime>(1, to_simtime(l.tau_s / 4));
    // The cohort's next change bounds the piece when it is still ahead (a resumed state can
    // hold a stale one: then the tick alone); never at or before now, so the clock moves on.
    const SimTime change = runners[j].next_time(static_cast<std::size_t>(k));
    l.end = std::max<SimTime>(t + 1, std::min({tick, change > t ? change : kNever, horizon, end_}));
    push_due(j, c);
  }
  const double piece_s = to_seconds(std::min(l.end, end_) - t);
  const double gpu = power::fan_lag_mean(l.y_gpu, l.x_gpu, piece_s, l.tau_s);
  const double act = power::fan_lag_mean(l.y_act, l.x_act, piece_s, l.tau_s);
  const bool changed = fresh || !(gpu == l.held_gpu && act == l.held_act);
  l.held_gpu = gpu, l.held_act = act;
  s.fan_gpu_w = gpu, s.fan_active = act;
  job_next = std::min(job_next, l.end);
  return changed;
}

void FanLag::push_due(std::size_t j, std::size_t c) {
  // Stale entries pass with time; a job whose cohorts restart their pieces often without its
  // clock moving could still pile them up: past a bound the heap is rebuilt from the lags.
  if (due_[j].size() > 4 * static_cast<std::size_t>(f_.cohort_count(static_cast<int>(j))) + 64) return rebuild_due(j);
  due_[j].push(lags_[c].end, 0, c);
}

SimTime FanLag::first_due(std::size_t j) {
  auto& h = due_[j];
  while (!h.empty() && lags_[h.top().payload].end != h.top().time) h.pop();
  return h.empty() ? kNever : h.top().time;
}

void FanLag::rebuild_due(std::size_t j) {
  due_[j] = {};
  const int first = f_.first_cohort(static_cast<int>(j));
  const int count = f_.cohort_count(static_cast<int>(j));
  bool all = true;
  for (int k = 0; k < count; ++k) {
    const auto c = static_cast<std::size_t>(first + k);
    const Lag& l = lags_[c];
    if (l.tau_s <= 0 || l.profile < 0) continue;
    all = all && l.started;
    if (l.end != kNever) due_[j].push(l.end, 0, c);
  }
  all_started_[j] = all ? 1 : 0;
}

void FanLag::save(CheckpointWriter& w) const {
  if (!enabled_) return;
  for (const Lag& l : lags_) {
    w.put(l.started);
    w.put(l.t);
    w.put(l.end);
    for (double v : {l.y_gpu, l.y_act, l.x_gpu, l.x_act, l.held_gpu, l.held_act}) w.put(v);
  }
  w.put_vector(tick_);
}

void FanLag::load(CheckpointReader& r, SimTime t_prev) {
  if (!enabled_) return;
  for (Lag& l : lags_) {
    r.get(l.started);
    r.get(l.t);
    r.get(l.end);
    if (l.t < 0 || l.t > t_prev || l.end <= t_prev)
      throw CheckpointError("fan-control pieces around the checkpoint's time", std::to_string(l.t) + " .. " + std::to_string(l.end) + " ns");
    for (double* v : {&l.y_gpu, &l.y_act, &l.x_gpu, &l.x_act, &l.held_gpu, &l.held_act}) {
      r.get(*v);
      if (!std::isfinite(*v)) throw CheckpointError("finite fan-control states", std::to_string(*v));
    }
  }
  r.get_vector_sized(tick_, tick_.size());
  for (const SimTime t : tick_)
    if (t <= t_prev) throw CheckpointError("fan ticks after the checkpoint's time", std::to_string(t) + " ns");
  next_ = kNever;
  for (const SimTime t : tick_) next_ = std::min(next_, t);
  std::fill(touched_.begin(), touched_.end(), 0);
  std::fill(cohort_touched_.begin(), cohort_touched_.end(), 0);
  for (auto& v : touched_cohorts_) v.clear();
  for (std::size_t j = 0; j < due_.size(); ++j) rebuild_due(j);
}

}  // namespace dctwin
