#include "sim/studies/perc1_fit.h"

#include <Eigen/Dense>
#include <unsupported/Eigen/LevenbergMarquardt>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <stdexcept>

#include "sim/studies/sweep.h"

namespace dctwin {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The continuous parameters the least squares may move.
enum class Pid { Fcease, Frecon, Trecon, Tramp, Kvp, Tvp, Tap, Tbp };

// Fractions travel as x with f = (1 + sin x) / 2: bounded to [0, 1] and smooth, so the solver is
// never stuck on a clamp.
double frac_x(double f) { return std::asin(std::clamp(2 * f - 1, -1.0, 1.0)); }
double x_frac(double x) { return 0.5 * (1 + std::sin(x)); }

double get(const grid::Perc1Params& p, Pid id) {
  switch (id) {
    case Pid::Fcease: return frac_x(p.fcease);
    case Pid::Frecon: return frac_x(p.frecon);
    case Pid::Trecon: return p.trecon_s;
    case Pid::Tramp: return p.tramp_s;
    case Pid::Kvp: return p.kvp;
    case Pid::Tvp: return p.tvp;
    case Pid::Tap: return p.tap;
    case Pid::Tbp: return p.tbp;
  }
  return 0;
}

// Sets a parameter from the solver's unbounded value: fractions in [0, 1], times >= 0.
void set(grid::Perc1Params& p, Pid id, double x) {
  switch (id) {
    case Pid::Fcease: p.fcease = x_frac(x); break;
    case Pid::Frecon: p.frecon = x_frac(x); break;
    case Pid::Trecon: p.trecon_s = std::abs(x); break;
    case Pid::Tramp: p.tramp_s = std::abs(x); break;
    case Pid::Kvp: p.kvp = x; break;
    case Pid::Tvp: p.tvp = std::abs(x); break;
    case Pid::Tap: p.tap = std::abs(x); break;
    case Pid::Tbp: p.tbp = std::abs(x); break;
  }
}

// Forward-difference step per parameter (units of the parameter).
double step_of(Pid id, double x) {
  switch (id) {
    case Pid::Fcease:
    case Pid::Frecon:
    case Pid::Kvp: return 1e-6;
    default: return std::max(1e-4, 1e-4 * std::abs(x));
  }
}

struct Data {
  const std::vector<Perc1Event>* events;
  std::vector<std::size_t> offset;  // first residual of each event
  std::size_t n = 0;
  double span_s = 0;  // the events' total length (sum of the steps)
};

const double* steps(const Perc1Event& e) { return e.step_s.empty() ? nullptr : e.step_s.data(); }
double step_at(const Perc1Event& e, std::size_t k) { return e.step_s.empty() ? e.dt_s : e.step_s[k]; }

void model(const grid::Perc1Params& p, const Perc1Event& ev, std::vector<double>& y) {
  grid::perc1_power_pu(p, ev.v_pu.data(), ev.v_pu.size(), ev.dt_s, ev.df_hz.empty() ? nullptr : ev.df_hz.data(), y, steps(ev));
}

// Residuals (model - simulated) / P0, each weighted by the square root of its step (so that their
// sum of squares is the time integral of the squared error), into r (size data.n).
void residuals(const grid::Perc1Params& p, const Data& d, double* r) {
  std::vector<double> y;
  for (std::size_t e = 0; e < d.events->size(); ++e) {
    const Perc1Event& ev = (*d.events)[e];
    model(p, ev, y);
    double* out = r + d.offset[e];
    const double inv = 1.0 / ev.p0_w;
    for (std::size_t k = 0; k < y.size(); ++k) out[k] = (y[k] - ev.p_w[k] * inv) * std::sqrt(step_at(ev, k));
  }
}

// Integral over time of the squared relative error (p.u.^2 s).
double sse(const grid::Perc1Params& p, const Data& d) {
  std::vector<double> y;
  double s = 0;
  for (const Perc1Event& ev : *d.events) {
    model(p, ev, y);
    const double inv = 1.0 / ev.p0_w;
    for (std::size_t k = 0; k < y.size(); ++k) {
      const double e = y[k] - ev.p_w[k] * inv;
      s += e * e * step_at(ev, k);
    }
  }
  return s;
}

Data make_data(const std::vector<Perc1Event>& events) {
  Data d{&events, {}, 0, 0};
  for (const auto& e : events) {
    d.offset.push_back(d.n);
    d.n += e.v_pu.size();
    for (std::size_t k = 0; k < e.v_pu.size(); ++k) d.span_s += step_at(e, k);
  }
  return d;
}

struct LmFunctor : Eigen::DenseFunctor<double> {
  LmFunctor(const Data& d, const grid::Perc1Params& base, std::vector<Pid> free, unsigned threads, int& evals)
      : Eigen::DenseFunctor<double>(static_cast<int>(free.size()), static_cast<int>(d.n)),
        d_(d), base_(base), free_(std::move(free)), threads_(threads), evals_(evals) {}

