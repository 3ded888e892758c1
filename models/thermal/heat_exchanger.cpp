#include "models/thermal/heat_exchanger.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dctwin::thermal {

double hx_effectiveness(HxFlow flow, double ntu, double cr) {
  if (ntu <= 0.0) return 0.0;
  if (cr <= 0.0) return 1.0 - std::exp(-ntu);
  switch (flow) {
    case HxFlow::Counterflow: {
      if (std::abs(1.0 - cr) < 1e-9) return ntu / (1.0 + ntu);
      const double e = std::exp(-ntu * (1.0 - cr));
      return (1.0 - e) / (1.0 - cr * e);
    }
    case HxFlow::ParallelFlow:
      return (1.0 - std::exp(-ntu * (1.0 + cr))) / (1.0 + cr);
    case HxFlow::CrossflowUnmixed:
      return 1.0 - std::exp((1.0 / cr) * std::pow(ntu, 0.22) * (std::exp(-cr * std::pow(ntu, 0.78)) - 1.0));
  }
  return 0.0;
}

double hx_ntu_for_effectiveness(HxFlow flow, double eps, double cr) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (eps <= 0.0) return 0.0;
  if (cr <= 0.0) return eps < 1.0 ? -std::log(1.0 - eps) : inf;
  switch (flow) {
    case HxFlow::Counterflow:
      if (eps >= 1.0) return inf;
      if (std::abs(1.0 - cr) < 1e-9) return eps / (1.0 - eps);
      return std::log((eps - 1.0) / (eps * cr - 1.0)) / (cr - 1.0);
    case HxFlow::ParallelFlow: {
      const double x = 1.0 - eps * (1.0 + cr);
      return x > 0.0 ? -std::log(x) / (1.0 + cr) : inf;
    }
    case HxFlow::CrossflowUnmixed: {
      // eps(NTU) increases monotonically; bracket then bisect.
      double lo = 0.0, hi = 1.0;
      while (hx_effectiveness(flow, hi, cr) < eps) {
        hi *= 2.0;
        if (hi > 1e6) return inf;
      }
      for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        (hx_effectiveness(flow, mid, cr) < eps ? lo : hi) = mid;
      }
      return 0.5 * (lo + hi);
    }
  }
  return inf;
}

HxResult hx_solve(HxFlow flow, double ua_w_k, double c_hot_w_k, double c_cold_w_k, double t_hot_in_c,
                  double t_cold_in_c) {
  const double c_min = std::min(c_hot_w_k, c_cold_w_k);
  const double c_max = std::max(c_hot_w_k, c_cold_w_k);
  if (c_min <= 0.0) {
    // no flow on one side: no heat transfer; outlets equal inlets
    return {0.0, t_hot_in_c, t_cold_in_c, 0.0, 0.0, 0.0};
  }
  const double cr = c_min / c_max;
  const double ntu = ua_w_k / c_min;
  const double eps = hx_effectiveness(flow, ntu, cr);
  const double q = eps * c_min * (t_hot_in_c - t_cold_in_c);
  return {q, t_hot_in_c - q / c_hot_w_k, t_cold_in_c + q / c_cold_w_k, eps, ntu, cr};
}

double hx_ua_for_effectiveness(HxFlow flow, double eps, double c_hot_w_k, double c_cold_w_k) {
  const double c_min = std::min(c_hot_w_k, c_cold_w_k);
  const double c_max = std::max(c_hot_w_k, c_cold_w_k);
  return hx_ntu_for_effectiveness(flow, eps, c_min / c_max) * c_min;
}

}  // namespace dctwin::thermal
