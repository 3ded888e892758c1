#include "viz/demand.h"

#include <unsupported/Eigen/FFT>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

namespace dctwin::viz {

std::optional<std::size_t> samples_per_interval(double dt_s, double interval_s) {
  if (!(dt_s > 0) || !(interval_s > 0)) return std::nullopt;
  const double r = interval_s / dt_s;
  const double k = std::round(r);
  if (k < 1 || std::abs(r - k) > 1e-6 * k) return std::nullopt;
  return static_cast<std::size_t>(k);
}

std::vector<double> interval_means(const std::vector<double>& x, double dt_s, double interval_s) {
  const auto k = samples_per_interval(dt_s, interval_s);
  if (!k) return {};
  const std::size_t m = x.size() / *k;
  std::vector<double> out(m);
  for (std::size_t i = 0; i < m; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < *k; ++j) s += x[i * *k + j];
    out[i] = s / static_cast<double>(*k);
  }
  return out;
}

std::optional<Peak> peak_demand(const std::vector<double>& x, double dt_s, double interval_s) {
  const auto d = interval_means(x, dt_s, interval_s);
  if (d.empty()) return std::nullopt;
  const auto it = std::max_element(d.begin(), d.end());
  return Peak{*it, static_cast<double>(it - d.begin()) * interval_s, d.size()};
}

double mean(const std::vector<double>& x) {
  if (x.empty()) return 0;
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

std::optional<double> load_factor(double mean_value, double peak_value) {
  if (!(peak_value > 0)) return std::nullopt;
  return mean_value / peak_value;
}

std::vector<double> ramp_rates(const std::vector<double>& x, double dt_s, double interval_s) {
  const auto d = interval_means(x, dt_s, interval_s);
  std::vector<double> r;
  if (d.size() < 2) return r;
  r.reserve(d.size() - 1);
  for (std::size_t i = 0; i + 1 < d.size(); ++i) r.push_back((d[i + 1] - d[i]) / interval_s);
  return r;
}

std::optional<RampExtremes> ramp_extremes(const std::vector<double>& x, double dt_s, double interval_s) {
  const auto r = ramp_rates(x, dt_s, interval_s);
  if (r.empty()) return std::nullopt;
  RampExtremes e;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const double t = static_cast<double>(i + 1) * interval_s;
    if (r[i] > e.max_up) {
      e.max_up = r[i];
      e.t_up_s = t;
    }
    if (-r[i] > e.max_down) {
      e.max_down = -r[i];
      e.t_down_s = t;
    }
  }
  return e;
}

std::size_t welch_segment_for(std::size_t n, double dt_s, double f_lo_hz) {
  if (n < 8) return n;
  // df = 1 / (segment * dt) <= f_lo / 20  ->  segment >= 20 / (f_lo * dt)
  const double want = f_lo_hz > 0 && dt_s > 0 ? 20.0 / (f_lo_hz * dt_s) : 256.0;
  std::size_t seg = 8;
  while (static_cast<double>(seg) < want && seg * 2 <= n) seg *= 2;
  // Keep at least a few segments to average when the series allows it without losing f_lo.
  return std::min(seg, n);
}