  grid::Perc1Params at(const Eigen::VectorXd& x) const {
    grid::Perc1Params p = base_;
    for (std::size_t j = 0; j < free_.size(); ++j) set(p, free_[j], x(static_cast<Eigen::Index>(j)));
    return p;
  }
  int operator()(const InputType& x, ValueType& f) const {
    f.resize(static_cast<Eigen::Index>(d_.n));
    residuals(at(x), d_, f.data());
    ++evals_;
    return 0;
  }
  int df(const InputType& x, JacobianType& jac) const {
    jac.resize(static_cast<Eigen::Index>(d_.n), static_cast<Eigen::Index>(free_.size()));
    Eigen::VectorXd f0(static_cast<Eigen::Index>(d_.n));
    residuals(at(x), d_, f0.data());
    run_in_threads(free_.size(), threads_, [&](std::size_t j) {
      Eigen::VectorXd xp = x;
      const double h = step_of(free_[j], x(static_cast<Eigen::Index>(j)));
      xp(static_cast<Eigen::Index>(j)) += h;
      auto col = jac.col(static_cast<Eigen::Index>(j));
      residuals(at(xp), d_, col.data());
      col = (col - f0) / h;
    });
    evals_ += static_cast<int>(free_.size()) + 1;
    return 0;
  }

