#pragma once
/**
 * @file jitter.h
 * @brief Per-rack compute-time jitter and stragglers in a synchronous step, reduced to a few
 *        cohorts of racks.
 *
 * ## Model
 *
 * Each rack's compute phase lasts t_c · (1 + σ z_r) in each step, z_r ~ N(0, 1) independent
 * across racks and steps (σ: coefficient of variation); with probability p per rack and step a
 * rack straggles and takes an extra s · t_c. A synchronous step's collective starts when the
 * slowest rack is done; the others wait at communication power. Racks are exchangeable, so the
 * n racks of a job are represented by K cohorts (K << n) whose finish times reproduce (1) the
 * spread of the finish times and (2) the step's end, the maximum over all n racks:
 *
 *     cohorts 0..K−2:  z_k = Φ⁻¹((k + ½) / (K − 1))            (fixed quantiles of the bulk)
 *     cohort  K−1:     z_max = Φ⁻¹(u^(1/n)), u ~ U(0,1)          (the maximum of n normals, exact)
 *                      plus s when a straggler occurs: P = 1 − (1 − p)^n per step
 *     multiplier m_k = max(0.1, 1 + σ z_k) (+ s for the last cohort when straggling)
 *
 * The expected slowdown of the step is E[max] ≈ σ · √(2 ln n) for large n (extreme-value theory,
 * e.g. David & Nagaraja, "Order Statistics", 3rd ed., §10.5).
 *
 * Φ⁻¹ is computed with Acklam's rational approximation refined by one Halley step (relative error
 * well below 1e-9 over (0, 1)).
 *
 * ## Parameters
 *
 * | name                    | unit | meaning                                              |
 * | ----------------------- | ---- | ---------------------------------------------------- |
 * | cv                      | -    | σ, coefficient of variation of a rack's compute time  |
 * | straggler_probability   | -    | p, per rack and step                                 |
 * | straggler_slowdown      | -    | s, extra compute time as a fraction of t_c            |
 * | cohorts                 | -    | K, cohorts representing the job's racks (>= 2)        |
 *
 * Per-rack mode (cohorts = "per-rack"): no reduction; every rack r of the job draws its own
 * multiplier each step from two uniforms (u_z, u_s) of the caller's seeded stream:
 *
 *     m_r = max(0.1, 1 + σ Φ⁻¹(u_z)) + (s if u_s < p)
 *
 * ## Accuracy
 *
 * Exact for the step's end (hence throughput and energy per step of the waiting racks in
 * aggregate); the ramp-down at the end of compute is a K-step staircase instead of an n-step one.
 * Measured against the per-rack mode (bench/bench_cohorts.cpp: `build/bin/bench_cohorts --seconds
 * 120 --runs 1`, the 100K-GPU campus at 100 ms, 2026-12-03), the default K = 8 is off by 0.16 % on
 * peak facility power, 0.10 % on swing, 2.0 % on the ramp-up maximum, 13.1 % on the ramp-down
 * maximum, 0.16 % on energy, 0.64 % on the 0.1–20 Hz band energy and 1.3 % on the band's largest
 * component; K = 64: 0.16, 0.16, 2.1, 6.3, 0.43, 4.3 and 0.71 % (docs/design.md, Cohorts).
 * Real jitter is correlated in time (a slow rack stays slow: thermals, a degraded link), which
 * this i.i.d. model does not capture; persistent stragglers raise p for specific racks.
 */
#include <vector>

namespace dctwin::workload {

double normal_quantile(double p);  // Φ⁻¹(p), p in (0, 1)
double normal_cdf(double z);

struct JitterParams {
  double cv = 0;
  double straggler_probability = 0;
  double straggler_slowdown = 0;
  int cohorts = 8;
  bool per_rack = false;  // one cohort per rack, each with its own draw (rack_multiplier); `cohorts` unused
};

// Compute-time multipliers of the K cohorts for one step; u_max and u_straggler are uniforms in
// (0, 1) drawn by the caller from its seeded stream; n_racks >= 1.
std::vector<double> cohort_multipliers(const JitterParams& j, double n_racks, double u_max, double u_straggler);

// Per-rack mode: the compute-time multiplier of one rack for one step from two uniforms in (0, 1).
double rack_multiplier(const JitterParams& j, double u_z, double u_straggler);

}  // namespace dctwin::workload
