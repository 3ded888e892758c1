// gpu_runtime/common/lagged_step_fit.cpp — see lagged_step_fit.h for the model, method and limits.
#include "gpu_runtime/common/lagged_step_fit.h"

#include <Eigen/Sparse>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace dctwin::gpu {

namespace {

constexpr double kMinSegment = 1e-9;  // s: the shortest segment a step may leave
const double kLogTauLo = std::log(1.2e-4), kLogTauHi = std::log(20.0);

void check(const LaggedSteps& m, const std::vector<double>& ts, const std::vector<double>* y) {
  const std::size_t n = m.level_of.size();
  auto bad = [](const std::string& what) { throw std::invalid_argument("lagged steps: " + what); };
  if (n == 0 || m.boundary_s.size() != n + 1 || m.rising.size() != n) bad("n segments need n + 1 boundaries and n directions");
  for (std::size_t k = 0; k < n; ++k) {
    if (m.level_of[k] < 0 || static_cast<std::size_t>(m.level_of[k]) >= m.level_w.size()) bad("level index out of range");
    if (!(m.boundary_s[k + 1] > m.boundary_s[k])) bad("boundaries must increase");
  }
  if (!(m.tau_rise_s > 0) || !(m.tau_fall_s > 0)) bad("time constants must be positive");
  for (std::size_t i = 1; i < ts.size(); ++i)
    if (ts[i] < ts[i - 1]) bad("sample times must be ascending");
  if (y && y->size() != ts.size()) bad("as many samples as times");
}

// Parameter layout: [levels (nL)] [ln tau_rise, ln tau_fall] [b_1 .. b_{n-1}].
struct Layout {
  int nL = 0, n = 0;
  int tau(int r) const { return nL + r; }
  int bnd(int k) const { return nL + 2 + (k - 1); }  // k = 1 .. n-1
  int size() const { return nL + 2 + (n - 1); }
};

struct BoundarySens {
  int k;           // boundary index
  double v, v0;    // ds/db_k now, and when created
};

// Model values at ts and, with J, the Jacobian dp/dx (sparse, ts.size() x layout.size()).
void evaluate(const LaggedSteps& m, const std::vector<double>& ts, std::vector<double>& p,
              Eigen::SparseMatrix<double>* J) {
  const auto n = static_cast<int>(m.level_of.size());
  const Layout lay{static_cast<int>(m.level_w.size()), n};
  const auto nL = static_cast<std::size_t>(lay.nL);
  p.assign(ts.size(), 0.0);
  std::vector<Eigen::Triplet<double>> trip;
  if (J) trip.reserve(ts.size() * (nL + 4));
  // State at the start of the current segment and its sensitivities.
  const bool settled = std::isnan(m.start_w);
  double s = settled ? m.level_w[static_cast<std::size_t>(m.level_of[0])] : m.start_w;
  std::vector<double> dsL(nL, 0.0);
  if (settled) dsL[static_cast<std::size_t>(m.level_of[0])] = 1.0;
  double dsT[2] = {0.0, 0.0};
  std::vector<BoundarySens> dsB;
  std::size_t i = 0;
  std::vector<double> rowL(nL);
  for (int k = 0; k < n; ++k) {
    const auto ku = static_cast<std::size_t>(k);
    const auto q = static_cast<std::size_t>(m.level_of[ku]);
    const int r = m.rising[ku] ? 0 : 1;
    const double L = m.level_w[q], tau = r == 0 ? m.tau_rise_s : m.tau_fall_s;
    const double b0 = m.boundary_s[ku], b1 = m.boundary_s[ku + 1];
    // ds/db_k at the segment start comes from the previous segment's end (added there); the start
    // itself delays the decay: d p / d b_k = ds/db_k E + (s - L) E / tau.
    auto row = [&](std::size_t row_i, double t, double& out) {
      const double x = std::max(0.0, t - b0), E = std::exp(-x / tau);
      out = L + (s - L) * E;
      if (!J) return;
      const auto ri = static_cast<int>(row_i);
      for (std::size_t j = 0; j < nL; ++j) {
        const double v = (j == q ? 1.0 - E : 0.0) + dsL[j] * E;
        if (v != 0.0) trip.emplace_back(ri, static_cast<int>(j), v);
      }
      for (int rr = 0; rr < 2; ++rr) {
        const double v = dsT[rr] * E + (rr == r ? (s - L) * E * x / tau : 0.0);
        if (v != 0.0) trip.emplace_back(ri, lay.tau(rr), v);
      }
      for (const auto& bs : dsB) {
        const double v = bs.v * E + (bs.k == k ? (s - L) * E / tau : 0.0);
        if (v != 0.0) trip.emplace_back(ri, lay.bnd(bs.k), v);
      }
    };
    const bool last = k + 1 == n;
    while (i < ts.size() && (last || ts[i] < b1)) {
      row(i, ts[i], p[i]);
      ++i;
    }
    if (last) break;
    // Carry the state and its sensitivities to b_{k+1}.
    const double d = b1 - b0, Ee = std::exp(-d / tau);
    const double s1 = L + (s - L) * Ee;
    for (std::size_t j = 0; j < nL; ++j) dsL[j] = (j == q ? 1.0 - Ee : 0.0) + dsL[j] * Ee;
    for (int rr = 0; rr < 2; ++rr) dsT[rr] = dsT[rr] * Ee + (rr == r ? (s - L) * Ee * d / tau : 0.0);
    for (auto& bs : dsB) bs.v = bs.v * Ee + (bs.k == k ? (s - L) * Ee / tau : 0.0);
    dsB.erase(std::remove_if(dsB.begin(), dsB.end(), [](const BoundarySens& bs) { return std::abs(bs.v) < 1e-12 * std::abs(bs.v0); }),
              dsB.end());
    const double v = -(s1 - L) / tau;  // moving b_{k+1} later lets the state approach L longer
    dsB.push_back({k + 1, v, v != 0.0 ? v : 1.0});
    s = s1;
  }
  if (J) {
    J->resize(static_cast<Eigen::Index>(ts.size()), lay.size());
    J->setFromTriplets(trip.begin(), trip.end());
  }
}

double sse_of(const std::vector<double>& p, const std::vector<double>& y) {
  double s = 0;
  for (std::size_t i = 0; i < y.size(); ++i) s += (y[i] - p[i]) * (y[i] - p[i]);
  return s;
}

Eigen::VectorXd to_x(const LaggedSteps& m) {
  const auto n = static_cast<int>(m.level_of.size());
  const Layout lay{static_cast<int>(m.level_w.size()), n};
  Eigen::VectorXd x(lay.size());
  for (int j = 0; j < lay.nL; ++j) x(j) = m.level_w[static_cast<std::size_t>(j)];
  x(lay.tau(0)) = std::log(m.tau_rise_s);
  x(lay.tau(1)) = std::log(m.tau_fall_s);
  for (int k = 1; k < n; ++k) x(lay.bnd(k)) = m.boundary_s[static_cast<std::size_t>(k)];
  return x;
}

// The model at x, or false when x orders the boundaries wrongly or leaves the time-constant range.
bool from_x(const Eigen::VectorXd& x, LaggedSteps& m) {
  const auto n = static_cast<int>(m.level_of.size());
  const Layout lay{static_cast<int>(m.level_w.size()), n};
  for (int j = 0; j < lay.nL; ++j) m.level_w[static_cast<std::size_t>(j)] = x(j);
  for (int r = 0; r < 2; ++r)
    if (!(x(lay.tau(r)) >= kLogTauLo && x(lay.tau(r)) <= kLogTauHi)) return false;
  m.tau_rise_s = std::exp(x(lay.tau(0)));
  m.tau_fall_s = std::exp(x(lay.tau(1)));
  for (int k = 1; k < n; ++k) m.boundary_s[static_cast<std::size_t>(k)] = x(lay.bnd(k));
  for (std::size_t k = 0; k + 1 < m.boundary_s.size(); ++k)
    if (!(m.boundary_s[k + 1] - m.boundary_s[k] >= kMinSegment)) return false;
  return true;
}

}  // namespace