 private:
  const Data& d_;
  grid::Perc1Params base_;
  std::vector<Pid> free_;
  unsigned threads_;
  int& evals_;
};

// Least squares over `free` from p; returns the better of the start and the solver's end.
grid::Perc1Params least_squares(const Data& d, const grid::Perc1Params& p, const std::vector<Pid>& free, unsigned threads,
                                int& evals) {
  LmFunctor fn(d, p, free, threads, evals);
  Eigen::VectorXd x(static_cast<Eigen::Index>(free.size()));
  for (std::size_t j = 0; j < free.size(); ++j) x(static_cast<Eigen::Index>(j)) = get(p, free[j]);
  Eigen::LevenbergMarquardt<LmFunctor> lm(fn);
  lm.setMaxfev(60);
  lm.setXtol(1e-10);
  lm.setFtol(1e-12);
  lm.minimize(x);
  const grid::Perc1Params q = fn.at(x);
  return sse(q, d) <= sse(p, d) ? q : p;
}

struct EventShape {
  double level = 1;     // lowest voltage
  std::size_t low = 0;  // samples below 1 p.u.
};

struct Thresholds {
  std::vector<double> vcease, tcease;       // candidates
  std::vector<std::pair<double, double>> vbr, tbr;  // the bracket each candidate stands for
};

Thresholds threshold_candidates(const std::vector<Perc1Event>& events) {
  // Sag lengths as the sum of their steps, rounded to 1 us so that equal lengths are one candidate.
  std::set<double> levels;
  std::set<long long> lens_us;
  double dt = events.front().dt_s;
  for (const auto& e : events) {
    double lo = 1, len = 0;
    for (std::size_t k = 0; k < e.v_pu.size(); ++k) {
      lo = std::min(lo, e.v_pu[k]);
      if (e.v_pu[k] < 1 - 1e-9) len += step_at(e, k), dt = step_at(e, k);
    }
    if (lo < 1 - 1e-9) levels.insert(lo), lens_us.insert(std::llround(len * 1e6));
  }
  Thresholds t;
  std::vector<double> lv(levels.begin(), levels.end());
  t.vcease.push_back(0.0);
  t.vbr.push_back({0.0, lv.empty() ? 1.0 : lv.front()});
  for (std::size_t i = 0; i < lv.size(); ++i) {
    const double hi = i + 1 < lv.size() ? lv[i + 1] : 1.0;
    t.vcease.push_back(0.5 * (lv[i] + hi));
    t.vbr.push_back({lv[i], hi});
  }
  // A candidate half a (sag) step above a length: sags of that length pass, longer ones cease.
  std::vector<double> ln;
  for (long long u : lens_us) ln.push_back(static_cast<double>(u) * 1e-6);
  t.tcease.push_back(0.0);
  t.tbr.push_back({0.0, ln.empty() ? kInf : ln.front()});
  for (std::size_t i = 0; i < ln.size(); ++i) {
    t.tcease.push_back(ln[i] + 0.5 * dt);
    t.tbr.push_back({ln[i], i + 1 < ln.size() ? ln[i + 1] : kInf});
  }
  return t;
}

// Exhaustive search of (Vcease, Tcease) with the rest of p fixed; sets p's and the brackets (the
// range of candidates that tie with the best).
void search_thresholds(const Data& d, const Thresholds& t, grid::Perc1Params& p, unsigned threads, Perc1Fit& f) {
  const std::size_t nv = t.vcease.size(), nt = t.tcease.size();
  std::vector<double> s(nv * nt);
  run_in_threads(s.size(), threads, [&](std::size_t k) {
    grid::Perc1Params q = p;
    q.vcease_pu = t.vcease[k / nt];
    q.tcease_s = t.tcease[k % nt];
    s[k] = sse(q, d);
  });
  f.solver_evaluations += static_cast<int>(s.size());
  const std::size_t best = static_cast<std::size_t>(std::min_element(s.begin(), s.end()) - s.begin());
  const std::size_t bv = best / nt, bt = best % nt;
  const double tol = 1e-12 * std::max(1.0, s[best]);
  std::size_t v0 = bv, v1 = bv, t0 = bt, t1 = bt;
  for (std::size_t i = 0; i < nv; ++i)
    if (s[i * nt + bt] <= s[best] + tol) v0 = std::min(v0, i), v1 = std::max(v1, i);
  for (std::size_t j = 0; j < nt; ++j)
    if (s[bv * nt + j] <= s[best] + tol) t0 = std::min(t0, j), t1 = std::max(t1, j);
  p.vcease_pu = t.vcease[bv];
  p.tcease_s = t.tcease[bt];
  f.vcease_bracket_pu = {t.vbr[v0].first, t.vbr[v1].second};
  f.tcease_bracket_s = {t.tbr[t0].first, t.tbr[t1].second};
}

// Starting values from the data: the deepest drop, and when and how fast it came back.
grid::Perc1Params initial_guess(const std::vector<Perc1Event>& events) {
  grid::Perc1Params p;
  p.frecon = 0.9;  // inside (0, 1): the solver starts where it can move either way
  double drop = 0;
  const Perc1Event* deepest = nullptr;
  for (const auto& e : events)
    for (std::size_t k = 0; k < e.v_pu.size(); ++k)
      if (e.v_pu[k] > 0 && 1 - e.p_w[k] / e.p0_w > drop) drop = 1 - e.p_w[k] / e.p0_w, deepest = &e;
  p.fcease = std::clamp(drop, 0.02, 0.98);
  p.trecon_s = 1;
  p.tramp_s = 1;
  if (deepest) {
    const auto& e = *deepest;
    std::size_t end = 0;
    for (std::size_t k = 0; k < e.v_pu.size(); ++k)
      if (e.v_pu[k] < 1 - 1e-9) end = k + 1;
    double lo = kInf;
    for (std::size_t k = end; k < e.p_w.size(); ++k) lo = std::min(lo, e.p_w[k] / e.p0_w);
    const double fin = e.p_w.back() / e.p0_w;
    std::size_t rise = end, reach = end;
    while (rise < e.p_w.size() && e.p_w[rise] / e.p0_w <= lo + 0.02 * std::max(fin - lo, 1e-9)) ++rise;
    reach = rise;
    while (reach < e.p_w.size() && e.p_w[reach] / e.p0_w < lo + 0.95 * (fin - lo)) ++reach;
    if (fin > lo + 1e-6 && rise < e.p_w.size()) {
      p.trecon_s = static_cast<double>(rise - end) * e.dt_s;
      p.tramp_s = std::max(e.dt_s, static_cast<double>(reach - rise) * e.dt_s);
    }
  }
  return p;
}

// n ln(mean square error) + k ln n, the mean square over time (s / span).
double bic(double s, double span_s, std::size_t n, int k) {
  const double nn = static_cast<double>(n);
  return nn * std::log(std::max(s / span_s, 1e-300)) + k * std::log(nn);
}

}  // namespace

