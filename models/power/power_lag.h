#pragma once
/**
 * @file power_lag.h
 * @brief First-order rise and fall lags of a GPU's power between phase levels, as an
 *        energy-exact staircase.
 *
 * ## Equation (per GPU, t in s)
 *
 *     p(t) = x + (p0 - x) exp(-(t - t0) / tau),   tau = tau_rise if x > p0 else tau_fall
 *
 * x is the target (the phase power, after smoothing when that is on), p0 the power when the
 * target last changed (at t0). This is the response gpu_runtime's calibration fits to measured
 * traces (gpu_runtime/common/profile_fit.h: dp/dt = (target - p) / tau, tau by direction).
 *
 * ## Staircase
 *
 * The simulator's power is piecewise constant, so the response is a staircase of quanta of
 * q = tau / 2 (s); over quantum k the output is the exact mean of p over it:
 *
 *     P_k = x + (p0 - x) exp(-k q / tau) * (tau / q) * (1 - exp(-q / tau))
 *
 * so the energy of every complete quantum is exact. The lag settles (output = x, no more steps)
 * once |p - x| falls below max(0.5 W, 1 % of |p0 - x|). Energy error per transition: at most the
 * settling remainder x tau, plus the difference between the staircase and the exact curve over a
 * quantum cut short by a new target (both bounded by |p0 - x| q).
 *
 * ## Parameters
 *
 * | name       | unit | meaning                                             |
 * | ---------- | ---- | --------------------------------------------------- |
 * | tau_rise_s | s    | time constant of rises (> 0)                        |
 * | tau_fall_s | s    | time constant of falls (> 0)                        |
 *
 * There is no public figure for data-centre GPUs; dctwin applies a lag only when the GPU profile
 * has one ("power_lag", e.g. written by `dctwin calibrate` from a measured trace).
 *
 * ## Validity
 *
 * A lumped response of the GPU's power delivery and clock changes, ms to 100s of ms; it does not
 * change a phase's timing (the work of a phase is not slowed by a slow rise: a reduced model).
 */
#include <limits>

namespace dctwin::power {

struct PowerLagParams {
  double tau_rise_s = 0;
  double tau_fall_s = 0;
};

class PowerLag {
 public:
  PowerLag() = default;
  PowerLag(PowerLagParams p, double initial_w);
  // The target changes at t (>= the last call's t).
  void set_target(double t, double target_w);
  double target_w() const { return target_; }
  double output_w() const { return out_; }
  // Start of the next quantum (+inf when settled).
  double next_change() const { return next_; }
  // Moves to t == next_change(): the output takes the next quantum's value.
  void advance(double t);

 private:
  void set_quantum_output();
  PowerLagParams p_;
  double target_ = 0, p0_ = 0, t0_ = 0, tau_ = 1, q_ = 0.5, settle_w_ = 0.5;
  long k_ = 0;
  double out_ = 0;
  double next_ = std::numeric_limits<double>::infinity();
};

}  // namespace dctwin::power
