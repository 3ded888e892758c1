// gpu_runtime/common/profile_fit.cpp — see profile_fit.h for the model, the method and its limits.
#include "gpu_runtime/common/profile_fit.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <utility>

#include "core/problems.h"
#include "gpu_runtime/common/lagged_step_fit.h"

namespace dctwin::gpu {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
enum { kIdle = 0, kCompute = 1, kComm = 2, kOptimizer = 3, kCheckpoint = 4 };

int phase_index(const std::string& p) {
  for (int i = 0; i < kFitPhaseCount; ++i)
    if (p == fit_phase_name(i)) return i;
  return -1;
}

double median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  const auto mid = v.begin() + static_cast<long>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<std::size_t>(pos);
  const double f = pos - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

// Noise SD from the median absolute second difference (y[i+1] - 2 y[i] + y[i-1] ~ N(0, 6 sd^2) on
// plateaus and on the linear ramps of an averaged field; steps and kinks are outliers).
double noise_sd_estimate(const std::vector<double>& y) {
  std::vector<double> d2;
  for (std::size_t i = 1; i + 1 < y.size(); ++i) d2.push_back(std::abs(y[i + 1] - 2.0 * y[i] + y[i - 1]));
  return std::max(1e-3, median(d2) / 0.6745 / std::sqrt(6.0));
}

[[noreturn]] void fail(const std::string& file, int gpu, const std::string& expected, const std::string& found) {
  Problems p;
  p.add(file, "GPU " + std::to_string(gpu), expected, found);
  throw InputError(p);
}

// A segment of constant target power: [start, end) in the detection (or marker) time base.
struct Segment {
  double start = 0, end = 0;
  int phase = 0;
  bool complete = true;  // not cut by the start or end of the trace
};

// ---- level clustering segmentation ---------------------------------------------------------

// Optimal 1-D k-means (minimum within-cluster sum of squares) by dynamic programming over a
// histogram of bin width `bin` (Wang & Song, "Ckmeans.1d.dp", R Journal 2011, on binned data).
std::vector<double> kmeans_1d(const std::vector<double>& y, int k, double bin) {
  const auto [mn_it, mx_it] = std::minmax_element(y.begin(), y.end());
  const double mn = *mn_it;
  const auto nb = static_cast<std::size_t>(std::min(4000.0, std::floor((*mx_it - mn) / bin) + 1));
  bin = std::max(bin, (*mx_it - mn) / static_cast<double>(nb) * (1 + 1e-12));
  std::vector<double> cnt(nb, 0), sum(nb, 0), sq(nb, 0);
  for (double v : y) {
    const auto i = std::min(nb - 1, static_cast<std::size_t>((v - mn) / bin));
    cnt[i] += 1, sum[i] += v, sq[i] += v * v;
  }
  std::vector<double> C(nb + 1, 0), S(nb + 1, 0), Q(nb + 1, 0);
  for (std::size_t i = 0; i < nb; ++i) C[i + 1] = C[i] + cnt[i], S[i + 1] = S[i] + sum[i], Q[i + 1] = Q[i] + sq[i];
  auto cost = [&](std::size_t a, std::size_t b) {  // bins [a, b)
    const double n = C[b] - C[a];
    if (n <= 0) return 0.0;
    const double s1 = S[b] - S[a];
    return (Q[b] - Q[a]) - s1 * s1 / n;
  };
  const auto K = static_cast<std::size_t>(k);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> D(K + 1, std::vector<double>(nb + 1, inf));
  std::vector<std::vector<std::size_t>> arg(K + 1, std::vector<std::size_t>(nb + 1, 0));
  D[0][0] = 0;
  for (std::size_t q = 1; q <= K; ++q)
    for (std::size_t b = q; b <= nb; ++b)
      for (std::size_t a = q - 1; a < b; ++a) {
        if (D[q - 1][a] == inf) continue;
        const double v = D[q - 1][a] + cost(a, b);
        if (v < D[q][b]) D[q][b] = v, arg[q][b] = a;
      }
  std::vector<double> c;
  std::size_t b = nb;
  for (std::size_t q = K; q >= 1; --q) {
    const std::size_t a = arg[q][b];
    const double n = C[b] - C[a];
    c.push_back(n > 0 ? (S[b] - S[a]) / n : mn + bin * (static_cast<double>(a + b) / 2));
    b = a;
  }
  std::sort(c.begin(), c.end());
  return c;
}

int nearest(const std::vector<double>& c, double v) {
  int best = 0;
  for (std::size_t j = 1; j < c.size(); ++j)
    if (std::abs(v - c[j]) < std::abs(v - c[static_cast<std::size_t>(best)])) best = static_cast<int>(j);
  return best;
}

struct Run {
  std::size_t first, last;  // sample indices, inclusive
  int cluster;
};

std::vector<Run> runs_of(const std::vector<int>& lab) {
  std::vector<Run> r;
  for (std::size_t i = 0; i < lab.size(); ++i) {
    if (r.empty() || r.back().cluster != lab[i]) r.push_back({i, i, lab[i]});
    else r.back().last = i;
  }
  return r;
}

struct Detection {
  std::vector<Segment> segments;   // boundaries = midpoint crossings (not yet corrected)
  std::vector<double> centres;
  double noise_sd = 0;
};

Detection detect_segments(const std::vector<double>& t, const std::vector<double>& y, const std::string& file, int gpu,
                          std::vector<std::string>& notes) {
  Detection d;
  d.noise_sd = noise_sd_estimate(y);
  const double flat_tol = 3.0 * std::sqrt(2.0) * d.noise_sd;
  // Cluster only locally flat samples (|y[i+1] - y[i-1]| within 3 noise SDs of a difference), so
  // samples on a ramp between levels do not form levels of their own. Largest k whose clusters are
  // populated and separated by more than 3 x the sum of their SDs.
  std::vector<double> flat;
  for (std::size_t i = 1; i + 1 < y.size(); ++i)
    if (std::abs(y[i + 1] - y[i - 1]) < flat_tol) flat.push_back(y[i]);
  if (flat.size() < 10) flat = y;
  std::vector<double> centres;
  for (int k = 2; k <= 5; ++k) {
    const auto c = kmeans_1d(flat, k, std::max(0.5 * d.noise_sd, 0.1));
    std::vector<std::size_t> n(c.size(), 0);
    std::vector<double> ss(c.size(), 0.0);
    for (double v : flat) {
      const auto j = static_cast<std::size_t>(nearest(c, v));
      ++n[j];
      ss[j] += (v - c[j]) * (v - c[j]);
    }
    bool ok = true;
    std::vector<double> sd(c.size());
    for (std::size_t j = 0; j < c.size(); ++j) {
      ok = ok && n[j] >= std::max<std::size_t>(5, flat.size() / 50);
      sd[j] = n[j] > 1 ? std::sqrt(ss[j] / static_cast<double>(n[j] - 1)) : 0.0;
    }
    for (std::size_t j = 1; j < c.size(); ++j) ok = ok && (c[j] - c[j - 1]) > std::max(3.0 * (sd[j] + sd[j - 1]), 6.0 * d.noise_sd);
    if (ok) centres = c;
  }
  if (centres.size() < 2)
    fail(file, gpu, "at least two distinct power levels (phases) in the trace",
         "a single level (noise SD " + std::to_string(d.noise_sd) + " W); nothing to calibrate");
  std::vector<int> lab(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) lab[i] = nearest(centres, y[i]);
  // Merge transition runs: a run of at most 2 samples, or a run that lies between a higher and a
  // lower neighbour and is not a plateau (median absolute deviation over 3 noise SDs), is the
  // signal passing between levels, not a phase: its samples go to the nearer neighbour level.
  for (int pass = 0; pass < 20; ++pass) {
    auto r = runs_of(lab);
    bool changed = false;
    for (std::size_t j = 1; j + 1 < r.size(); ++j) {
      const int a = r[j - 1].cluster, b = r[j + 1].cluster, c = r[j].cluster;
      const bool between = (a < c && c < b) || (a > c && c > b);
      // Plateau: at least 3 consecutive samples with flat successive differences.
      std::size_t flat_run = 1, longest = 1;
      for (std::size_t i = r[j].first + 1; i <= r[j].last; ++i) {
        flat_run = std::abs(y[i] - y[i - 1]) < flat_tol ? flat_run + 1 : 1;
        longest = std::max(longest, flat_run);
      }
      const std::size_t n_run = r[j].last - r[j].first + 1;
      const bool plateau = longest >= 3;
      if (n_run <= 2 || (between && !plateau)) {
        for (std::size_t i = r[j].first; i <= r[j].last; ++i)
          lab[i] = std::abs(y[i] - centres[static_cast<std::size_t>(a)]) <= std::abs(y[i] - centres[static_cast<std::size_t>(b)]) ? a : b;
        changed = true;
        ++j;  // the neighbours changed: re-run the scan
      }
    }
    if (!changed) break;
  }
  auto r = runs_of(lab);
  // Boundaries at the midpoint crossing between consecutive runs (linear interpolation).
  std::vector<double> bound(r.size() + 1);
  bound[0] = t.front();
  bound[r.size()] = t.back();
  for (std::size_t j = 1; j < r.size(); ++j) {
    const std::size_t i0 = r[j - 1].last, i1 = r[j].first;
    const double mid = 0.5 * (centres[static_cast<std::size_t>(r[j - 1].cluster)] + centres[static_cast<std::size_t>(r[j].cluster)]);
    const double dy = y[i1] - y[i0];
    double f = std::abs(dy) > 1e-12 ? (mid - y[i0]) / dy : 0.5;
    f = std::clamp(f, 0.0, 1.0);
    bound[j] = t[i0] + f * (t[i1] - t[i0]);
  }
  // Idle: long runs of the lowest level at the very start or end.
  const int nr = static_cast<int>(r.size());
  std::vector<int> phase_of_run(r.size(), -1);
  auto dur = [&](int j) { return bound[static_cast<std::size_t>(j) + 1] - bound[static_cast<std::size_t>(j)]; };
  int lo = 0, hi = nr - 1;
  auto is_idle_edge = [&](int j, int inner_lo, int inner_hi) {
    if (r[static_cast<std::size_t>(j)].cluster != 0) return false;
    double longest_inner = 0;
    for (int q = inner_lo; q <= inner_hi; ++q)
      if (r[static_cast<std::size_t>(q)].cluster == r[static_cast<std::size_t>(j)].cluster) longest_inner = std::max(longest_inner, dur(q));
    return dur(j) > 2.0 * longest_inner;
  };
  if (nr >= 3 && is_idle_edge(0, 1, nr - 2)) phase_of_run[0] = kIdle, lo = 1;
  if (nr >= 3 && is_idle_edge(nr - 1, lo, nr - 2)) phase_of_run[static_cast<std::size_t>(nr - 1)] = kIdle, hi = nr - 2;
  std::vector<int> inner_clusters;
  for (int j = lo; j <= hi; ++j) inner_clusters.push_back(r[static_cast<std::size_t>(j)].cluster);
  std::sort(inner_clusters.begin(), inner_clusters.end());
  inner_clusters.erase(std::unique(inner_clusters.begin(), inner_clusters.end()), inner_clusters.end());
  if (inner_clusters.size() < 2)
    fail(file, gpu, "training steps: alternating power levels between the idle lead-in and lead-out",
         std::to_string(inner_clusters.size()) + " level(s) inside the active part");
  if (inner_clusters.size() > 3)
    notes.push_back(std::to_string(inner_clusters.size()) +
                    " power levels inside the steps: the highest is taken as compute, the lowest as communication, the others as optimizer");
  for (int j = lo; j <= hi; ++j) {
    const int c = r[static_cast<std::size_t>(j)].cluster;
    phase_of_run[static_cast<std::size_t>(j)] = c == inner_clusters.back() ? kCompute : c == inner_clusters.front() ? kComm : kOptimizer;
  }
  if (phase_of_run.front() != kIdle && phase_of_run.back() != kIdle)
    notes.push_back("no idle lead-in or lead-out found in the signal: idle power not observed");
  for (std::size_t j = 0; j < r.size(); ++j) {
    Segment s;
    s.start = bound[j];
    s.end = bound[j + 1];
    s.phase = phase_of_run[j];
    s.complete = j > 0 && j + 1 < r.size();
    d.segments.push_back(s);
  }
  d.centres = centres;
  return d;
}

// ---- the forward model -----------------------------------------------------------------------

struct Model {
  std::vector<Segment> seg;          // detection/marker time base
  std::vector<int> dir;              // per boundary j >= 1: +1 rising, -1 falling, 0 none
  std::vector<double> correction;    // unused slot 0
  bool detected = false;             // boundaries are crossings: subtract the model's crossing delay
  bool averaged = false;
  double window = 1.0;
  std::vector<int> param_of_phase;   // phase -> level parameter index (-1 if absent)
  int n_params = 0;
};

// Effective boundary times for the nonlinear parameters th = (tau_r, tau_f, shift_r, shift_f).
std::vector<double> boundaries(const Model& m, const std::array<double, 4>& th) {
  std::vector<double> b(m.seg.size() + 1);
  b[0] = m.seg.front().start;
  b[m.seg.size()] = m.seg.back().end;
  for (std::size_t j = 1; j < m.seg.size(); ++j) {
    double x = m.seg[j].start;
    if (m.dir[j] != 0) {
      const double tau = m.dir[j] > 0 ? th[0] : th[1];
      const double shift = m.dir[j] > 0 ? th[2] : th[3];
      if (m.detected) x -= m.averaged ? 0.5 * m.window + tau * (1.0 - std::exp(-0.5 * m.window / tau)) : tau * std::log(2.0);
      x += shift;
    }
    b[j] = x;
  }
  for (std::size_t j = 1; j < b.size(); ++j) b[j] = std::max(b[j], b[j - 1] + 1e-9);
  return b;
}

// Design matrix: column q = model output at each sample time for level parameter q = 1, others 0.
Eigen::MatrixXd design(const Model& m, const std::array<double, 4>& th, const std::vector<double>& ts) {
  const auto b = boundaries(m, th);
  const std::size_t ns = m.seg.size();
  const int K = m.n_params;
  // Per segment and parameter: value at the segment start and integral from b[0] to the start.
  Eigen::MatrixXd p0(static_cast<Eigen::Index>(ns), K), F0(static_cast<Eigen::Index>(ns), K);
  std::vector<double> tau(ns);
  for (std::size_t j = 0; j < ns; ++j) tau[j] = m.dir[j] > 0 ? th[0] : m.dir[j] < 0 ? th[1] : std::max(th[0], th[1]);
  auto level = [&](std::size_t j, int q) { return m.param_of_phase[static_cast<std::size_t>(m.seg[j].phase)] == q ? 1.0 : 0.0; };
  for (int q = 0; q < K; ++q) {
    double p = level(0, q), F = 0;
    for (std::size_t j = 0; j < ns; ++j) {
      p0(static_cast<Eigen::Index>(j), q) = p;
      F0(static_cast<Eigen::Index>(j), q) = F;
      const double L = level(j, q), d = b[j + 1] - b[j], e = std::exp(-d / tau[j]);
      F += L * d + (p - L) * tau[j] * (1.0 - e);
      p = L + (p - L) * e;
    }
  }
  auto seg_of = [&](double x) {
    const auto it = std::upper_bound(b.begin(), b.end(), x);
    std::size_t j = it == b.begin() ? 0 : static_cast<std::size_t>(it - b.begin()) - 1;
    return std::min(j, ns - 1);
  };
  auto value = [&](double x, int q) {
    const std::size_t j = seg_of(x);
    const double L = level(j, q), d = std::max(0.0, x - b[j]);
    return L + (p0(static_cast<Eigen::Index>(j), q) - L) * std::exp(-d / tau[j]);
  };
  auto integral = [&](double x, int q) {
    const std::size_t j = seg_of(x);
    const double L = level(j, q), d = x - b[j];
    return F0(static_cast<Eigen::Index>(j), q) + L * d + (p0(static_cast<Eigen::Index>(j), q) - L) * tau[j] * (1.0 - std::exp(-d / tau[j]));
  };
  Eigen::MatrixXd A(static_cast<Eigen::Index>(ts.size()), K);
  for (std::size_t i = 0; i < ts.size(); ++i)
    for (int q = 0; q < K; ++q)
      A(static_cast<Eigen::Index>(i), q) = m.averaged ? (integral(ts[i], q) - integral(ts[i] - m.window, q)) / m.window : value(ts[i], q);
  return A;
}

struct Solve {
  Eigen::VectorXd levels, resid;
  double sse = 0;
};

Solve project(const Model& m, const std::array<double, 4>& th, const std::vector<double>& ts, const Eigen::VectorXd& y) {
  const Eigen::MatrixXd A = design(m, th, ts);
  Solve s;
  s.levels = A.colPivHouseholderQr().solve(y);
  s.resid = y - A * s.levels;
  s.sse = s.resid.squaredNorm();
  return s;
}

// Levenberg–Marquardt over the free entries of th (log-parametrised time constants).
std::array<double, 4> optimise(const Model& m, std::array<double, 4> th, const std::vector<bool>& free,
                               const std::vector<double>& ts, const Eigen::VectorXd& y) {
  auto to_x = [&](const std::array<double, 4>& a) { return std::array<double, 4>{std::log(a[0]), std::log(a[1]), a[2], a[3]}; };
  auto from_x = [&](const std::array<double, 4>& x) {
    return std::array<double, 4>{std::exp(std::clamp(x[0], -9.0, 3.0)), std::exp(std::clamp(x[1], -9.0, 3.0)), x[2], x[3]};
  };
  std::array<double, 4> x = to_x(th);
  Solve cur = project(m, from_x(x), ts, y);
  double lambda = 1e-2;
  for (int it = 0; it < 60; ++it) {
    std::vector<int> idx;
    for (int k = 0; k < 4; ++k)
      if (free[static_cast<std::size_t>(k)]) idx.push_back(k);
    Eigen::MatrixXd J(cur.resid.size(), static_cast<Eigen::Index>(idx.size()));
    for (std::size_t c = 0; c < idx.size(); ++c) {
      auto xp = x;
      const double h = idx[c] < 2 ? 1e-4 : 1e-5;
      xp[static_cast<std::size_t>(idx[c])] += h;
      J.col(static_cast<Eigen::Index>(c)) = (project(m, from_x(xp), ts, y).resid - cur.resid) / h;
    }
    const Eigen::MatrixXd JtJ = J.transpose() * J;
    const Eigen::VectorXd g = J.transpose() * cur.resid;
    bool improved = false;
    for (int tries = 0; tries < 12; ++tries) {
      Eigen::MatrixXd H = JtJ;
      for (Eigen::Index k = 0; k < H.rows(); ++k) H(k, k) += lambda * std::max(JtJ(k, k), 1e-12);
      const Eigen::VectorXd step = H.ldlt().solve(-g);
      auto xn = x;
      for (std::size_t c = 0; c < idx.size(); ++c) xn[static_cast<std::size_t>(idx[c])] += step(static_cast<Eigen::Index>(c));
      Solve s = project(m, from_x(xn), ts, y);
      if (s.sse < cur.sse) {
        const double gain = (cur.sse - s.sse) / std::max(cur.sse, 1e-300);
        x = xn;
        cur = std::move(s);
        lambda = std::max(lambda / 4, 1e-9);
        improved = true;
        if (gain < 1e-12) return from_x(x);
        break;
      }
      lambda *= 8;
    }
    if (!improved) break;
  }
  return from_x(x);
}

// The lags: a coarse grid over the time constants, then Levenberg–Marquardt on all four.
std::array<double, 4> fit_lags(const Model& m, const std::vector<double>& ts, const Eigen::VectorXd& y) {
  std::array<double, 4> best{0.05, 0.05, 0.0, 0.0};
  double best_sse = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 14; ++i)
    for (int j = 0; j < 14; ++j) {
      const std::array<double, 4> th{0.002 * std::pow(1.6, i), 0.002 * std::pow(1.6, j), 0.0, 0.0};
      const double sse = project(m, th, ts, y).sse;
      if (sse < best_sse) best_sse = sse, best = th;
    }
  return optimise(m, best, {true, true, true, true}, ts, y);
}

