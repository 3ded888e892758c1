// libFuzzer harness: the power-limit sweep CSV reader and the DVFS-curve fit
// (gpu_runtime/common/limit_sweep.h). Any input gives rows or issues with a line; when it parses,
// every row is in range with a distinct limit, and (for a few rows, to keep each run short) the fit
// gives finite slowdowns and a curve within its bounds. Seeds: corpus/limit_sweep/.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gpu_runtime/common/limit_sweep.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dctwin::text::ParseIssues issues;
  const auto rows = dctwin::gpu::parse_limit_sweep(text, issues);
  if (!issues.empty()) return 0;
  if (rows.empty()) __builtin_trap();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (!(r.power_limit_w >= 1) || !(r.step_time_s > 0) || !(r.avg_power_w > 0) || r.line == 0) __builtin_trap();
    for (std::size_t j = 0; j < i; ++j)
      if (rows[j].power_limit_w == r.power_limit_w) __builtin_trap();
  }
  if (rows.size() > 4) return 0;
  const auto f = dctwin::gpu::fit_limit_sweep(rows);
  if (f.ok != (rows.size() >= 3)) __builtin_trap();
  if (!f.ok) return 0;
  if (!(f.curve.exponent >= 1 && f.curve.exponent <= 6) || !(f.compute_fraction >= 0 && f.compute_fraction <= 1)) __builtin_trap();
  for (const auto& p : f.points)
    if (!std::isfinite(p.predicted_slowdown) || p.predicted_slowdown < 1 - 1e-12) __builtin_trap();
  return 0;
}
