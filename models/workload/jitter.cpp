#include "models/workload/jitter.h"

#include <algorithm>
#include <cmath>

namespace dctwin::workload {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  // P. J. Acklam's algorithm (2003): rational approximations in a central and two tail regions.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double plow = 0.02425, phigh = 1 - plow;
  double x;
  if (p < plow) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= phigh) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One step of Halley's method on Φ(x) − p.
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

namespace {
// Cohorts 0..K-2 at the bulk's fixed quantiles; the last entry is left for the maximum.
std::vector<double> bulk_multipliers(const JitterParams& j) {
  const int k = std::max(2, j.cohorts);
  std::vector<double> m(static_cast<std::size_t>(k));
  for (int i = 0; i + 1 < k; ++i)
    m[static_cast<std::size_t>(i)] = std::max(0.1, 1 + j.cv * normal_quantile((i + 0.5) / (k - 1)));
  return m;
}

// The last cohort is the slowest rack; no bulk quantile may exceed it (with few racks the realized
// maximum can fall below the bulk's highest quantile: the step still ends with the slowest rack).
std::vector<double> with_last(std::vector<double> m, double last) {
  m.back() = last;
  for (std::size_t i = 0; i + 1 < m.size(); ++i) m[i] = std::min(m[i], last);
  return m;
}
}  // namespace

std::vector<double> cohort_multipliers_with_max(const JitterParams& j, double max_multiplier) {
  std::vector<double> m = bulk_multipliers(j);
  return with_last(std::move(m), max_multiplier);
}

std::vector<double> cohort_multipliers(const JitterParams& j, double n_racks, double u_max, double u_straggler,
                                       double u_straggler_max) {
  std::vector<double> m = bulk_multipliers(j);
  const double n = std::max(1.0, std::floor(n_racks));
  // The largest multiplier among r racks from one uniform u: max(0.1, 1 + σ Φ⁻¹(u^(1/r))).
  const auto max_of = [&](double r, double u) {
    const double p = std::exp(std::log(std::clamp(u, 1e-300, 1.0)) / r);  // u^(1/r), accurate for large r
    return std::max(0.1, 1 + j.cv * normal_quantile(std::min(p, 1 - 1e-16)));
  };
  // Stragglers: k ~ Binomial(n, p); P(k >= 1) = 1 - (1 - p)^n. Given k >= 1 (u_straggler < P), the
  // uniform u_straggler / P picks k from the conditional distribution (inverse CDF, pmf by recurrence).
  const double p = j.straggler_probability;
  double k = 0;
  if (p >= 1) {
    k = n;
  } else if (p > 0) {
    const double p_any = -std::expm1(n * std::log1p(-p));
    if (u_straggler < p_any) {
      const double w = u_straggler / p_any;
      double pmf = n * p * std::exp((n - 1) * std::log1p(-p)), cum = 0;  // P(k = 1)
      for (k = 1; k < n; ++k) {
        cum += pmf / p_any;
        if (w < cum) break;
        pmf *= (n - k) / (k + 1) * p / (1 - p);
      }
    }
  }
  // The step's slowest rack: the slowest of the n - k others, or the slowest straggler (+ s).
  double last = 0;
  if (k < n) last = max_of(n - k, u_max);
  if (k > 0) last = std::max(last, max_of(k, u_straggler_max) + j.straggler_slowdown);
  return with_last(std::move(m), last);
}

double rack_multiplier(const JitterParams& j, double u_z, double u_straggler) {
  double m = std::max(0.1, 1 + j.cv * normal_quantile(std::clamp(u_z, 1e-16, 1 - 1e-16)));
  if (j.straggler_probability > 0 && u_straggler < j.straggler_probability) m += j.straggler_slowdown;
  return m;
}

}  // namespace dctwin::workload