// A phase too short for level clustering (one to four samples: a 0.1-s optimizer step at 20 Hz)
// hides in a transition and, unmodelled, inflates the fitted lag of that transition. Tried as an
// optimizer segment of common duration d just before every compute start (the end of the step) or
// just after every compute end, d on a grid of 0.5 to 4 sample intervals; the best candidate is
// kept when it lowers the Bayesian information criterion (two more parameters: its level and d)
// and its level stands 6 noise SDs clear of both neighbours. Returns the lags for the model kept.
std::array<double, 4> insert_short_phase(Model& m, const std::array<double, 4>& th0, const std::vector<double>& ts,
                                         const std::vector<double>& ys, const Eigen::VectorXd& y, double dt, double noise_sd,
                                         std::vector<std::string>& notes) {
  const Solve base = project(m, th0, ts, y);
  std::array<double, kFitPhaseCount> lvl{};
  for (int p = 0; p < kFitPhaseCount; ++p) {
    const int q = m.param_of_phase[static_cast<std::size_t>(p)];
    lvl[static_cast<std::size_t>(p)] = q >= 0 ? base.levels(q) : kNaN;
  }
  // The model with an optimizer segment of duration d before each compute start or after each compute end.
  auto candidate = [&](bool before, double d) {
    Model c = m;
    c.seg.clear();
    std::vector<double> inside;
    for (std::size_t j = 0; j < m.seg.size(); ++j) {
      Segment g = m.seg[j];
      if (!before && !c.seg.empty() && c.seg.back().phase == kOptimizer) g.start = c.seg.back().end;
      const bool has_next = j + 1 < m.seg.size();
      const bool at = before ? j > 0 && has_next && g.phase != kCompute && g.phase != kIdle &&
                                   (m.seg[j + 1].phase == kCompute || m.seg[j + 1].phase == kIdle) && g.end - g.start > 2 * d
                             : has_next && g.phase == kCompute && m.seg[j + 1].phase != kCompute &&
                                   m.seg[j + 1].end - m.seg[j + 1].start > 2 * d;
      if (!at) {
        c.seg.push_back(g);
        continue;
      }
      Segment o = g;
      o.phase = kOptimizer;
      if (before) g.end = o.start = g.end - d;
      else o.start = g.end, o.end = g.end + d;
      c.seg.push_back(g);
      c.seg.push_back(o);
      for (std::size_t i = 0; i < ts.size(); ++i)
        if (ts[i] >= o.start && ts[i] < o.end) inside.push_back(ys[i]);
    }
    c.param_of_phase[kOptimizer] = c.n_params++;
    lvl[kOptimizer] = inside.empty() ? kNaN : median(inside);
    c.dir.assign(c.seg.size(), 0);
    for (std::size_t j = 1; j < c.seg.size(); ++j) {
      const double la = lvl[static_cast<std::size_t>(c.seg[j - 1].phase)], lb = lvl[static_cast<std::size_t>(c.seg[j].phase)];
      c.dir[j] = lb > la ? 1 : lb < la ? -1 : 0;
    }
    return c;
  };
  double best_sse = base.sse;
  std::optional<Model> best;
  std::array<double, 4> best_th = th0;
  for (bool before : {true, false})
    for (double k = 0.5; k <= 4.01; k += 0.25) {
      Model c = candidate(before, k * dt);
      if (c.seg.size() == m.seg.size() || std::isnan(lvl[kOptimizer])) continue;
      const auto th = optimise(c, th0, {true, true, true, true}, ts, y);
      const double sse = project(c, th, ts, y).sse;
      if (sse < best_sse) best_sse = sse, best = std::move(c), best_th = th;
    }
  const double n = static_cast<double>(ts.size());
  if (!best || !(n * std::log(best_sse / base.sse) + 2.0 * std::log(n) < 0)) return th0;
  const Solve s = project(*best, best_th, ts, y);
  const double lo = s.levels(best->param_of_phase[kOptimizer]);
  if (!(lo > 0 && lo < 1.5 * s.levels.maxCoeff())) return th0;
  for (int p : {kCompute, kComm})
    if (best->param_of_phase[static_cast<std::size_t>(p)] >= 0 &&
        std::abs(lo - s.levels(best->param_of_phase[static_cast<std::size_t>(p)])) < 6.0 * noise_sd)
      return th0;
  notes.push_back("a short optimizer phase (below the level clustering's resolution) found from the residual of the transitions");
  m = std::move(*best);
  return best_th;
}

