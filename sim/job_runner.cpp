#include "sim/job_runner.h"

#include <algorithm>
#include <cmath>

#include "models/workload/failures.h"
#include "models/workload/inference_load.h"

namespace dctwin {

namespace {
SimTime ceil_ns(double seconds) {
  if (!std::isfinite(seconds)) return kNever;
  return static_cast<SimTime>(std::ceil(seconds * 1e9 - 1e-3));
}
}  // namespace

JobRunner::JobRunner(const JobSpec& spec, const JobPlan& plan, SimTime end, std::uint64_t seed)
    : spec_(spec), plan_(plan), end_(end), rng_(seed, "job-failures/" + spec.name + spec.json_path) {
  start_ = to_simtime(spec.start_s);
  stop_ = spec.stop_s ? std::min(end, to_simtime(*spec.stop_s)) : end;
  if (spec.smoothing) {
    power::SmoothingParams sp;
    sp.floor_w = spec.smoothing->floor_fraction * plan.tdp_w;
    const auto rate = [](double r) { return r > 0 ? r : std::numeric_limits<double>::infinity(); };
    sp.ramp_up_w_s = rate(spec.smoothing->ramp_up_w_per_s);
    sp.ramp_down_w_s = rate(spec.smoothing->ramp_down_w_per_s);
    sp.hysteresis_s = spec.smoothing->hysteresis_s;
    sp.quantum_s = spec.smoothing->quantum_s;
    smoother_.emplace(sp, plan.idle_w);
  }
  state_.running = false;
  state_.phase = power::GpuPhase::Idle;
  state_.gpu_w = plan.idle_w;
}

SimTime JobRunner::next_time() const {
  SimTime t = kNever;
  if (mode_ == Mode::Pending) t = start_;
  if (mode_ == Mode::Done) return kNever;
  t = std::min(t, mode_end_);
  if (mode_ != Mode::Pending) t = std::min(t, stop_);
  if (mode_ == Mode::Stepping || mode_ == Mode::Checkpointing) t = std::min(t, next_failure_);
  t = std::min(t, ramp_tick_);
  if (smoother_ && state_.running) t = std::min(t, ceil_ns(smoother_->next_change()));
  return t < end_ ? t : kNever;
}

void JobRunner::schedule_failure(SimTime t) {
  next_failure_ = kNever;
  if (!spec_.failures) return;
  const double rate = workload::job_failure_rate_per_s(static_cast<double>(plan_.nodes), spec_.failures->node_mtbf_s);
  const double dt = workload::time_to_failure_s(rate, rng_.uniform01());
  if (std::isfinite(dt) && dt < to_seconds(end_ - t)) next_failure_ = t + std::max<SimTime>(1, to_simtime(dt));
}

void JobRunner::start_step(SimTime t) {
  mode_ = Mode::Stepping;
  phase_ = 0;
  mode_end_ = t + plan_.step[0].duration;
}

double JobRunner::demand_w() const {
  switch (mode_) {
    case Mode::Stepping: return plan_.step[phase_].gpu_w;
    case Mode::Checkpointing:
    case Mode::Reloading: return plan_.checkpoint_w;
    case Mode::Serving: return inference_w_;
    default: return plan_.idle_w;
  }
}

void JobRunner::refresh(SimTime t) {
  const bool running = mode_ != Mode::Pending && mode_ != Mode::Done;
  state_.running = running;
  switch (mode_) {
    case Mode::Stepping: state_.phase = plan_.step[phase_].phase; break;
    case Mode::Checkpointing:
    case Mode::Reloading: state_.phase = power::GpuPhase::Checkpoint; break;
    case Mode::Serving: state_.phase = power::GpuPhase::Compute; break;
    default: state_.phase = power::GpuPhase::Idle; break;
  }
  const double d = demand_w();
  if (smoother_) {
    if (smoother_->demand_w() != d) smoother_->set_demand(to_seconds(t), d);
    state_.gpu_w = smoother_->output_w();
  } else {
    state_.gpu_w = d;
  }
  state_.active_fraction = spec_.start_ramp_s > 0 && ramp_k_ < kRampTicks ? static_cast<double>(ramp_k_ + 1) / kRampTicks : 1.0;
}

void JobRunner::advance(SimTime t) {
  // Smoother steps first (they do not change the job's mode).
  if (smoother_ && state_.running && t >= ceil_ns(smoother_->next_change()))
    smoother_->advance(std::max(to_seconds(t), smoother_->next_change()));
  if (t == ramp_tick_) {
    ++ramp_k_;
    ramp_tick_ = ramp_k_ + 1 < kRampTicks ? start_ + to_simtime(spec_.start_ramp_s * (ramp_k_ + 1) / kRampTicks) : kNever;
  }
  if (mode_ == Mode::Pending && t == start_) {
    if (spec_.start_ramp_s > 0) ramp_tick_ = start_ + to_simtime(spec_.start_ramp_s / kRampTicks);
    last_checkpoint_ = t;
    if (spec_.kind == "inference") {
      mode_ = Mode::Serving;
      const double u = workload::diurnal_utilization(spec_.inference->profile, to_seconds(t));
      inference_w_ = std::min(workload::inference_gpu_power_w(u, plan_.idle_w, plan_.busy_w), plan_.busy_w);
      mode_end_ = t + to_simtime(spec_.inference->update_s);
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
    mode_end_ = t + to_simtime(spec_.failures->restart_s);
    next_failure_ = kNever;
  } else if (t == mode_end_) {
    switch (mode_) {
      case Mode::Stepping:
        if (++phase_ < plan_.step.size()) {
          mode_end_ = t + plan_.step[phase_].duration;
        } else {
          ++stats_.steps_completed;
          if (spec_.checkpoint && t - last_checkpoint_ >= to_simtime(spec_.checkpoint->interval_s)) {
            mode_ = Mode::Checkpointing;
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
        mode_ = Mode::Reloading;
        mode_end_ = t + to_simtime(spec_.failures->reload_s);
        break;
      case Mode::Reloading:
        last_checkpoint_ = t;
        start_step(t);
        schedule_failure(t);
        break;
      case Mode::Serving: {
        const double u = workload::diurnal_utilization(spec_.inference->profile, to_seconds(t));
        inference_w_ = workload::inference_gpu_power_w(u, plan_.idle_w, plan_.busy_w);
        mode_end_ = t + to_simtime(spec_.inference->update_s);
        break;
      }
      default: break;
    }
  }
  refresh(t);
}

void JobRunner::accumulate(SimTime a, SimTime b) {
  if (!state_.running || b <= a) return;
  const double dt = to_seconds(b - a);
  stats_.allocated_s += dt;
  if (smoother_)
    stats_.mitigation_energy_j += (state_.gpu_w - demand_w()) * static_cast<double>(plan_.gpus) * state_.active_fraction * dt;
}

}  // namespace dctwin
