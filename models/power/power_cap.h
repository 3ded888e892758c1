#pragma once
/**
 * @file power_cap.h
 * @brief A per-GPU power cap acting through DVFS: capped power and the slowdown it causes.
 *
 * ## Equation
 *
 *     P(f)  = P_s + (P_0 - P_s) * (f / f_0)^a            (W; P_0 = uncapped phase power at clock f_0)
 *     cap C < P_0:   f / f_0 = ((C - P_s) / (P_0 - P_s))^(1/a),   P = C
 *     compute-bound phase:  t_capped = t_0 * f_0 / f     (time scales with 1/clock)
 *     other phases:         t_capped = t_0               (memory- or communication-bound)
 *     C >= P_0: no effect (P = P_0, t = t_0).  C <= P_s: the GPU cannot run; rejected by the loader.
 *
 * CMOS dynamic power is P_dyn = α C_eff V² f; across the DVFS range the voltage roughly follows
 * the clock (V ∝ f), which gives P_dyn ∝ f³, the default exponent a = 3 (Weste & Harris, "CMOS
 * VLSI Design", 4th ed., ch. 5, power; docs/design.md, "GPU power model"). P_s, the part that does not scale
 * with the clock, is taken as the GPU's idle power.
 *
 * ## Parameters
 *
 * | name       | unit | meaning                                                           |
 * | ---------- | ---- | ----------------------------------------------------------------- |
 * | phase_w    | W    | P_0: the phase's uncapped power                                   |
 * | static_w   | W    | P_s: clock-independent power (idle power)                         |
 * | cap_w      | W    | C: the power limit (nvidia-smi -pl)                               |
 * | exponent   | -    | a: dynamic power ~ f^a (3 by default; measured GPUs often 2–3)    |
 *
 * ## Validity and accuracy
 *
 * Caps between P_s and P_0. Real GPUs at high clocks sit near the top of the V/f curve where
 * voltage rises faster than the clock (a > 3 locally), and at low clocks voltage hits its floor
 * (a → 1): a single exponent is a reduced model. Memory-bound work slows less than 1/f. Calibrate
 * a from traces at several power limits (gpu_runtime calibration) where possible.
 */

namespace dctwin::power {

struct CappedPhase {
  double power_w = 0;      // power drawn under the cap
  double clock_ratio = 1;  // f / f_0, <= 1
  double slowdown = 1;     // t_capped / t_0, >= 1 for compute-bound phases, 1 otherwise
};

CappedPhase apply_power_cap(double phase_w, double static_w, double cap_w, double exponent, bool compute_bound);

}  // namespace dctwin::power