// Every interior boundary of the detected segmentation fitted on its own, at sub-sample resolution,
// jointly with the levels and both time constants (lagged_step_fit.h), from the crossing-corrected
// boundaries and lags `th`. Crossing times with a common correction leave each boundary off by a
// few ms (interpolating the midpoint crossing between samples 50 ms apart on an exponential, and a
// crossing delay other than tau ln 2 after a short phase that never settled); with one boundary
// per transition fixed there, the fit widens tau to cover the scatter. On success m holds the
// fitted boundaries (no longer crossings) and the lags are returned with zero shifts; `shift`
// receives the mean offset of the fitted rising / falling boundaries from the crossing times
// corrected by the fitted lags' crossing delay (tau ln 2). Instant field only.
std::array<double, 4> refine_boundaries(Model& m, const std::array<double, 4>& th, const std::vector<double>& ts,
                                        const std::vector<double>& ys, const Eigen::VectorXd& y, double dt,
                                        std::array<double, 2>& shift, std::vector<std::string>& notes) {
  const Solve s0 = project(m, th, ts, y);
  // The fit from the boundaries and levels the lags `t` imply.
  auto fit_from = [&](const std::array<double, 4>& t) {
    const Solve s = project(m, t, ts, y);
    LaggedSteps ls;
    ls.boundary_s = boundaries(m, t);
    // A segment the crossing corrections squeezed (an inserted short phase whose two boundaries got
    // different delays: rising into it, falling out of it) keeps its detected duration, ending
    // where it was corrected to end.
    for (std::size_t j = 1; j + 1 < m.seg.size(); ++j) {
      const double det = m.seg[j].end - m.seg[j].start, end = ls.boundary_s[j + 1];
      if (ls.boundary_s[j + 1] - ls.boundary_s[j] < 0.5 * det && end - det > ls.boundary_s[j - 1] + det) ls.boundary_s[j] = end - det;
    }
    for (std::size_t j = 0; j < m.seg.size(); ++j) {
      ls.level_of.push_back(m.param_of_phase[static_cast<std::size_t>(m.seg[j].phase)]);
      ls.rising.push_back(m.dir[j] >= 0);
    }
    ls.level_w.assign(s.levels.data(), s.levels.data() + s.levels.size());
    ls.tau_rise_s = t[0];
    ls.tau_fall_s = t[1];
    // A short segment (under 5 sample intervals) whose crossing times were off by more than its
    // own length is out of reach of a local fit: each is first moved whole, to the best of the
    // offsets -4 .. +2 sample intervals in quarter steps (its neighbours keep a quarter interval),
    // judged on the samples from the start of the segment before it to the end of the one after
    // the next (the signal started there in the state the whole model has).
    const std::size_t n = m.seg.size();
    for (std::size_t j = 1; j + 1 < n; ++j) {
      const double len = ls.boundary_s[j + 1] - ls.boundary_s[j];
      if (len > 5 * dt) continue;
      const std::size_t lo = j - 1, hi = std::min(j + 2, n - 1);  // segments of the window
      LaggedSteps w;
      w.boundary_s.assign(ls.boundary_s.begin() + static_cast<long>(lo), ls.boundary_s.begin() + static_cast<long>(hi) + 2);
      w.level_of.assign(ls.level_of.begin() + static_cast<long>(lo), ls.level_of.begin() + static_cast<long>(hi) + 1);
      w.rising.assign(ls.rising.begin() + static_cast<long>(lo), ls.rising.begin() + static_cast<long>(hi) + 1);
      w.level_w = ls.level_w;
      w.tau_rise_s = ls.tau_rise_s;
      w.tau_fall_s = ls.tau_fall_s;
      w.start_w = lagged_steps_states(ls)[lo];
      const auto i0 = static_cast<std::size_t>(std::lower_bound(ts.begin(), ts.end(), w.boundary_s.front()) - ts.begin());
      const auto i1 = static_cast<std::size_t>(std::lower_bound(ts.begin(), ts.end(), w.boundary_s.back()) - ts.begin());
      const std::vector<double> tw(ts.begin() + static_cast<long>(i0), ts.begin() + static_cast<long>(i1));
      auto sse_w = [&] {
        const auto p = lagged_steps_value(w, tw);
        double e = 0;
        for (std::size_t i = 0; i < tw.size(); ++i) e += (ys[i0 + i] - p[i]) * (ys[i0 + i] - p[i]);
        return e;
      };
      double best = sse_w(), best_off = 0;
      const double b0 = ls.boundary_s[j], b1 = ls.boundary_s[j + 1];
      for (double k = -4; k <= 2.001; k += 0.25) {
        const double off = k * dt;
        if (k == 0 || b0 + off < ls.boundary_s[j - 1] + 0.25 * dt || b1 + off > ls.boundary_s[j + 2] - 0.25 * dt) continue;
        w.boundary_s[1] = b0 + off, w.boundary_s[2] = b1 + off;
        const double e = sse_w();
        if (e < best) best = e, best_off = off;
      }
      ls.boundary_s[j] = b0 + best_off, ls.boundary_s[j + 1] = b1 + best_off;
    }
    return fit_lagged_steps(ls, ts, ys);
  };
  // From the lags found with crossing boundaries and, since those come out too long when the
  // boundaries scatter, from 0.7 times them; the better fit is kept.
  LaggedStepsFit r;
  try {
    r = fit_from(th);
    const LaggedStepsFit r2 = fit_from({0.7 * th[0], 0.7 * th[1], th[2], th[3]});
    if (r2.sse_w2 < r.sse_w2) r = r2;
  } catch (const std::invalid_argument& e) {
    notes.push_back(std::string("boundaries not refined (") + e.what() + ")");
    return th;
  }
  if (!(r.sse_w2 < s0.sse)) return th;
  const std::array<double, 4> out{r.model.tau_rise_s, r.model.tau_fall_s, 0.0, 0.0};
  const auto crossing = boundaries(m, out);
  double sum[2] = {0, 0};
  int cnt[2] = {0, 0};
  for (std::size_t j = 1; j < m.seg.size(); ++j) {
    if (m.dir[j] == 0) continue;
    const int d = m.dir[j] > 0 ? 0 : 1;
    sum[d] += r.model.boundary_s[j] - crossing[j];
    ++cnt[d];
  }
  for (int d = 0; d < 2; ++d) shift[static_cast<std::size_t>(d)] = cnt[d] ? sum[d] / cnt[d] : 0.0;
  for (std::size_t j = 1; j < m.seg.size(); ++j) m.seg[j].start = m.seg[j - 1].end = r.model.boundary_s[j];
  m.detected = false;
  return out;
}

