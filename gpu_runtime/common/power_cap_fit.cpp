// gpu_runtime/common/power_cap_fit.cpp — fit_power_cap (profile_fit.h, "Method" 4): the power-cap
// exponent from traces at several power limits.
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "gpu_runtime/common/limit_sweep.h"
#include "gpu_runtime/common/profile_fit.h"

namespace dctwin::gpu {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
enum { kIdle = 0, kCompute = 1 };
}  // namespace

CapFit fit_power_cap(const std::vector<TraceFit>& fits) {
  CapFit c;
  std::vector<const TraceFit*> v;
  for (const auto& f : fits)
    if (!std::isnan(f.power_limit_w) && !std::isnan(f.mean_level(kCompute))) v.push_back(&f);
  if (v.size() < 2) {
    c.note = "power-cap exponent not fitted: it needs traces at two or more power limits (with the limit recorded)";
    return c;
  }
  std::sort(v.begin(), v.end(), [](const TraceFit* a, const TraceFit* b) { return a->power_limit_w > b->power_limit_w; });
  const TraceFit& ref = *v.front();
  c.reference_w = ref.mean_level(kCompute);
  c.static_w = ref.mean_level(kIdle);
  if (std::isnan(c.static_w)) {
    for (const auto* f : v)
      if (!std::isnan(f->mean_level(kIdle))) c.static_w = f->mean_level(kIdle);
  }
  if (std::isnan(c.static_w)) {
    c.note = "power-cap exponent not fitted: idle power (P_s) not observed in any trace";
    return c;
  }
  const double f0 = ref.mean_of(&SeriesFit::compute_sm_clock_mhz);
  const double t0 = ref.gpus.empty() ? kNaN : [&] {
    double sum = 0;
    int n = 0;
    for (const auto& g : ref.gpus)
      if (!std::isnan(g.mean_duration_s[kCompute])) sum += g.mean_duration_s[kCompute], ++n;
    return n ? sum / n : kNaN;
  }();
  double sxy = 0, sxx = 0;
  std::vector<std::pair<double, double>> xy;
  for (std::size_t i = 1; i < v.size(); ++i) {
    const TraceFit& f = *v[i];
    if (!(f.power_limit_w < ref.power_limit_w)) continue;
    CapPoint p;
    p.power_limit_w = f.power_limit_w;
    p.compute_w = f.mean_level(kCompute);
    const double fi = f.mean_of(&SeriesFit::compute_sm_clock_mhz);
    double ti = 0;
    int n = 0;
    for (const auto& g : f.gpus)
      if (!std::isnan(g.mean_duration_s[kCompute])) ti += g.mean_duration_s[kCompute], ++n;
    ti = n ? ti / n : kNaN;
    if (!std::isnan(fi) && !std::isnan(f0) && f0 > 0) {
      p.clock_ratio = fi / f0;
      p.from_clock = true;
    } else if (!std::isnan(ti) && !std::isnan(t0) && ti > 0) {
      p.clock_ratio = t0 / ti;
    } else {
      continue;
    }
    p.slowdown = std::isnan(ti) || std::isnan(t0) ? kNaN : ti / t0;
    c.points.push_back(p);
    const double ry = (p.compute_w - c.static_w) / (c.reference_w - c.static_w);
    if (!(p.clock_ratio < 0.995) || !(ry > 0) || !(ry < 1)) continue;  // the cap did not bind
    const double x = std::log(p.clock_ratio), yv = std::log(ry);
    xy.emplace_back(x, yv);
    sxy += x * yv;
    sxx += x * x;
  }
  if (xy.empty()) {
    c.note = "power-cap exponent not fitted: no lower-limit trace shows both a lower compute power and a lower clock (the cap did not bind)";
    return c;
  }
  c.exponent = sxy / sxx;
  double ss = 0;
  for (auto [x, yv] : xy) ss += (yv - c.exponent * x) * (yv - c.exponent * x);
  c.rmse_log = std::sqrt(ss / static_cast<double>(xy.size()));
  c.ok = true;
  c.note = c.points.front().from_clock ? "f/f_0 from the recorded SM clock in compute phases"
                                       : "f/f_0 from the compute-phase slowdown (t_0/t): no SM clock recorded";
  return c;
}

std::vector<LimitSweepRow> cap_fit_rows(const CapFit& c, double reference_limit_w) {
  std::vector<LimitSweepRow> rows;
  if (std::isnan(reference_limit_w) || std::isnan(c.reference_w) || !(c.reference_w > 0)) return rows;
  rows.push_back({reference_limit_w, 1.0, c.reference_w, 0});
  for (const auto& p : c.points)
    if (std::isfinite(p.slowdown) && p.slowdown > 0 && p.compute_w > 0) rows.push_back({p.power_limit_w, p.slowdown, p.compute_w, 0});
  return rows;
}

}  // namespace dctwin::gpu
