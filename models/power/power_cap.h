#pragma once
/**
 * @file power_cap.h
 * @brief A per-GPU power cap acting through DVFS on a voltage-frequency curve with a voltage
 *        floor: capped power and the slowdown it causes.
 *
 * ## Equation
 *
 * x = f / f_0 (clock relative to the uncapped clock), v = V / V_0. CMOS dynamic power is
 * P_dyn = α C_eff V² f, so P_dyn / P_dyn,0 = x v(x)². The voltage follows the clock down to a
 * floor at the knee x_k and stays there below it:
 *
 *     v(x) = x^((a-1)/2)            x >= x_k      (above the knee: P_dyn ∝ f V² = f^a)
 *     v(x) = x_k^((a-1)/2)          x <  x_k      (voltage floor: P_dyn ∝ f at constant V)
 *     D(x) = P_dyn / P_dyn,0 = x^a                    x >= x_k
 *                            = x * x_k^(a-1)          x <  x_k        (continuous at x_k)
 *     P(x) = P_s + (P_0 - P_s) * D(x)            (W; P_0 = uncapped phase power at clock f_0)
 *     cap C < P_0:  r = (C - P_s) / (P_0 - P_s),
 *                   x = r^(1/a)                  if r >= x_k^a
 *                   x = r / x_k^(a-1)            otherwise,        P = C
 *     compute-bound phase:  t_capped = t_0 / x   (time scales with 1/clock)
 *     other phases:         t_capped = t_0       (memory- or communication-bound)
 *     C >= P_0: no effect (P = P_0, t = t_0).  C <= P_s: the GPU cannot run; rejected by the loader.
 *
 * With V ∝ f above the knee a = 3 (Weste & Harris, "CMOS VLSI Design", 4th ed., ch. 5, power;
 * docs/design.md, "GPU power model"). P_s is the part of the power that does not scale with the
 * clock (leakage, memory, board); it is a fitted parameter (`dctwin calibrate --limit-sweep`,
 * gpu_runtime/common/profile_fit.h), not assumed equal to idle power.
 *
 * Older parameters map exactly: a single DVFS exponent a (jobs[].power_cap.dvfs_exponent,
 * cooling.gpu_thermal.dvfs_exponent) is this curve with exponent a, no knee (x_k = 0) and
 * P_s = the profile's idle power; apply_power_cap's five-argument form is that case.
 *
 * ## Parameters
 *
 * | name             | unit | meaning                                                        |
 * | ---------------- | ---- | -------------------------------------------------------------- |
 * | phase_w          | W    | P_0: the phase's uncapped power                                |
 * | static_w         | W    | P_s: clock-independent power (fitted; idle power by default)   |
 * | cap_w            | W    | C: the power limit (nvidia-smi -pl)                            |
 * | exponent         | -    | a: dynamic power ~ f^a above the knee (3 by default)           |
 * | knee_clock_ratio | -    | x_k in [0, 1): clock ratio where voltage reaches its floor     |
 *
 * ## Validity and accuracy
 *
 * Caps between P_s and P_0. Real GPUs at high clocks sit near the top of the V/f curve where
 * voltage rises faster than the clock (a > 3 locally); a single exponent above the knee is a
 * reduction. Memory-bound work slows less than 1/x: a whole training step mixes both, which the
 * limit-sweep fit represents by a compute-bound fraction of the step time. Fitted against
 * public power-limit sweeps in tests/validation/test_power_cap_references.cpp.
 */

namespace dctwin::power {

struct DvfsCurve {
  double static_w = 0;          // P_s, W
  double exponent = 3;          // a
  double knee_clock_ratio = 0;  // x_k; 0: no voltage floor in range
};

struct CappedPhase {
  double power_w = 0;      // power drawn under the cap
  double clock_ratio = 1;  // f / f_0, <= 1
  double slowdown = 1;     // t_capped / t_0, >= 1 for compute-bound phases, 1 otherwise
};

/// D(x): the dynamic power at clock ratio x relative to the uncapped dynamic power.
double dvfs_dynamic_fraction(const DvfsCurve& c, double clock_ratio);
/// The inverse: the clock ratio x at which D(x) = r (r in (0, 1]).
double dvfs_clock_ratio(const DvfsCurve& c, double dynamic_fraction);

CappedPhase apply_power_cap(double phase_w, const DvfsCurve& curve, double cap_w, bool compute_bound);
/// The single-exponent form: exponent a, no knee, P_s = static_w.
CappedPhase apply_power_cap(double phase_w, double static_w, double cap_w, double exponent, bool compute_bound);

}  // namespace dctwin::power