// One training step (SeriesFit::step) from the segments and their corrected boundaries `b`.
void fit_step(const Model& m, const std::vector<double>& b, SeriesFit& f) {
  std::vector<std::size_t> starts;  // compute segments after the first segment
  for (std::size_t j = 1; j < m.seg.size(); ++j)
    if (m.seg[j].phase == kCompute) starts.push_back(j);
  std::vector<int> order;
  std::vector<double> sum;
  for (std::size_t k = 0; k + 1 < starts.size(); ++k) {
    std::vector<int> phases;
    std::vector<double> durs;
    for (std::size_t j = starts[k]; j < starts[k + 1]; ++j) {
      if (m.seg[j].phase == kCheckpoint) continue;  // a job's checkpoint object, not a step phase
      phases.push_back(m.seg[j].phase);
      durs.push_back(b[j + 1] - b[j]);
    }
    if (order.empty()) order = phases, sum.assign(phases.size(), 0.0);
    if (phases != order) continue;
    for (std::size_t i = 0; i < durs.size(); ++i) sum[i] += durs[i];
    ++f.step_count;
  }
  for (std::size_t i = 0; i < order.size() && f.step_count > 0; ++i)
    f.step.push_back({order[i], sum[i] / f.step_count});
  if (!order.empty() && f.step_count < static_cast<int>(starts.size()) - 1)
    f.notes.push_back("step array: the mean of the " + std::to_string(f.step_count) + " of " +
                      std::to_string(starts.size() - 1) + " complete steps with the first step's phase order");
}