double perc1_fit_error_pct(const grid::Perc1Params& p, const std::vector<Perc1Event>& events) {
  const Data d = make_data(events);
  if (!(d.span_s > 0)) return 0;
  return 100 * std::sqrt(sse(p, d) / d.span_s);
}

Perc1Fit fit_perc1(const std::vector<Perc1Event>& events, const Perc1FitOptions& o) {
  if (events.empty()) throw std::invalid_argument("PERC1 fit: no events");
  bool freq = false;
  for (const auto& e : events) {
    bool steps_ok = e.step_s.empty() || e.step_s.size() == e.v_pu.size();
    for (double h : e.step_s) steps_ok = steps_ok && h > 0;
    if (e.v_pu.empty() || e.p_w.size() != e.v_pu.size() || (!e.df_hz.empty() && e.df_hz.size() != e.v_pu.size()) ||
        !(e.p0_w > 0) || !(e.dt_s > 0) || !steps_ok)
      throw std::invalid_argument("PERC1 fit: event '" + e.label + "' has unequal series, no samples, a step <= 0 or no load before it");
    for (double x : e.df_hz) freq = freq || x != 0;
  }
  const Data d = make_data(events);
  if (freq)
    throw std::invalid_argument("PERC1 fit: events with frequency deviations are not fitted (the deadbands' search is not implemented)");
  Perc1Fit f;
  f.events = events.size();
  f.samples = d.n;
  f.p0_w = events.front().p0_w;
  const unsigned th = std::max(1u, o.threads);
  const Thresholds cand = threshold_candidates(events);
  grid::Perc1Params p = initial_guess(events);
  const std::vector<Pid> base{Pid::Fcease, Pid::Frecon, Pid::Trecon, Pid::Tramp};
  for (int round = 0; round < 2; ++round) {
    search_thresholds(d, cand, p, th, f);
    p.vrecon_pu = p.vcease_pu;
    p = least_squares(d, p, base, th, f.solver_evaluations);
  }
  search_thresholds(d, cand, p, th, f);
  p.vrecon_pu = p.vcease_pu;
  double s = sse(p, d);
  int k = static_cast<int>(base.size());
  // The washout, then the lead/lag, each kept when it lowers the BIC and the error by 0.1 % or more,
  // and only while the fit is not already exact to rounding (RMS above 1e-8 p.u.): rounding noise
  // never adds a block.
  auto trial = [&](std::vector<Pid> extra, grid::Perc1Params start) {
    std::vector<Pid> free = base;
    if (f.washout_kept) free.insert(free.end(), {Pid::Kvp, Pid::Tvp});
    if (f.lead_lag_kept) free.insert(free.end(), {Pid::Tap, Pid::Tbp});
    free.insert(free.end(), extra.begin(), extra.end());
    const grid::Perc1Params q = least_squares(d, start, free, th, f.solver_evaluations);
    const double sq = sse(q, d);
    const int kq = k + static_cast<int>(extra.size());
    const bool keep = s / d.span_s > 1e-16 && bic(sq, d.span_s, d.n, kq) < bic(s, d.span_s, d.n, k) && sq < 0.999 * s;
    if (keep) p = q, s = sq, k = kq;
    return keep;
  };
  grid::Perc1Params w = p;
  w.kvp = 0.1, w.tvp = 0.5;
  f.washout_kept = trial({Pid::Kvp, Pid::Tvp}, w);
  grid::Perc1Params l = p;
  l.tap = 0.01, l.tbp = 0.05;
  f.lead_lag_kept = trial({Pid::Tap, Pid::Tbp}, l);
  if (!f.washout_kept) p.kvp = 0, p.tvp = 0;
  if (!f.lead_lag_kept) p.tap = 0, p.tbp = 0;
  // Vrecon is seen only through a voltage between Vcease and 1 p.u. after a cease.
  for (const auto& e : events) {
    bool ceased = false;
    for (double v : e.v_pu) {
      if (v < p.vcease_pu) ceased = true;
      else if (ceased && v < 1 - 1e-9) f.vrecon_identified = true;
    }
  }
  f.frequency_identified = false;
  f.params = p;
  f.fit_error_pct = 100 * std::sqrt(s / d.span_s);
  return f;
}

