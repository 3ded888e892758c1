// gpu_runtime/common/limit_sweep.h — a power-limit sweep and the DVFS curve fitted to it.
//
// ## Input (CSV; the form published power-limit studies and `nvidia-smi -pl` experiments give)
//
//     power_limit_w, step_time_s, avg_power_w       header (columns in any order; '#' comments)
//     700, 1.00, 652                                one row per limit
//
// step_time_s is the time per unit of work at that limit (a step, an epoch, 1/throughput: any
// unit, the same in every row); avg_power_w the GPU's mean power over that work. Strict: every
// problem "line N: expected COLUMN ..., found ..." (exit 2 through the loader); limits distinct.
//
// ## Model fitted (models/power/power_cap.h, and a compute-bound share of the step)
//
//     reference row: the highest limit (t_0, P_ref)
//     r_i = (P_i - P_s) / (P_ref - P_s),   x_i = dvfs_clock_ratio(curve, r_i)   (x = 1 when r >= 1)
//     predicted slowdown  s_i = beta / x_i + (1 - beta)
//
// beta is the share of the reference step that scales with the clock (compute-bound); the rest
// (memory, communication, host) is taken as clock-independent. Parameters P_s in [0, 0.95 min P),
// beta in [0, 1], a in [1, 6], x_k in [0, 0.95] minimise sum (s_i / s_meas,i - 1)²: a grid, then a
// shrinking pattern search from the best grid point. Deterministic. Only as many parameters are
// fitted as leave one residual: with n capped rows (below the reference) the first min(4, n - 1)
// of P_s, beta, a, x_k (at least P_s); the others stay at beta = 1, a = 3, no knee.
//
// ## Accuracy and limits
//
// With few rows the fit nearly interpolates and its in-sample error says little; the
// leave-one-out error (each capped row predicted by the fit to the others) is reported for that
// reason, and is what the validation checks.
// P_s, a and x_k trade off against each other, so the curve is identified only over the measured
// range: outside it, it is an extrapolation. Validation: tests/validation/
// test_power_cap_references.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/power/power_cap.h"
#include "models/text/parse_issue.h"

namespace dctwin::gpu {

struct LimitSweepRow {
  double power_limit_w = 0, step_time_s = 0, avg_power_w = 0;
  std::size_t line = 0;
};

inline constexpr std::size_t kMaxLimitSweepRows = 10000;
inline constexpr std::size_t kMaxLimitSweepBytes = 4u << 20;

/// Parses the CSV; every problem goes to `issues` (then the result is not to be used).
std::vector<LimitSweepRow> parse_limit_sweep(std::string_view text, text::ParseIssues& issues);
/// Reads and parses a file; throws InputError with one line per problem ("FILE: line N: ...").
std::vector<LimitSweepRow> load_limit_sweep_file(const std::string& path);

struct SweepPoint {
  double limit_w = 0, avg_power_w = 0, measured_slowdown = 0, predicted_slowdown = 0;
  double loo_predicted_slowdown = 0;  ///< predicted by the fit to the other rows (NaN when too few)
};

struct SweepFit {
  bool ok = false;
  power::DvfsCurve curve;
  double compute_fraction = 1;  ///< beta
  double reference_limit_w = 0, reference_power_w = 0, reference_step_s = 0;
  double max_abs_error_pct = 0, rms_error_pct = 0;  ///< of predicted vs measured slowdown
  double max_abs_loo_error_pct = 0;                 ///< leave-one-out; NaN when fewer than four rows
  std::vector<SweepPoint> points;                   ///< every row, highest limit first
  std::string note;
};

/// Fits the curve (see the header). ok=false with a note when fewer than three distinct limits.
SweepFit fit_limit_sweep(const std::vector<LimitSweepRow>& rows);

}  // namespace dctwin::gpu