// Reads the trace's only power column as the other kind: each GPU's instant and averaged fields
// (one of them empty) trade places, and so do the column names.
void reread_power_column(Trace& t, bool to_instant) {
  for (auto& g : t.gpus) {
    std::swap(g.power_w, g.power_avg_w);
    std::swap(g.has_power, g.has_power_avg);
  }
  if (to_instant) t.instant_column = std::exchange(t.average_column, "");
  else t.average_column = std::exchange(t.instant_column, "");
}

// Why a trace's averaged column counts as a 1-s average, by format.
std::string average_reason(const Trace& t) {
  if (t.format == "nvidia-smi")
    return "nvidia-smi's power.draw is the 1-s average on Ampere (except GA100) and newer (NVML reference, "
           "nvmlDeviceGetPowerUsage); if this GPU reports it instantaneously (GA100 and older), give --field instant";
  if (t.format == "dcgm")
    return "DCGM field 155 (DCGM_FI_DEV_POWER_USAGE) reads nvmlDeviceGetPowerUsage, the 1-s average on Ampere "
           "(except GA100) and newer; if this GPU reports it instantaneously (GA100 and older), give --field instant";
  return "the trace names it the averaged field";
}

// Chooses the power field per opt.field and states the choice in tf. When the trace's only column
// is to be read as the other kind, `reread` receives a copy of the trace with it moved there.
void choose_power_field(const Trace& in, FitOptions& opt, TraceFit& tf, std::optional<Trace>& reread) {
  bool has_i = false, has_a = false;
  for (const auto& g : in.gpus) has_i = has_i || g.has_power, has_a = has_a || g.has_power_avg;
  const auto name = [](const std::string& c, const char* dflt) { return c.empty() ? std::string(dflt) : "\"" + c + "\""; };
  char window[32];
  std::snprintf(window, sizeof window, "%g", in.average_window_s);
  tf.field_inferred = opt.field == PowerField::Auto;
  if ((opt.field == PowerField::Instant && !has_i && has_a) || (opt.field == PowerField::Average && !has_a && has_i)) {
    const bool to_instant = opt.field == PowerField::Instant;
    reread = in;
    reread_power_column(*reread, to_instant);
    has_i = has_i || to_instant;
    has_a = has_a || !to_instant;
    tf.field_statement = to_instant ? "column " + name(reread->instant_column, "average power") + " read as instantaneous power (--field instant)"
                                    : "column " + name(reread->average_column, "instant power") + " read as a " + window +
                                          "-s average (--field average)";
  }
  const Trace& t = reread ? *reread : in;
  const bool instant = opt.field == PowerField::Average ? !has_a : has_i;
  opt.prefer_instant = instant;
  tf.field = instant ? "instant" : "average";
  tf.field_column = instant ? t.instant_column : t.average_column;
  if (!tf.field_statement.empty()) return;
  if (!tf.field_inferred)
    tf.field_statement = "column " + name(tf.field_column, tf.field.c_str()) + " (--field " + tf.field + ")";
  else if (instant)
    tf.field_statement = "column " + name(tf.field_column, "instant power") + " (inferred from its name: instantaneous power" +
                         (has_a ? "; --field average fits " + name(t.average_column, "the averaged column") + " instead)" : ")");
  else
    tf.field_statement = "column " + name(tf.field_column, "average power") + " read as a " + window +
                         "-s average (inferred from its name: " + average_reason(t) + ")";
}

}  // namespace