std::vector<Perc1Event> perc1_events_from_map(const Scenario& sc, const RideThroughMap& m, const RideThroughOptions& o,
                                              int per_axis) {
  const int nd = std::max(1, o.depths), nt = std::max(1, o.durations), k = std::max(1, per_axis);
  auto pick = [k](int n) {
    std::set<int> s;
    for (int i = 0; i < std::min(k, n); ++i) s.insert(k == 1 || n == 1 ? 0 : static_cast<int>(std::lround(double(i) * (n - 1) / (std::min(k, n) - 1))));
    return s;
  };
  std::vector<std::size_t> chosen;
  for (int i : pick(nd))
    for (int j : pick(nt)) chosen.push_back(static_cast<std::size_t>(i * nt + j));
  const power::RideThroughParams p = sc.grid ? sc.grid->equipment : power::RideThroughParams{};
  std::vector<Perc1Event> out(chosen.size());
  GridResponseOptions go;
  go.keep_trace = true;
  run_in_threads(chosen.size(), o.threads, [&](std::size_t c) {
    const RideThroughPoint& pt = m.points.at(chosen[c]);
    const GridEventSpec e = ride_through_sag(pt, go.pre_s);
    const GridResponse r = simulate_grid_events({e}, p, m.loads, go);
    Perc1Event& ev = out[c];
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.3g p.u. for %.4g s", pt.remaining_pu, pt.duration_s);
    ev.label = buf;
    ev.dt_s = go.fine_step_s;
    ev.p0_w = r.events.at(0).load_before_w;
    // Samples (zero-order hold of the 1 ms trace): 10 ms steps from 1 s before the sag to 10 ms
    // before it, 1 ms steps to 2 s after its end, 10 ms steps to 60 s after its end. The model's
    // input is constant over every 10 ms step (1 p.u.), so the thinning loses none of its response;
    // the simulated meter power is compared at the start of each step.
    if (r.trace.empty()) return;
    const double t0 = r.trace.front().t_s, end = e.at_s + e.duration_s;
    const double t1 = std::min(end + go.fine_after_s, r.trace.back().t_s + go.fine_step_s);
    const double fine_from = e.at_s - 0.01, fine_to = end + 2.0;
    std::size_t j = 0;
    for (double t = t0; t < t1 - 1e-9;) {
      const bool fine = t >= fine_from - 1e-9 && t < fine_to - 1e-9;
      double h = fine ? go.fine_step_s : 0.01;
      if (!fine && t < fine_from) h = std::min(h, fine_from - t);
      h = std::min(h, t1 - t);
      while (j + 1 < r.trace.size() && r.trace[j + 1].t_s <= t + 1e-9) ++j;
      ev.v_pu.push_back(r.trace[j].voltage_pu);
      ev.p_w.push_back(r.trace[j].meter_w);
      ev.step_s.push_back(h);
      t += h;
    }
  });
  return out;
}

