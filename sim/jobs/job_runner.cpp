#include "sim/jobs/job_runner.h"

#include <algorithm>
#include <cmath>

#include "models/power/power_cap.h"
#include "models/workload/failures.h"
#include "models/workload/inference_load.h"
#include "models/workload/jitter.h"
#include "models/workload/llm_serving.h"

namespace dctwin {

namespace {
SimTime ceil_ns(double seconds) {
  if (!std::isfinite(seconds)) return kNever;
  return static_cast<SimTime>(std::ceil(seconds * 1e9 - 1e-3));
}
}  // namespace

JobRunner::JobRunner(const JobSpec& spec, const JobPlan& plan, SimTime end, std::uint64_t seed)
    : spec_(spec),
      plan_(plan),
      end_(end),
      failure_rng_(seed, "job-failures/" + spec.name + spec.json_path),
      jitter_rng_(seed, "job-jitter/" + spec.name + spec.json_path) {
  start_ = to_simtime(spec.start_s);
  stop_ = spec.stop_s ? std::min(end, to_simtime(*spec.stop_s)) : end;
  const std::size_t k = plan.cohort_gpus.size();
  states_.assign(k, JobState{false, power::GpuPhase::Idle, plan.idle_w, 1.0});
  cohort_end_.assign(k, 0);
  index_ends();
  thermal_cap_w_.assign(k, std::numeric_limits<double>::infinity());
  phase_power_w_.assign(k, std::numeric_limits<double>::quiet_NaN());
  if (spec.smoothing) {
    power::SmoothingParams sp;
    sp.floor_w = spec.smoothing->floor_fraction * plan.tdp_w;
    const auto rate = [](double r) { return r > 0 ? r : std::numeric_limits<double>::infinity(); };
    sp.ramp_up_w_s = rate(spec.smoothing->ramp_up_w_per_s);
    sp.ramp_down_w_s = rate(spec.smoothing->ramp_down_w_per_s);
    sp.hysteresis_s = spec.smoothing->hysteresis_s;
    sp.quantum_s = spec.smoothing->quantum_s;
    smoothers_.assign(k, power::PowerSmoother(sp, plan.idle_w));
  }
  if (plan.tau_rise_s > 0) lags_.assign(k, power::PowerLag({plan.tau_rise_s, plan.tau_fall_s}, plan.idle_w));
}

SimTime JobRunner::next_power_change() const {
  if (mode_ == Mode::Pending || mode_ == Mode::Done) return kNever;
  SimTime t = unpowered_ ? power_on_ : kNever;
  if (loss_i_ < losses_.size()) t = std::min(t, std::max(now_, losses_[loss_i_].off));
  return t;
}

SimTime JobRunner::next_time() const {
  if (mode_ == Mode::Done) return kNever;
  SimTime t = mode_ == Mode::Pending ? start_ : std::min(mode_end_, stop_);
  t = std::min(t, next_power_change());
  if (mode_ == Mode::Stepping || mode_ == Mode::Checkpointing) t = std::min(t, next_failure_);
  t = std::min(t, ramp_tick_);
  if (mode_ == Mode::Stepping) {  // a cohort done early starts waiting: the first end after now
    const auto it = std::upper_bound(ends_.begin(), ends_.end(), std::pair<SimTime, std::size_t>{now_, kNoCohort});
    if (it != ends_.end()) t = std::min(t, it->first);
  }
  if (mode_ != Mode::Pending)
    for (const auto& s : smoothers_) t = std::min(t, ceil_ns(s.next_change()));
  for (const auto& l : lags_) t = std::min(t, ceil_ns(l.next_change()));
  return t < end_ ? t : kNever;
}

SimTime JobRunner::next_time(std::size_t cohort) const {
  if (mode_ == Mode::Done) return kNever;
  SimTime t = mode_ == Mode::Pending ? start_ : std::min(mode_end_, stop_);
  // The supply's return, not a coming loss: the fan lag's pieces end here (sim/engine/fan_lag.h),
  // and a piece cut short by a loss would hold a different mean before the loss than in the run
  // without it; the loss changes the state at an event like an unforeseen change (the piece held
  // up to it is the first run's, so every load before the loss is too).
  if (unpowered_) t = std::min(t, power_on_);
  if (mode_ == Mode::Stepping || mode_ == Mode::Checkpointing) t = std::min(t, next_failure_);
  t = std::min(t, ramp_tick_);
  if (mode_ == Mode::Stepping && cohort_end_[cohort] > now_) t = std::min(t, cohort_end_[cohort]);
  if (mode_ != Mode::Pending && !smoothers_.empty()) t = std::min(t, ceil_ns(smoothers_[cohort].next_change()));
  if (!lags_.empty()) t = std::min(t, ceil_ns(lags_[cohort].next_change()));
  return t < end_ ? t : kNever;
}

void JobRunner::schedule_failure(SimTime t) {
  next_failure_ = kNever;
  if (!spec_.failures) return;
  const double rate = workload::job_failure_rate_per_s(static_cast<double>(plan_.nodes), spec_.failures->node_mtbf_s);
  const double dt = workload::time_to_failure_s(rate, failure_rng_.uniform01());
  if (std::isfinite(dt) && dt < to_seconds(end_ - t)) next_failure_ = t + std::max<SimTime>(1, to_simtime(dt));
}

void JobRunner::set_thermal_caps(const double* cap_w, double dvfs_exponent) {
  std::copy(cap_w, cap_w + thermal_cap_w_.size(), thermal_cap_w_.begin());
  dvfs_exponent_ = dvfs_exponent;
}

void JobRunner::start_phase(SimTime t) {
  const PlannedPhase& ph = plan_.step[phase_];
  std::fill(phase_power_w_.begin(), phase_power_w_.end(), std::numeric_limits<double>::quiet_NaN());
  // Thermal caps below the phase's power slow the cohorts they hold (compute-bound phases only).
  std::vector<double> slow;
  if (ph.phase == power::GpuPhase::Compute)
    for (std::size_t c = 0; c < thermal_cap_w_.size(); ++c)
      if (thermal_cap_w_[c] < ph.busy_w) {
        // The cap holds the busy GPUs; a pipelined span's staggered bubbles wait at wait_w.
        if (slow.empty()) slow.assign(thermal_cap_w_.size(), 1.0);
        const double floor_w = plan_.idle_w + 0.01 * std::max(0.0, ph.busy_w - plan_.idle_w);
        const auto cp = power::apply_power_cap(ph.busy_w, plan_.idle_w, std::max(thermal_cap_w_[c], floor_w), dvfs_exponent_, true);
        slow[c] = cp.slowdown;
        phase_power_w_[c] = ph.busy_share * cp.power_w + (1.0 - ph.busy_share) * std::min(plan_.wait_w, cp.power_w);
      }
  const bool jitter = spec_.jitter && ph.phase == power::GpuPhase::Compute;
  if (!jitter && slow.empty()) {
    std::fill(cohort_end_.begin(), cohort_end_.end(), 0);
    index_ends();
    mode_end_ = t + ph.duration;
    return;
  }
  // Each cohort ends its phase at its own time (jitter multiplier x thermal slowdown); the phase
  // ends with the slowest.
  std::vector<double> m;
  if (jitter && spec_.jitter->per_rack) {  // one cohort per rack, each its own draw
    m.resize(cohort_end_.size());
    for (double& x : m) {
      const double u_z = jitter_rng_.uniform01();
      x = workload::rack_multiplier(*spec_.jitter, u_z, jitter_rng_.uniform01());
    }
  } else if (jitter && spec_.jitter->common_draws) {  // the racks' own draws, their realized maximum
    const double top = workload::max_rack_multiplier(*spec_.jitter, std::max<std::int64_t>(1, plan_.racks),
                                                     [&] { return jitter_rng_.uniform01(); });
    m = workload::cohort_multipliers_with_max(*spec_.jitter, top);
  } else if (jitter) {
    const double u_max = 1.0 - jitter_rng_.uniform01();  // (0, 1]
    const double u_str = jitter_rng_.uniform01();
    const double u_str_max = 1.0 - jitter_rng_.uniform01();
    m = workload::cohort_multipliers(*spec_.jitter, static_cast<double>(std::max<std::int64_t>(1, plan_.racks)),
                                     std::min(u_max, 1.0 - 1e-16), u_str, std::min(u_str_max, 1.0 - 1e-16));
  }
  // The cohorts of the job (possibly fewer than configured, for small jobs) take the slowest
  // multipliers' spread: the last cohort gets the maximum.
  const std::size_t k = cohort_end_.size();
  SimTime latest = t;
  for (std::size_t i = 0; i < k; ++i) {
    const double jit = jitter ? (k == m.size() ? m[i] : m[m.size() - k + i]) : 1.0;
    const double mult = jit * (slow.empty() ? 1.0 : slow[i]);
    cohort_end_[i] = t + std::max<SimTime>(1, static_cast<SimTime>(std::llround(static_cast<double>(ph.duration) * mult)));
    latest = std::max(latest, cohort_end_[i]);
  }
  index_ends();
  mode_end_ = latest;
}

// The serving operating point from the request rate at t (models/workload/llm_serving.h), until
// the rate next changes: the trace's next row, or the next diurnal update.
void JobRunner::serve(SimTime t) {
  const InferenceSpec& inf = *spec_.inference;
  workload::ServingParams sp = inf.serving;
  sp.prefill_tokens_per_s /= plan_.compute_slowdown;  // a power cap slows the compute-bound prefill
  workload::RequestRate rate;
  const double ts = to_seconds(t);
  if (inf.trace) {
    const long row = workload::request_row_at(*inf.trace, ts);
    if (row >= 0) rate = (*inf.trace)[static_cast<std::size_t>(row)].rate;
    mode_end_ = ceil_ns(workload::next_request_change_s(*inf.trace, ts));
    if (mode_end_ <= t) mode_end_ = t + 1;
  } else {
    rate.prompt_tokens = inf.prompt_tokens;
    rate.output_tokens = inf.output_tokens;
    const double u = workload::diurnal_utilization(inf.profile, ts);
    rate.requests_per_s = u * static_cast<double>(plan_.gpus) / workload::gpu_s_per_request(sp, rate.prompt_tokens, rate.output_tokens);
    mode_end_ = t + to_simtime(inf.update_s);
  }
  const auto point = workload::serving_point(sp, rate, static_cast<double>(plan_.gpus), plan_.busy_w, plan_.idle_w);
  inference_w_ = point.gpu_w;
  tokens_per_gpu_s_ = point.output_tokens_per_s;
}

void JobRunner::start_step(SimTime t) {
  mode_ = Mode::Stepping;
  phase_ = 0;
  start_phase(t);
}

power::GpuPhase JobRunner::phase_of(std::size_t cohort, SimTime t) const {
  switch (mode_) {
    case Mode::Stepping:
      if (cohort_end_[cohort] > 0 && t >= cohort_end_[cohort]) return power::GpuPhase::Communication;  // waiting
      return plan_.step[phase_].phase;
    case Mode::Checkpointing:
    case Mode::Reloading: return power::GpuPhase::Checkpoint;
    case Mode::Serving: return power::GpuPhase::Compute;
    default: return power::GpuPhase::Idle;
  }
}

double JobRunner::demand_w(std::size_t cohort, SimTime t) const {
  switch (mode_) {
    case Mode::Stepping:
      if (cohort_end_[cohort] > 0 && t >= cohort_end_[cohort]) return plan_.wait_w;
      if (!std::isnan(phase_power_w_[cohort])) return phase_power_w_[cohort];
      return plan_.step[phase_].gpu_w;
    case Mode::Checkpointing:
    case Mode::Reloading: return plan_.checkpoint_w;
    case Mode::Serving: return inference_w_;
    default: return plan_.idle_w;
  }
}

void JobRunner::index_ends() {
  ends_.resize(cohort_end_.size());
  for (std::size_t c = 0; c < cohort_end_.size(); ++c) ends_[c] = {cohort_end_[c], c};
  std::sort(ends_.begin(), ends_.end());
}

void JobRunner::refresh(SimTime t, bool all, bool only_ends) {
  if (only_ends) {
    // Only the cohorts whose compute phase ends at t change (they start waiting); the others'
    // phase, demand and share are as they were.
    changed_.clear();
    const auto lo = std::lower_bound(ends_.begin(), ends_.end(), std::pair<SimTime, std::size_t>{t, 0});
    for (auto it = lo; it != ends_.end() && it->first == t; ++it) {
      const std::size_t c = it->second;
      JobState& s = states_[c];
      const JobState before = s;
      s.phase = phase_of(c, t);
      s.gpu_w = demand_w(c, t);
      if (!same_job_state(before, s)) changed_.push_back(c);
    }
    return;
  }
  const bool running = mode_ != Mode::Pending && mode_ != Mode::Done;
  const double frac =
      spec_.start_ramp_s > 0 && ramp_k_ < kRampTicks ? static_cast<double>(ramp_k_ + 1) / kRampTicks : 1.0;
  changed_.clear();
  for (std::size_t c = 0; c < states_.size(); ++c) {
    JobState& s = states_[c];
    const JobState before = s;
    s.running = running;
    s.phase = phase_of(c, t);
    const double d = demand_w(c, t);
    double w = d;
    if (!smoothers_.empty()) {
      if (smoothers_[c].demand_w() != d) smoothers_[c].set_demand(to_seconds(t), d);
      w = smoothers_[c].output_w();
    }
    if (!lags_.empty()) {  // the GPU's own response to what it is asked to draw
      if (lags_[c].target_w() != w) lags_[c].set_target(to_seconds(t), w);
      w = lags_[c].output_w();
    }
    s.gpu_w = unpowered_ ? 0.0 : w;
    s.active_fraction = frac;
    if (all || !same_job_state(before, s)) changed_.push_back(c);
  }
}

void JobRunner::advance(SimTime t) {
  const bool first = now_ < 0;
  // An event that only ends some cohorts' compute phase (jitter): nothing else is due at t.
  const bool only_ends = !first && mode_ == Mode::Stepping && t < mode_end_ && t < stop_ && t != ramp_tick_ &&
                         t != next_failure_ && smoothers_.empty() && lags_.empty() && !unpowered_ &&
                         (loss_i_ >= losses_.size() || losses_[loss_i_].off > t);
  now_ = t;
  if (unpowered_ && t >= power_on_) {  // the supply is back (the restart runs from here)
    unpowered_ = false;
    power_on_ = kNever;
  }
  // Smoother steps first (they do not change the job's mode).
  if (mode_ != Mode::Pending)
    for (auto& s : smoothers_)
      if (t >= ceil_ns(s.next_change())) s.advance(std::max(to_seconds(t), s.next_change()));
  for (auto& l : lags_)
    if (t >= ceil_ns(l.next_change())) l.advance(std::max(to_seconds(t), l.next_change()));
  if (t == ramp_tick_) {
    ++ramp_k_;
    ramp_tick_ = ramp_k_ + 1 < kRampTicks ? start_ + to_simtime(spec_.start_ramp_s * (ramp_k_ + 1) / kRampTicks) : kNever;
  }
  if (mode_ == Mode::Pending && t == start_) {
    while (loss_i_ < losses_.size() && losses_[loss_i_].off < t) ++loss_i_;  // before the job: not its loss
    if (spec_.start_ramp_s > 0) ramp_tick_ = start_ + to_simtime(spec_.start_ramp_s / kRampTicks);
    last_checkpoint_ = t;
    if (spec_.kind == "inference") {
      mode_ = Mode::Serving;
      serve(t);
    } else {
      start_step(t);
      schedule_failure(t);
    }
  } else if (mode_ != Mode::Pending && mode_ != Mode::Done && t >= stop_) {
    mode_ = Mode::Done;
    mode_end_ = kNever;
    next_failure_ = kNever;
    ramp_tick_ = kNever;
  } else if ((mode_ == Mode::Stepping || mode_ == Mode::Checkpointing) && t == next_failure_) {
    // A failure halts the whole job; work since the last checkpoint is lost.
    ++stats_.failures;
    stats_.failure_times_s.push_back(to_seconds(t));
    stats_.steps_lost += (stats_.steps_completed - stats_.steps_lost) - steps_at_checkpoint_;
    mode_ = Mode::Restarting;
    std::fill(cohort_end_.begin(), cohort_end_.end(), 0);
    index_ends();
    mode_end_ = t + to_simtime(spec_.failures->restart_s);
    next_failure_ = kNever;
  } else if (t == mode_end_) {
    switch (mode_) {
      case Mode::Stepping:
        if (++phase_ < plan_.step.size()) {
          start_phase(t);
        } else {
          ++stats_.steps_completed;
          if (spec_.checkpoint && t - last_checkpoint_ >= to_simtime(spec_.checkpoint->interval_s)) {
            mode_ = Mode::Checkpointing;
            std::fill(cohort_end_.begin(), cohort_end_.end(), 0);
            index_ends();
            mode_end_ = t + to_simtime(spec_.checkpoint->duration_s);
          } else {
            start_step(t);
          }
        }
        break;
      case Mode::Checkpointing:
        ++stats_.checkpoints;
        stats_.checkpoint_times_s.push_back(to_seconds(t));
        last_checkpoint_ = t;
        steps_at_checkpoint_ = stats_.steps_completed - stats_.steps_lost;
        start_step(t);
        break;
      case Mode::Restarting:
        if (spec_.kind == "inference") {  // only a power loss stops a service: it serves again
          mode_ = Mode::Serving;
          serve(t);
          back_to_work(t);
          break;
        }
        mode_ = Mode::Reloading;
        mode_end_ = t + to_simtime(reload_s());
        break;
      case Mode::Reloading:
        last_checkpoint_ = t;
        start_step(t);
        schedule_failure(t);
        back_to_work(t);
        break;
      case Mode::Serving: serve(t); break;
      default: break;
    }
  }
  while (loss_i_ < losses_.size() && losses_[loss_i_].off <= t) lose_power(t, losses_[loss_i_++]);
  refresh(t, first, only_ends);
}

void JobRunner::lose_power(SimTime t, const PowerLoss& l) {
  if (mode_ == Mode::Pending || mode_ == Mode::Done || l.on <= t) return;
  PowerLossHit h;
  h.event = l.event;
  h.off_s = to_seconds(t);
  h.failed = mode_ == Mode::Stepping || mode_ == Mode::Checkpointing || mode_ == Mode::Serving;
  if (h.failed) {  // the failure path (above): the whole job halts, work since the last checkpoint is lost
    ++stats_.failures;
    stats_.failure_times_s.push_back(h.off_s);
    h.steps_lost = (stats_.steps_completed - stats_.steps_lost) - steps_at_checkpoint_;
    stats_.steps_lost += h.steps_lost;
  }
  stats_.power_losses.push_back(h);
  // Down until the supply is back; the restart begins then (restart_s, then reload_s).
  mode_ = Mode::Restarting;
  std::fill(cohort_end_.begin(), cohort_end_.end(), 0);
  index_ends();
  next_failure_ = kNever;
  power_on_ = unpowered_ ? std::max(power_on_, l.on) : l.on;
  unpowered_ = true;
  mode_end_ = power_on_ == kNever ? kNever : power_on_ + to_simtime(restart_s());
}

void JobRunner::back_to_work(SimTime t) {
  for (auto& h : stats_.power_losses)
    if (!h.back_s) h.back_s = to_seconds(t);
}

void JobRunner::accumulate(SimTime a, SimTime b) {
  if (states_.empty() || !states_[0].running || b <= a) return;
  const double dt = to_seconds(b - a);
  stats_.allocated_s += dt;
  if (mode_ == Mode::Stepping) stats_.stepping_s += dt;
  if (mode_ == Mode::Serving)
    for (std::size_t c = 0; c < states_.size(); ++c) {
      const double gpus = static_cast<double>(plan_.cohort_gpus[c]) * states_[c].active_fraction;
      stats_.output_tokens += tokens_per_gpu_s_ * gpus * dt;
      stats_.serving_energy_j += states_[c].gpu_w * gpus * dt;
    }
  if (!smoothers_.empty())
    for (std::size_t c = 0; c < states_.size(); ++c)
      stats_.mitigation_energy_j += (smoothers_[c].output_w() - demand_w(c, a)) * static_cast<double>(plan_.cohort_gpus[c]) *
                                    states_[c].active_fraction * dt;
}

void save_job_states(CheckpointWriter& w, const std::vector<JobState>& states) {
  w.put<std::uint64_t>(states.size());
  for (const auto& s : states) {
    w.put(s.running);
    w.put(static_cast<int>(s.phase));
    w.put(s.gpu_w);
    w.put(s.active_fraction);
    w.put(s.leak_w);
    w.put(s.fan_gpu_w);
    w.put(s.fan_active);
  }
}

void load_job_states(CheckpointReader& r, std::vector<JobState>& states) {
  const auto n = r.get<std::uint64_t>();
  if (n != states.size()) throw CheckpointError(std::to_string(states.size()) + " job states (as this scenario has)", std::to_string(n));
  for (auto& s : states) {
    r.get(s.running);
    const int phase = r.get<int>();
    if (phase < 0 || phase >= power::kGpuPhaseCount) throw CheckpointError("a GPU phase", std::to_string(phase));
    s.phase = static_cast<power::GpuPhase>(phase);
    r.get(s.gpu_w);
    r.get(s.active_fraction);
    r.get(s.leak_w);
    r.get(s.fan_gpu_w);
    r.get(s.fan_active);
  }
}

// Checkpoints: every member that advance() or accumulate() changes.
template <class Ar, class Self>
void JobRunner::fields(Ar& a, Self& s) {
  a.io(s.mode_);
  a.io(s.phase_);
  a.io(s.now_);
  a.io(s.mode_end_);
  a.io_sized(s.cohort_end_);
  a.io(s.last_checkpoint_);
  a.io(s.steps_at_checkpoint_);
  a.io(s.next_failure_);
  a.io(s.ramp_tick_);
  a.io(s.ramp_k_);
  a.io(s.inference_w_);
  a.io(s.tokens_per_gpu_s_);
  a.io(s.failure_rng_.engine());
  a.io(s.jitter_rng_.engine());
  a.io_sized(s.thermal_cap_w_);
  a.io_sized(s.phase_power_w_);
  a.io(s.dvfs_exponent_);
  a.io_sized(s.lags_);
  auto& st = s.stats_;
  a.io(st.steps_completed);
  a.io(st.steps_lost);
  a.io(st.failures);
  a.io(st.checkpoints);
  a.io(st.allocated_s);
  a.io(st.stepping_s);
  a.io(st.mitigation_energy_j);
  a.io(st.output_tokens);
  a.io(st.serving_energy_j);
  a.io(st.failure_times_s);
  a.io(st.checkpoint_times_s);
}

void JobRunner::save(CheckpointWriter& w) const {
  fields(w, *this);
  save_job_states(w, states_);
  for (const auto& s : smoothers_) w.put(s.state());
}

void JobRunner::load(CheckpointReader& r) {
  fields(r, *this);
  index_ends();
  load_job_states(r, states_);
  for (auto& s : smoothers_) s.set_state(r.get<power::PowerSmoother::State>());
  if (phase_ > plan_.step.size() || (mode_ == Mode::Stepping && phase_ >= plan_.step.size()) || static_cast<int>(mode_) < 0 ||
      static_cast<int>(mode_) > static_cast<int>(Mode::Done))
    throw CheckpointError("a job state in range", "one out of range");
}

}  // namespace dctwin