PowerField power_field_from_string(const std::string& s) {
  if (s == "auto") return PowerField::Auto;
  if (s == "instant") return PowerField::Instant;
  if (s == "average") return PowerField::Average;
  throw std::invalid_argument("power field \"" + s + "\": expected auto, instant or average");
}

const char* fit_phase_name(int phase) {
  static const char* const names[kFitPhaseCount] = {"idle", "compute", "communication", "optimizer", "checkpoint"};
  return phase >= 0 && phase < kFitPhaseCount ? names[phase] : "?";
}

SeriesFit fit_series(const GpuSeries& s, const std::vector<PhaseMarker>& markers, double average_window_s,
                     const std::string& file, const FitOptions& opt) {
  SeriesFit f;
  f.gpu = s.gpu;
  f.average_window_s = average_window_s;
  f.level_w.fill(kNaN);
  f.mean_duration_s.fill(kNaN);
  f.segments.fill(0);
  const bool instant = s.has_power && (opt.prefer_instant || !s.has_power_avg);
  if (!instant && !s.has_power_avg) fail(file, s.gpu, "a power field (instant or averaged)", "none");
  f.field = instant ? "instant" : "average";
  const std::vector<double>& yall = instant ? s.power_w : s.power_avg_w;
  if (s.size() < 20) fail(file, s.gpu, "at least 20 samples to fit", std::to_string(s.size()));

  Model m;
  m.averaged = !instant;
  m.window = average_window_s;
  double noise_sd = 0;
  const bool use_markers = opt.use_markers && markers.size() >= 2;
  if (use_markers) {
    f.segmentation = "markers";
    for (std::size_t i = 0; i + 1 < markers.size(); ++i) {
      if (markers[i].phase == "end") break;
      Segment g;
      g.start = markers[i].t_s;
      g.end = markers[i + 1].t_s;
      g.phase = phase_index(markers[i].phase);
      if (g.phase < 0 || !(g.end > g.start)) continue;
      if (!m.seg.empty() && m.seg.back().phase == g.phase) {
        m.seg.back().end = g.end;  // consecutive markers of one phase: one segment
        continue;
      }
      m.seg.push_back(g);
    }
    if (m.seg.size() < 2) fail(file, s.gpu, "phase markers delimiting at least two phases", std::to_string(m.seg.size()));
    noise_sd = noise_sd_estimate(yall);
  } else {
    f.segmentation = "level clustering";
    m.detected = true;
    Detection d = detect_segments(s.t_s, yall, file, s.gpu, f.notes);
    m.seg = std::move(d.segments);
    noise_sd = d.noise_sd;
  }
  // Level parameters for the phases present.
  m.param_of_phase.assign(kFitPhaseCount, -1);
  for (const auto& g : m.seg)
    if (m.param_of_phase[static_cast<std::size_t>(g.phase)] < 0) m.param_of_phase[static_cast<std::size_t>(g.phase)] = m.n_params++;
  if (m.n_params < 2) fail(file, s.gpu, "at least two phases in the trace", std::to_string(m.n_params));

  // Samples inside the modelled span (for the averaged field, a whole window inside it).
  std::vector<double> ts, ys;
  std::vector<std::size_t> idx;
  const double lo = m.seg.front().start + (m.averaged ? m.window : 0.0), hi = m.seg.back().end;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.t_s[i] >= lo && s.t_s[i] <= hi) {
      ts.push_back(s.t_s[i]);
      ys.push_back(yall[i]);
      idx.push_back(i);
    }
  if (ts.size() < static_cast<std::size_t>(m.n_params) + 10)
    fail(file, s.gpu, "enough samples inside the phases to fit", std::to_string(ts.size()));
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(ys.data(), static_cast<Eigen::Index>(ys.size()));

  // Rising/falling boundaries from preliminary levels (medians of the samples in each phase).
  std::array<std::vector<double>, kFitPhaseCount> by_phase;
  for (std::size_t i = 0; i < ts.size(); ++i)
    for (const auto& g : m.seg)
      if (ts[i] >= g.start && ts[i] < g.end) {
        by_phase[static_cast<std::size_t>(g.phase)].push_back(ys[i]);
        break;
      }
  std::array<double, kFitPhaseCount> pre{};
  for (int p = 0; p < kFitPhaseCount; ++p) pre[static_cast<std::size_t>(p)] = median(by_phase[static_cast<std::size_t>(p)]);
  m.dir.assign(m.seg.size(), 0);
  for (std::size_t j = 1; j < m.seg.size(); ++j) {
    double a = pre[static_cast<std::size_t>(m.seg[j - 1].phase)], b = pre[static_cast<std::size_t>(m.seg[j].phase)];
    if (std::isnan(a) || std::isnan(b)) a = m.seg[j - 1].phase == kCompute ? 1 : 0, b = m.seg[j].phase == kCompute ? 1 : 0;
    m.dir[j] = b > a ? 1 : b < a ? -1 : 0;
  }

  double dt_med = 0;
  {
    std::vector<double> dts;
    for (std::size_t i = 1; i < ts.size(); ++i) dts.push_back(ts[i] - ts[i - 1]);
    dt_med = median(dts);
  }
  std::array<double, 4> best = fit_lags(m, ts, y);
  if (m.detected && !m.averaged && m.param_of_phase[kOptimizer] < 0) best = insert_short_phase(m, best, ts, ys, y, dt_med, noise_sd, f.notes);
  std::array<double, 2> shift{best[2], best[3]};
  if (m.detected && !m.averaged) best = refine_boundaries(m, best, ts, ys, y, dt_med, shift, f.notes);
  const Solve sol = project(m, best, ts, y);
  f.tau_rise_s = best[0];
  f.tau_fall_s = best[1];
  f.shift_rise_s = shift[0];
  f.shift_fall_s = shift[1];
  const double resolvable = instant ? 0.5 * dt_med : 0.2 * m.window;
  f.tau_resolved = std::min(f.tau_rise_s, f.tau_fall_s) > resolvable && std::max(f.tau_rise_s, f.tau_fall_s) < 10.0;
  if (!f.tau_resolved)
    f.notes.push_back("time constants not resolved by this trace (" + f.field + " field, sample interval " +
                      std::to_string(dt_med) + " s): reported values are not reliable");
  for (int p = 0; p < kFitPhaseCount; ++p)
    if (m.param_of_phase[static_cast<std::size_t>(p)] >= 0) f.level_w[static_cast<std::size_t>(p)] = sol.levels(m.param_of_phase[static_cast<std::size_t>(p)]);

  // Phase durations and steps on the corrected time base.
  const auto b = boundaries(m, best);
  std::array<std::vector<double>, kFitPhaseCount> durs;
  std::vector<double> compute_starts;
  for (std::size_t j = 0; j < m.seg.size(); ++j) {
    const auto p = static_cast<std::size_t>(m.seg[j].phase);
    ++f.segments[p];
    const bool complete = j > 0 && j + 1 < m.seg.size();
    if (complete) durs[p].push_back(b[j + 1] - b[j]);
    if (m.seg[j].phase == kCompute && j > 0) compute_starts.push_back(b[j]);
  }
  for (int p = 0; p < kFitPhaseCount; ++p)
    if (!durs[static_cast<std::size_t>(p)].empty())
      f.mean_duration_s[static_cast<std::size_t>(p)] =
          std::accumulate(durs[static_cast<std::size_t>(p)].begin(), durs[static_cast<std::size_t>(p)].end(), 0.0) /
          static_cast<double>(durs[static_cast<std::size_t>(p)].size());
  fit_step(m, b, f);
  f.steps = f.segments[kCompute];
  f.step_period_s = kNaN;
  f.step_period_sd_s = kNaN;
  if (compute_starts.size() >= 2) {
    // Least-squares slope of start time against step index.
    const double n = static_cast<double>(compute_starts.size());
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t k = 0; k < compute_starts.size(); ++k) {
      const double xk = static_cast<double>(k);
      sx += xk, sy += compute_starts[k], sxx += xk * xk, sxy += xk * compute_starts[k];
    }
    f.step_period_s = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    std::vector<double> periods;
    for (std::size_t k = 1; k < compute_starts.size(); ++k) periods.push_back(compute_starts[k] - compute_starts[k - 1]);
    double mean = std::accumulate(periods.begin(), periods.end(), 0.0) / static_cast<double>(periods.size()), var = 0;
    for (double p : periods) var += (p - mean) * (p - mean);
    f.step_period_sd_s = periods.size() > 1 ? std::sqrt(var / static_cast<double>(periods.size() - 1)) : 0.0;
  } else {
    f.notes.push_back("fewer than two complete steps: step period not determined");
  }
  // Mean SM clock over compute segments (interior samples).
  f.compute_sm_clock_mhz = kNaN;
  if (s.has_sm_clock) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
      for (std::size_t j = 0; j < m.seg.size(); ++j)
        if (m.seg[j].phase == kCompute && s.t_s[i] >= b[j] + 0.2 * (b[j + 1] - b[j]) && s.t_s[i] < b[j + 1]) {
          sum += s.sm_clock_mhz[i];
          ++n;
          break;
        }
    if (n > 0) f.compute_sm_clock_mhz = sum / static_cast<double>(n);
  }
  f.power_limit_w = kNaN;
  if (s.has_power_limit) f.power_limit_w = median(s.power_limit_w);

  // Quality.
  f.samples_used = ts.size();
  const Eigen::VectorXd& r = sol.resid;
  f.rmse_w = std::sqrt(r.squaredNorm() / static_cast<double>(r.size()));
  double et = 0, em = 0;
  const Eigen::VectorXd model = y - r;
  for (std::size_t i = 1; i < ts.size(); ++i) {
    const double dt = ts[i] - ts[i - 1];
    et += 0.5 * (y(static_cast<Eigen::Index>(i)) + y(static_cast<Eigen::Index>(i - 1))) * dt;
    em += 0.5 * (model(static_cast<Eigen::Index>(i)) + model(static_cast<Eigen::Index>(i - 1))) * dt;
  }
  f.energy_trace_j = et;
  f.energy_model_j = em;
  f.energy_error_pct = et != 0 ? 100.0 * (em - et) / et : kNaN;
  f.energy_counter_j = kNaN;
  f.energy_counter_error_pct = kNaN;
  if (s.has_energy) {
    f.energy_counter_j = s.energy_j[idx.back()] - s.energy_j[idx.front()];
    if (f.energy_counter_j > 0) f.energy_counter_error_pct = 100.0 * (em - f.energy_counter_j) / f.energy_counter_j;
  }
  std::vector<double> rv(r.data(), r.data() + r.size());
  ResidualSummary& rs = f.residuals;
  rs.mean_w = r.mean();
  rs.sd_w = std::sqrt((r.array() - rs.mean_w).square().sum() / std::max<double>(1.0, static_cast<double>(r.size() - 1)));
  rs.p1_w = quantile(rv, 0.01);
  rs.p50_w = quantile(rv, 0.5);
  rs.p99_w = quantile(rv, 0.99);
  rs.max_abs_w = r.cwiseAbs().maxCoeff();
  double num = 0, den = 0;
  for (Eigen::Index i = 0; i < r.size(); ++i) {
    den += (r(i) - rs.mean_w) * (r(i) - rs.mean_w);
    if (i > 0) num += (r(i) - rs.mean_w) * (r(i - 1) - rs.mean_w);
  }
  rs.lag1_autocorrelation = den > 0 ? num / den : 0.0;
  if (f.rmse_w > 4.0 * noise_sd + 1.0)
    f.notes.push_back("RMSE " + std::to_string(f.rmse_w) + " W well above the noise estimate " + std::to_string(noise_sd) +
                      " W: the trace has structure the piecewise-constant phase model does not capture");
  return f;
}

