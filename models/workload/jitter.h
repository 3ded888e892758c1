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
 *     stragglers:      k ~ Binomial(n, p) racks straggle this step
 *     cohort  K−1:     the slowest rack, exact in distribution:
 *                      max( m(Φ⁻¹(u₁^(1/(n−k)))),  m(Φ⁻¹(u₂^(1/k))) + s )
 *                      (the slowest of the n − k others; the slowest of the k stragglers plus s;
 *                      u₁, u₂ ~ U(0,1); the maximum of r standard normals is Φ⁻¹(u^(1/r)))
 *     multiplier m(z) = max(0.1, 1 + σ z); no bulk cohort exceeds the last (with few racks the
 *                      realized maximum can fall below the bulk's highest quantiles)
 *
 * k is drawn by the inverse CDF from the same uniform that decides whether any rack straggles
 * (P(k ≥ 1) = 1 − (1 − p)^n). Before 2026-12-04 the straggler's s was added to the maximum of all n
 * racks, as if the slowest rack were the one that straggled: about σ E[max of n] · t_c too long on
 * every straggler step (3 % of t_c at σ = 1 %, n = 1,280); and the last cohort was raised to the
 * bulk's highest quantile when the drawn maximum fell below it, lengthening steps of small jobs
 * (18 % of the steps of a 23-rack job with 8 cohorts).
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
 * Common draws (draws = "per-rack", cohort mode): the caller draws the n racks' uniforms exactly as
 * the per-rack mode does and the last cohort takes their realized maximum, max_r m_r, instead of a
 * draw of the maximum's distribution (the same distribution: the maximum of n i.i.d. multipliers).
 * A cohort run and a per-rack run with the same seed then end every step at the same time, so their
 * difference is the reduction's alone (the staircase of the bulk), not one realization against
 * another: what bench/bench_cohorts.cpp measures. It costs n draws per step instead of 2.
 *
 * ## Accuracy
 *
 * Exact in distribution for the step's end (hence throughput and energy per step of the waiting racks in
 * aggregate); the ramp-down at the end of compute is a K-step staircase instead of an n-step one.
 * Measured against the per-rack mode with common draws (bench/bench_cohorts.cpp: `build/bin/bench_cohorts
 * --seconds 1800 --runs 1`, the 100K-GPU campus at 100 ms, 2026-12-04; docs/design.md, Cohorts), the
 * default K = 8 is off by 0.08 % on peak facility power, 0.14 % on swing, 0.00 % on the ramp-up
 * maximum, 5.3 % on the ramp-down maximum, 0.25 % on energy, 3.2 % on the 0.1–20 Hz band energy and
 * 1.8 % on the band's largest component; K = 64: 0.01, 0.03, 0.00, 0.37, 0.03, 0.42 and 0.23 %.
 * Real jitter is correlated in time (a slow rack stays slow: thermals, a degraded link), which
 * this i.i.d. model does not capture; persistent stragglers raise p for specific racks.
 */
#include <algorithm>
#include <cstdint>
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
  bool common_draws = false;  // cohort mode: the last cohort takes the racks' realized maximum (max_rack_multiplier)
};

// Compute-time multipliers of the K cohorts for one step; u_max (the others' maximum), u_straggler
// (how many straggle) and u_straggler_max (the stragglers' maximum) are uniforms in (0, 1) drawn by
// the caller from its seeded stream; n_racks >= 1.
std::vector<double> cohort_multipliers(const JitterParams& j, double n_racks, double u_max, double u_straggler,
                                       double u_straggler_max);

// Per-rack mode: the compute-time multiplier of one rack for one step from two uniforms in (0, 1).
double rack_multiplier(const JitterParams& j, double u_z, double u_straggler);

// Common draws: the K cohorts' multipliers when the last takes `max_multiplier`, the realized
// maximum of the racks' rack_multiplier (no bulk cohort above it, as in cohort_multipliers).
std::vector<double> cohort_multipliers_with_max(const JitterParams& j, double max_multiplier);

// max over the n racks of rack_multiplier(j, u_z[r], u_s[r]) for the uniforms `next()` returns in the
// per-rack mode's order (u_z, then u_s, rack by rack): two quantile evaluations instead of n, since
// the multiplier increases with u_z.
template <class NextUniform>
double max_rack_multiplier(const JitterParams& j, std::int64_t n, NextUniform&& next) {
  double top = -1, top_straggling = -1;  // largest u_z of the racks without and with a straggler
  for (std::int64_t r = 0; r < n; ++r) {
    const double u_z = next();
    const double u_s = next();
    double& slot = (j.straggler_probability > 0 && u_s < j.straggler_probability) ? top_straggling : top;
    slot = std::max(slot, u_z);
  }
  double m = top >= 0 ? rack_multiplier(j, top, 1.0) : 0.0;
  if (top_straggling >= 0) m = std::max(m, rack_multiplier(j, top_straggling, 0.0));
  return m;
}

}  // namespace dctwin::workload
