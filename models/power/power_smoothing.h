#pragma once
/**
 * @file power_smoothing.h
 * @brief GPU power smoothing as NVIDIA exposes it: a power floor, ramp-rate limits and a
 *        ramp-down hysteresis, applied to a GPU's demanded power.
 *
 * ## Equation (per GPU, time t in s)
 *
 *     demand d(t)    the power the workload would draw (piecewise constant by phase)
 *     target g(t)    = max(d(t), F)                    F = floor_fraction * TDP
 *     output p(t):   rises toward g at most R_up W/s;
 *                    when g < p, holds p for H s (hysteresis) and then falls at most R_down W/s;
 *                    a rise of g during the hold cancels it.
 *     The energy above demand, ∫ (p − d) dt, is the smoothing's cost (the GPU burns it, e.g. with
 *     a burn workload filling communication phases, to hold the floor).
 *
 * Output is a staircase with a fixed quantum q (s): during a ramp, p changes every q by R·q, so the
 * simulator's power stays piecewise constant and energies are integrated exactly on the
 * staircase. The staircase lags the ideal linear ramp by at most q and never exceeds the rate.
 *
 * ## Parameters
 *
 * | name              | unit | meaning                                                     |
 * | ----------------- | ---- | ----------------------------------------------------------- |
 * | floor_w           | W    | minimum power (floor as a share of TDP × TDP); 0: no floor |
 * | ramp_up_w_s       | W/s  | largest rise rate; +inf: unlimited                          |
 * | ramp_down_w_s     | W/s  | largest fall rate; +inf: unlimited                          |
 * | hysteresis_s      | s    | hold before ramping down                                    |
 * | quantum_s         | s    | staircase step during ramps (default 0.01 s)                |
 *
 * ## Validity and accuracy
 *
 * Describes the feature's published controls (NVML power smoothing on Blackwell and newer: floor
 * 20–90 % of TDP, ramp-up/ramp-down rates, ramp-down hysteresis; docs/references.md; Choukse et al.,
 * arXiv 2508.14318), not NVIDIA's firmware. A GPU cannot draw above its demand without a workload
 * to burn power; the model assumes one is available (burn kernels), as the published mitigation
 * does. The rise is assumed to be achievable: a compute phase cannot draw more than it demands,
 * so a rate-limited rise also slows that phase's start; the model keeps phase timing unchanged
 * and reports the energy difference only (a reduced model: the throughput cost is not modelled).
 */
#include <limits>

namespace dctwin::power {

struct SmoothingParams {
  double floor_w = 0;
  double ramp_up_w_s = std::numeric_limits<double>::infinity();
  double ramp_down_w_s = std::numeric_limits<double>::infinity();
  double hysteresis_s = 0;
  double quantum_s = 0.01;
};

// The smoother's state machine. Times are seconds. Usage: set_demand() whenever the demand
// changes; ask next_change() for the time of the next output change; advance(t) to that time.
class PowerSmoother {
 public:
  PowerSmoother(SmoothingParams p, double initial_w);
  void set_demand(double t, double demand_w);
  double output_w() const { return out_; }
  double demand_w() const { return demand_; }
  // Time of the next output change (+inf when settled).
  double next_change() const;
  // Moves to time t (t <= next_change(); at t == next_change() the output takes its next step).
  void advance(double t);
  // The whole mutable state (checkpoints of a run).
  struct State {
    double demand_w, out_w, t, hold_until, next;
  };
  State state() const { return {demand_, out_, t_, hold_until_, next_}; }
  void set_state(const State& s) {
    demand_ = s.demand_w;
    out_ = s.out_w;
    t_ = s.t;
    hold_until_ = s.hold_until;
    next_ = s.next;
  }

 private:
  double target() const;
  SmoothingParams p_;
  double demand_ = 0;
  double out_ = 0;
  double t_ = 0;
  double hold_until_ = -std::numeric_limits<double>::infinity();  // no ramp-down before this time
  double next_ = std::numeric_limits<double>::infinity();
  void schedule();
};

}  // namespace dctwin::power