double TraceFit::mean_level(int phase) const {
  double sum = 0;
  int n = 0;
  for (const auto& g : gpus)
    if (!std::isnan(g.level_w[static_cast<std::size_t>(phase)])) sum += g.level_w[static_cast<std::size_t>(phase)], ++n;
  return n ? sum / n : kNaN;
}

double TraceFit::mean_of(double SeriesFit::*field) const {
  double sum = 0;
  int n = 0;
  for (const auto& g : gpus)
    if (!std::isnan(g.*field)) sum += g.*field, ++n;
  return n ? sum / n : kNaN;
}

std::vector<StepPhase> TraceFit::mean_step(int* steps) const {
  const SeriesFit* first = nullptr;
  for (const auto& g : gpus)
    if (!g.step.empty()) {
      first = &g;
      break;
    }
  if (steps) *steps = 0;
  if (!first) return {};
  std::vector<StepPhase> out = first->step;
  for (auto& p : out) p.duration_s = 0;
  int n = 0;
  for (const auto& g : gpus) {
    bool same = g.step.size() == out.size();
    for (std::size_t i = 0; same && i < out.size(); ++i) same = g.step[i].phase == out[i].phase;
    if (!same) continue;
    for (std::size_t i = 0; i < out.size(); ++i) out[i].duration_s += g.step[i].duration_s;
    ++n;
    if (steps) *steps += g.step_count;
  }
  for (auto& p : out) p.duration_s /= n;
  return out;
}

TraceFit fit_trace(const Trace& trace_in, const FitOptions& opt_in) {
  TraceFit tf;
  FitOptions opt = opt_in;
  std::optional<Trace> reread;  // a copy only when a column is read as the other kind
  choose_power_field(trace_in, opt, tf, reread);
  const Trace& trace = reread ? *reread : trace_in;
  tf.file = trace.file;
  tf.format = trace.format;
  tf.power_limit_w = trace.power_limit_w();
  if (auto it = trace.meta.find("synthetic"); it != trace.meta.end() && it->second != "false" && it->second != "no") tf.synthetic = true;
  Problems all;
  for (const auto& s : trace.gpus) {
    try {
      tf.gpus.push_back(fit_series(s, trace.markers, trace.average_window_s, trace.file, opt));
    } catch (const InputError& e) {
      all.append(e.problems());
    }
  }
  if (!all.empty()) throw InputError(all);
  return tf;
}

}  // namespace dctwin::gpu