std::vector<double> lagged_steps_value(const LaggedSteps& m, const std::vector<double>& ts) {
  check(m, ts, nullptr);
  std::vector<double> p;
  evaluate(m, ts, p, nullptr);
  return p;
}

std::vector<double> lagged_steps_states(const LaggedSteps& m) {
  check(m, {}, nullptr);
  std::vector<double> out{std::isnan(m.start_w) ? m.level_w[static_cast<std::size_t>(m.level_of[0])] : m.start_w};
  for (std::size_t k = 0; k < m.level_of.size(); ++k) {
    const double L = m.level_w[static_cast<std::size_t>(m.level_of[k])], tau = m.rising[k] ? m.tau_rise_s : m.tau_fall_s;
    out.push_back(L + (out.back() - L) * std::exp(-(m.boundary_s[k + 1] - m.boundary_s[k]) / tau));
  }
  return out;
}

LaggedStepsFit fit_lagged_steps(const LaggedSteps& start, const std::vector<double>& ts, const std::vector<double>& y,
                                int max_iterations) {
  check(start, ts, &y);
  LaggedStepsFit out;
  out.model = start;
  std::vector<double> p;
  Eigen::SparseMatrix<double> J;
  evaluate(out.model, ts, p, &J);
  double sse = sse_of(p, y);
  out.sse_start_w2 = sse;
  Eigen::VectorXd x = to_x(out.model);
  const Eigen::Map<const Eigen::VectorXd> yv(y.data(), static_cast<Eigen::Index>(y.size()));
  double lambda = 1e-3;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt;
  for (int it = 0; it < max_iterations; ++it) {
    out.iterations = it + 1;
    const Eigen::Map<const Eigen::VectorXd> pv(p.data(), static_cast<Eigen::Index>(p.size()));
    const Eigen::VectorXd g = J.transpose() * (yv - pv);
    const Eigen::SparseMatrix<double> JtJ = (J.transpose() * J).pruned();
    Eigen::VectorXd diag = JtJ.diagonal();
    const double dmax = std::max(diag.maxCoeff(), 1e-300);
    for (Eigen::Index k = 0; k < diag.size(); ++k) diag(k) = std::max(diag(k), 1e-12 * dmax);
    bool improved = false, small_step = false;
    for (int tries = 0; tries < 16; ++tries) {
      Eigen::SparseMatrix<double> H = JtJ;
      for (Eigen::Index k = 0; k < H.rows(); ++k) H.coeffRef(k, k) += lambda * diag(k);
      ldlt.compute(H);
      if (ldlt.info() != Eigen::Success) {
        lambda *= 8;
        continue;
      }
      const Eigen::VectorXd step = ldlt.solve(g);
      LaggedSteps trial = out.model;
      std::vector<double> pt;
      if (from_x(x + step, trial)) {
        evaluate(trial, ts, pt, nullptr);
        const double s_new = sse_of(pt, y);
        if (s_new < sse) {
          const double gain = (sse - s_new) / std::max(sse, 1e-300);
          x += step;
          out.model = std::move(trial);
          sse = s_new;
          lambda = std::max(lambda / 4, 1e-12);
          improved = true;
          small_step = gain < 1e-9;  // far below the 1/N statistical resolution of the SSE
          break;
        }
      }
      lambda *= 8;
    }
    if (!improved || small_step) break;
    evaluate(out.model, ts, p, &J);
  }
  out.sse_w2 = sse;
  return out;
}

}  // namespace dctwin::gpu
