// gpu_runtime/common/lagged_step_fit.h — least-squares fit of a first-order-lagged
// piecewise-constant signal with continuous (sub-sample) boundary times.
//
// ## Model (the GPU power model of models/power/gpu.h and docs/design.md, "GPU power model")
//
//     target(t) = L[q_k]            for b_k <= t < b_{k+1},  k = 0 .. n-1  (segments)
//     dp/dt     = (target(t) - p(t)) / tau_k,   tau_k = tau_rise or tau_fall, as given per segment
//     p(b_0)    = p_0               (given, or L[q_0]: settled at the first segment's level)
//
// solved exactly, segment by segment:
//
//     p(t)      = L_k + (s_k - L_k) exp(-(t - b_k) / tau_k),   s_k = p(b_k)
//
// Samples are instantaneous: y_i = p(t_i) + noise (NVML_FI_DEV_POWER_INSTANT, a dctwin trace's
// instant column). Units: t, b, tau in s; L, p, y in W.
//
// ## Parameters fitted
//
// The levels L (W), ln tau_rise and ln tau_fall, and every interior boundary b_1 .. b_{n-1} (s,
// continuous, so a boundary can sit anywhere between two samples); b_0 and b_n (the span) are held.
// Which level and which time constant each segment uses is given (the phase sequence), not fitted.
//
// ## Method
//
// Levenberg–Marquardt (Levenberg 1944; Marquardt, J. SIAM 11(2), 1963) on the sum of squared
// residuals, Marquardt's scaling by diag(J'J). The Jacobian is exact (forward sensitivities of the
// closed form above, propagated from segment to segment); it is sparse because a boundary moves
// the signal only until its effect has decayed (sensitivities below 1e-12 of their initial value
// are dropped), and the damped normal equations are solved as a sparse LDL' (Eigen
// SimplicialLDLT). A step that would reorder boundaries (a segment shorter than 1 us) or take a
// time constant outside [1.2e-4, 20] s is refused like a step that raises the residual; it stops
// when a step lowers the residual by less than 1e-9 of it. Run time per iteration is linear in the
// samples (measured on this 2-core machine: 31 ms in all for 2,500 samples and 60 boundaries,
// 5 iterations; 0.68 s for 49,000 samples and 1,200 boundaries, 16 iterations).
//
// ## Validity
//
// A local method: it needs the phase sequence and boundaries started within a fraction of a sample
// interval of the truth (from 0.3-0.4 of one it converges to the exact values on noise-free samples:
// tests/unit/gpu_runtime/test_lagged_step_fit.cpp). A segment of one or two samples started too
// short to hold a sample, or more than its own length away, can stay there (a local minimum):
// profile_fit.cpp moves such segments whole to their best offset before this fit. A boundary between
// two segments of nearly equal level is weakly determined (its column of J is small; the damping
// keeps it near its start). With the averaged power field the boundaries of phases shorter than the
// window are not identifiable; this fit is for the instant field.
#pragma once

#include <limits>
#include <vector>

namespace dctwin::gpu {

struct LaggedSteps {
  std::vector<double> boundary_s;  ///< n + 1 increasing times: b_0 (span start) .. b_n (span end)
  std::vector<int> level_of;       ///< per segment (n): index into level_w
  std::vector<bool> rising;        ///< per segment (n): true -> tau_rise_s, false -> tau_fall_s
  std::vector<double> level_w;
  double tau_rise_s = 0.05, tau_fall_s = 0.05;
  double start_w = std::numeric_limits<double>::quiet_NaN();  ///< p(b_0), held; NaN: settled at the first level
};

/// p(t) at each of `ts` (ascending; times outside [b_0, b_n] take the first / last segment).
std::vector<double> lagged_steps_value(const LaggedSteps& m, const std::vector<double>& ts);
/// p(b_k) at each boundary k = 0 .. n (n + 1 values), in O(n).
std::vector<double> lagged_steps_states(const LaggedSteps& m);

struct LaggedStepsFit {
  LaggedSteps model;
  double sse_start_w2 = 0, sse_w2 = 0;
  int iterations = 0;
};

/// Least-squares fit from `start` to the samples (ts ascending, same length as y). Throws
/// std::invalid_argument when `start` is inconsistent (sizes, order, level indices).
LaggedStepsFit fit_lagged_steps(const LaggedSteps& start, const std::vector<double>& ts, const std::vector<double>& y,
                                int max_iterations = 100);

}  // namespace dctwin::gpu