json perc1_fit_json(const Perc1Fit& f) {
  const grid::Perc1Params& p = f.params;
  auto finite_or_null = [](double x) { return std::isfinite(x) ? json(x) : json(nullptr); };
  json par = json::object();
  par["MWinit_mw"] = f.p0_w * 1e-6;
  par["Fcease"] = p.fcease;
  par["Frecon"] = p.frecon;
  par["Kvp"] = p.kvp;
  par["Tvp_s"] = f.washout_kept ? json(p.tvp) : json(nullptr);
  par["Tap_s"] = f.lead_lag_kept ? json(p.tap) : json(nullptr);
  par["Tbp_s"] = f.lead_lag_kept ? json(p.tbp) : json(nullptr);
  par["Dbfl_hz"] = f.frequency_identified ? finite_or_null(p.dbfl_hz) : json(nullptr);
  par["Dbfh_hz"] = f.frequency_identified ? finite_or_null(p.dbfh_hz) : json(nullptr);
  par["Vcease_pu"] = p.vcease_pu;
  par["Tcease_s"] = p.tcease_s;
  par["Vrecon_pu"] = f.vrecon_identified ? json(p.vrecon_pu) : json(nullptr);
  par["Trecon_s"] = p.trecon_s;
  par["Tramp_s"] = p.tramp_s;
  json notes = json::object();
  notes["Vcease_pu"] = "bracketed by the fitted events' sag levels: somewhere in (" + std::to_string(f.vcease_bracket_pu.first) +
                       ", " + std::to_string(f.vcease_bracket_pu.second) + "] (sags at the lower level cease, at the upper do not); "
                       "the value is the bracket's midpoint";
  notes["Tcease_s"] = "bracketed by the fitted events' sag lengths: somewhere in [" + std::to_string(f.tcease_bracket_s.first) +
                      ", " + (std::isfinite(f.tcease_bracket_s.second) ? std::to_string(f.tcease_bracket_s.second) : std::string("inf")) +
                      ") (sags of the shorter length pass, of the longer cease)";
  if (!f.vrecon_identified)
    notes["Vrecon_pu"] = "not identified: every fitted event returns from its sag level straight to 1 p.u.; the model uses Vrecon = Vcease";
  if (!f.washout_kept)
    notes["Tvp_s"] = "washout not kept (Kvp = 0): adding it did not lower the Bayesian information criterion of the fit";
  if (!f.lead_lag_kept)
    notes["Tap_s"] = notes["Tbp_s"] = "lead/lag not kept (bypassed): adding it did not lower the Bayesian information criterion of the fit";
  notes["Dbfl_hz"] = notes["Dbfh_hz"] = "not identified: the fitted events are voltage sags only (no frequency deviation)";
  json j = json::object();
  j["model"] = "PERC1";
  j["structure"] =
      "PERC1-structured, real-power path (models/grid/perc1.h): Fcease, Frecon, Kvp, Tvp, Tap, Tbp, Dbfl, Dbfh as PowerWorld "
      "names them; their block arrangement, and the thresholds Vcease, Tcease, Vrecon, Trecon, Tramp, are dctwin's own because "
      "the public pages do not give the block diagram or the full parameter list";
  j["source"] = json::array(
      {"PowerWorld Simulator 24 help, 'Load Characteristic Model: PERC1' (October 27, 2025 patch), "
       "https://www.powerworld.com/WebHelp/Content/TransientModels_HTML/Load%20Characteristic%20PERC1.htm",
       "PowerWorld Simulator 24 help, 'Load Characteristic Model: LDEV1' (September 22, 2025 patch), "
       "https://www.powerworld.com/WebHelp/Content/TransientModels_HTML/Load%20Characteristic%20LDEV1.htm",
       "EPRI, 'A Positive Sequence Model for Aggregated Representation Electric Vehicle Chargers', November 2022, "
       "project 1-116982, L. Sundaresh and P. Matra (cited by both pages; not read here)"});
  j["parameters"] = par;
  j["parameter_notes"] = notes;
  j["fit_error_pct"] = f.fit_error_pct;
  j["fit_error_definition"] = "RMS over every 1 ms sample of the fitted events of (model - simulated meter power), % of the load before each event";
  j["fitted_events"] = f.events;
  j["fitted_samples"] = f.samples;
  j["not_public"] = json::array({"Vcease_pu", "Tcease_s", "Vrecon_pu", "Trecon_s", "Tramp_s", "block arrangement (cease logic, "
                                 "washout on voltage, lead/lag on the product, zero power at zero voltage)",
                                 "Dbfl_hz and Dbfh_hz semantics (frequency outside the deadband ceases the load)"});
  j["not_modelled"] = json::array({"reactive-power path: Kvq, Tvq, Taq, Tbq, QPRatio (dctwin's grid events carry no reactive power)"});
  j["dyr"] = nullptr;
  j["dyr_reason"] =
      "not written: the published PERC1 dynamic-data record layout (parameter order, PSS/E or PowerWorld .dyr version) was not "
      "found in the public material reachable here, and dctwin does not write a file that claims a format it could not verify";
  return j;
}

}  // namespace dctwin
