#include "sim/output/spectrum.h"

#include <unsupported/Eigen/FFT>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>

namespace dctwin {

namespace {
// Largest m <= n whose only prime factors are 2, 3 and 5: kissfft is fast for those sizes and
// O(n^2) for a large prime factor, so the series is cut to that length (at most a few % shorter).
std::size_t smooth_length(std::size_t n) {
  for (std::size_t m = n; m > 0; --m) {
    std::size_t r = m;
    for (std::size_t p : {2u, 3u, 5u})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
  return 0;
}

// The FFT of the first n samples less their mean.
std::vector<std::complex<double>> centered_spectrum(const std::vector<double>& series, std::size_t n) {
  double mean = 0;
  for (std::size_t i = 0; i < n; ++i) mean += series[i];
  mean /= static_cast<double>(n);
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = series[i] - mean;
  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> spec;
  fft.fwd(spec, x);
  return spec;
}

}  // namespace

std::optional<double> dominant_frequency_hz(const std::vector<double>& series, double dt_s) {
  const std::size_t n = smooth_length(series.size());
  if (n < 8) return std::nullopt;
  const std::vector<std::complex<double>> spec = centered_spectrum(series, n);
  std::size_t best = 0;
  double best_mag = 0;
  for (std::size_t k = 1; k <= n / 2; ++k) {
    const double m = std::norm(spec[k]);
    if (m > best_mag) {
      best_mag = m;
      best = k;
    }
  }
  if (best == 0 || best_mag <= 1e-30 * static_cast<double>(n)) return std::nullopt;
  return static_cast<double>(best) / (static_cast<double>(n) * dt_s);
}

std::optional<BandSpectrum> band_spectrum(const std::vector<double>& series, double dt_s, double f_lo_hz, double f_hi_hz) {
  const std::size_t n = smooth_length(series.size());
  if (n < 8 || !(dt_s > 0)) return std::nullopt;
  const std::vector<std::complex<double>> spec = centered_spectrum(series, n);
  BandSpectrum b;
  bool any = false;
  const double nd = static_cast<double>(n);
  for (std::size_t k = 1; 2 * k < n; ++k) {  // strictly below the Nyquist frequency
    const double f = static_cast<double>(k) / (nd * dt_s);
    if (f < f_lo_hz || f > f_hi_hz) continue;
    any = true;
    const double a = 2.0 * std::abs(spec[k]) / nd;
    b.energy += a * a / 2;
    if (a > b.peak) b.peak = a, b.peak_hz = f;
  }
  if (!any) return std::nullopt;
  return b;
}

std::optional<std::string> unresolved_period_note(double dt_s, double period_s) {
  if (!(period_s > 0) || dt_s < period_s / 2) return std::nullopt;
  const auto g = [](double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.6g", x);
    return std::string(b);
  };
  return "output_step_s " + g(dt_s) + " s cannot resolve the largest training job's step frequency " + g(1 / period_s) +
         " Hz (step period " + g(period_s) + " s): it lies at or above the Nyquist frequency " + g(0.5 / dt_s) +
         " Hz and its periodogram peak would alias; set output_step_s below " + g(period_s / 2) + " s";
}

double quantile(std::vector<double> series, double q) {
  if (series.empty()) return 0.0;
  std::sort(series.begin(), series.end());
  const double pos = q * static_cast<double>(series.size() - 1);
  const std::size_t i = static_cast<std::size_t>(std::floor(pos));
  const double f = pos - static_cast<double>(i);
  return i + 1 < series.size() ? series[i] * (1 - f) + series[i + 1] * f : series[i];
}

}  // namespace dctwin