Psd welch_psd(const std::vector<double>& x, double dt_s, std::size_t segment) {
  Psd p;
  const std::size_t n = x.size();
  if (n < 8 || !(dt_s > 0)) return p;
  const std::size_t m = std::clamp<std::size_t>(segment, 8, n);
  const std::size_t hop = std::max<std::size_t>(1, m / 2);
  std::vector<double> w(m);
  double u = 0;
  for (std::size_t i = 0; i < m; ++i) {
    // Periodic Hann window (as scipy.signal.get_window('hann', m) for spectral analysis).
    w[i] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(m));
    u += w[i] * w[i];
  }
  const double fs = 1.0 / dt_s;
  const std::size_t bins = m / 2 + 1;
  p.density.assign(bins, 0.0);
  Eigen::FFT<double> fft;
  std::vector<double> seg(m);
  std::vector<std::complex<double>> spec;
  std::size_t count = 0;
  for (std::size_t start = 0; start + m <= n; start += hop) {
    double mu = 0;
    for (std::size_t i = 0; i < m; ++i) mu += x[start + i];
    mu /= static_cast<double>(m);
    for (std::size_t i = 0; i < m; ++i) seg[i] = (x[start + i] - mu) * w[i];
    fft.fwd(spec, seg);
    for (std::size_t k = 0; k < bins; ++k) {
      const bool edge = k == 0 || (m % 2 == 0 && k == m / 2);
      p.density[k] += std::norm(spec[k]) * (edge ? 1.0 : 2.0) / (fs * u);
    }
    ++count;
  }
  for (double& d : p.density) d /= static_cast<double>(count);
  p.segment = m;
  p.segments = count;
  p.df_hz = fs / static_cast<double>(m);
  p.f_hz.resize(bins);
  for (std::size_t k = 0; k < bins; ++k) p.f_hz[k] = static_cast<double>(k) * p.df_hz;
  return p;
}

std::optional<double> band_share(const Psd& psd, double f_lo_hz, double f_hi_hz) {
  double total = 0, in = 0;
  for (std::size_t k = 1; k < psd.density.size(); ++k) {
    total += psd.density[k];
    if (psd.f_hz[k] >= f_lo_hz && psd.f_hz[k] <= f_hi_hz) in += psd.density[k];
  }
  if (!(total > 0)) return std::nullopt;
  return in / total;
}

std::optional<double> psd_peak_hz(const Psd& psd) {
  std::size_t best = 0;
  double best_v = 0;
  for (std::size_t k = 1; k < psd.density.size(); ++k)
    if (psd.density[k] > best_v) {
      best_v = psd.density[k];
      best = k;
    }
  if (best == 0) return std::nullopt;
  return psd.f_hz[best];
}

double psd_rms(const Psd& psd) {
  double s = 0;
  for (std::size_t k = 1; k < psd.density.size(); ++k) s += psd.density[k];
  return std::sqrt(s * psd.df_hz);
}

Curve load_duration_curve(const std::vector<double>& x, std::size_t points) {
  Curve c;
  if (x.empty() || points == 0) return c;
  std::vector<double> s = x;
  std::sort(s.begin(), s.end(), std::greater<>());
  const std::size_t n = s.size();
  const std::size_t p = std::min(points, n);
  for (std::size_t i = 0; i < p; ++i) {
    const std::size_t idx = p == 1 ? 0 : (i * (n - 1)) / (p - 1);
    c.x.push_back(100.0 * static_cast<double>(idx + 1) / static_cast<double>(n));
    c.y.push_back(s[idx]);
  }
  return c;
}

Decimated minmax_decimate(const std::vector<double>& x, double t0_s, double dt_s, std::size_t buckets) {
  Decimated d;
  const std::size_t n = x.size();
  if (buckets == 0 || n <= 2 * buckets) {
    d.t.resize(n);
    for (std::size_t i = 0; i < n; ++i) d.t[i] = t0_s + static_cast<double>(i) * dt_s;
    d.v = x;
    return d;
  }
  d.t.reserve(2 * buckets);
  d.v.reserve(2 * buckets);
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t lo = b * n / buckets, hi = (b + 1) * n / buckets;
    std::size_t imin = lo, imax = lo;
    for (std::size_t i = lo; i < hi; ++i) {
      if (x[i] < x[imin]) imin = i;
      if (x[i] > x[imax]) imax = i;
    }
    const std::size_t a = std::min(imin, imax), c = std::max(imin, imax);
    d.t.push_back(t0_s + static_cast<double>(a) * dt_s);
    d.v.push_back(x[a]);
    if (c != a) {
      d.t.push_back(t0_s + static_cast<double>(c) * dt_s);
      d.v.push_back(x[c]);
    }
  }
  return d;
}

