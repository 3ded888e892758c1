#pragma once
/**
 * @file failures.h
 * @brief Job interruptions from node failures: a Poisson process.
 *
 * ## Equations
 *
 *     job failure rate   λ = n_nodes / MTBF_node                 (1/s; independent nodes, any one
 *                                                                  failure halts a synchronous job)
 *     time to failure    τ = −ln(1 − u) / λ,  u ~ U[0, 1)        (inverse CDF of Exp(λ))
 *     expected lost work per failure ≈ checkpoint interval / 2 + detection, restart and reload time
 *
 * ## Parameters
 *
 * | name            | unit | meaning                                                       |
 * | --------------- | ---- | ------------------------------------------------------------- |
 * | node_mtbf_s     | s    | mean time between job-interrupting failures of one node       |
 * | nodes           | -    | nodes in the job                                              |
 *
 * ## Source and accuracy
 *
 * Llama 3 (Dubey et al., arXiv 2407.21783, §3.3.4): 466 job interruptions in 54 days on up to
 * 16,384 H100 GPUs (2,048 nodes of 8), 419 of them unexpected: λ ≈ 419 / (54 · 86400 s), so the
 * implied node MTBF ≈ 2048 · 54 · 24 / 419 ≈ 6,300 h. Real failures are not memoryless (infant
 * mortality, correlated failures of a rack or a switch); the Poisson model gives the right mean
 * rate, not bursts.
 */

namespace dctwin::workload {

double job_failure_rate_per_s(double nodes, double node_mtbf_s);
// Inverse-CDF sample; u in [0, 1).
double time_to_failure_s(double rate_per_s, double u);

}  // namespace dctwin::workload