Envelope envelope(const std::vector<double>& x, double t0_s, double dt_s, std::size_t columns) {
  Envelope e;
  const std::size_t n = x.size();
  if (n == 0 || columns == 0) return e;
  const std::size_t cols = std::min(columns, n);
  e.t.reserve(cols);
  e.min.reserve(cols);
  e.mean.reserve(cols);
  e.max.reserve(cols);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t b = 0; b < cols; ++b) {
    const std::size_t lo = b * n / cols, hi = (b + 1) * n / cols;
    double mn = nan, mx = nan, sum = 0;
    std::size_t count = 0;
    for (std::size_t i = lo; i < hi; ++i) {
      const double v = x[i];
      if (std::isnan(v)) continue;
      mn = count == 0 ? v : std::min(mn, v);
      mx = count == 0 ? v : std::max(mx, v);
      sum += v;
      ++count;
    }
    e.t.push_back(t0_s + static_cast<double>(lo) * dt_s);
    e.min.push_back(mn);
    e.mean.push_back(count ? sum / static_cast<double>(count) : nan);
    e.max.push_back(mx);
  }
  e.t_end = t0_s + static_cast<double>(n) * dt_s;
  return e;
}

Excursions excursions_above(const std::vector<double>& x, double limit, double t0_s, double dt_s) {
  Excursions ex;
  std::size_t run = 0;
  for (std::size_t i = 0; i <= x.size(); ++i) {
    if (i < x.size() && x[i] > limit) {
      if (run == 0 && ex.count == 0) ex.first_t_s = t0_s + static_cast<double>(i) * dt_s;
      if (run == 0) ++ex.count;
      ++run;
      ++ex.samples;
      continue;
    }
    ex.longest_s = std::max(ex.longest_s, static_cast<double>(run) * dt_s);
    run = 0;
  }
  if (!x.empty()) ex.share = static_cast<double>(ex.samples) / static_cast<double>(x.size());
  return ex;
}

std::vector<Step> sample_steps(const std::vector<double>& x) {
  std::vector<Step> steps;
  for (std::size_t k = 1; k < x.size(); ++k) steps.push_back({k, x[k] - x[k - 1]});
  return steps;
}

Step largest_step(const std::vector<Step>& steps) {
  Step largest;
  for (const auto& st : steps)
    if (std::abs(st.delta) > std::abs(largest.delta)) largest = st;
  return largest;
}

std::vector<PeriodDemand> period_demands(const std::vector<double>& x, double dt_s, double period_s, double interval_s) {
  std::vector<PeriodDemand> out;
  const std::size_t per = static_cast<std::size_t>(std::llround(period_s / dt_s));
  if (per == 0) return out;
  for (std::size_t a = 0; a < x.size(); a += per) {
    const std::size_t b = std::min(x.size(), a + per);
    std::vector<double> part(x.begin() + static_cast<std::ptrdiff_t>(a), x.begin() + static_cast<std::ptrdiff_t>(b));
    out.push_back({b - a, b - a < per, peak_demand(part, dt_s, interval_s), mean(part) * static_cast<double>(b - a) * dt_s / 3600.0});
  }
  return out;
}

Histogram histogram(const std::vector<double>& values, std::size_t bins) {
  Histogram h;
  if (values.empty() || bins == 0) return h;
  const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
  double lo = *mn, hi = *mx;
  if (hi <= lo) {
    hi = lo + 1e-9 * std::max(1.0, std::abs(lo));
    bins = 1;
  }
  h.width = (hi - lo) / static_cast<double>(bins);
  h.count.assign(bins, 0);
  for (std::size_t i = 0; i < bins; ++i) h.lower.push_back(lo + static_cast<double>(i) * h.width);
  for (double v : values) {
    auto i = static_cast<std::size_t>((v - lo) / h.width);
    if (i >= bins) i = bins - 1;
    ++h.count[i];
  }
  return h;
}

}  // namespace dctwin::viz
