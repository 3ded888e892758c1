// gpu_runtime/common/thermal_fit.cpp — see thermal_fit.h for the model, the method and its limits.
#include "gpu_runtime/common/thermal_fit.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/problems.h"

namespace dctwin::gpu {

namespace {

[[noreturn]] void fail(const std::string& file, int gpu, const std::string& expected, const std::string& found) {
  Problems p;
  p.add(file, "GPU " + std::to_string(gpu), expected, found);
  throw InputError(p);
}

struct Data {
  std::vector<double> t, p, y, c;  // time, power, measured temperature, coolant
};

struct Sim {
  double t0 = 0, r = 0, sse = 0;
  Eigen::VectorXd resid;
  Eigen::MatrixXd basis;  // columns D, Q (for T_0 and R); C is the offset
};

// The model's recursion on 1 (D), the coolant (C) and the power (Q) for a given tau, then (T_0, R)
// by least squares on y - C.
Sim simulate(const Data& d, double tau) {
  const auto n = static_cast<Eigen::Index>(d.t.size());
  Eigen::VectorXd D(n), C(n), Q(n);
  D(0) = 1, C(0) = 0, Q(0) = 0;
  for (Eigen::Index k = 0; k + 1 < n; ++k) {
    const auto i = static_cast<std::size_t>(k);
    const double a = std::exp(-(d.t[i + 1] - d.t[i]) / tau);
    D(k + 1) = a * D(k);
    C(k + 1) = a * C(k) + (1 - a) * d.c[i];
    Q(k + 1) = a * Q(k) + (1 - a) * d.p[i];
  }
  Sim s;
  s.basis.resize(n, 2);
  s.basis.col(0) = D;
  s.basis.col(1) = Q;
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(d.y.data(), n) - C;
  const Eigen::Vector2d x = s.basis.colPivHouseholderQr().solve(y);
  s.t0 = x(0);
  s.r = x(1);
  s.resid = y - s.basis * x;
  s.sse = s.resid.squaredNorm();
  return s;
}

double lag1(const Eigen::VectorXd& r) {
  const double m = r.mean();
  double num = 0, den = 0;
  for (Eigen::Index i = 0; i < r.size(); ++i) {
    den += (r(i) - m) * (r(i) - m);
    if (i > 0) num += (r(i) - m) * (r(i - 1) - m);
  }
  return den > 0 ? num / den : 0.0;
}

}  // namespace

ThermalFit fit_junction_thermal(const std::vector<double>& t_s, const std::vector<double>& power_w,
                                const std::vector<double>& temperature_c, const std::vector<double>& coolant_c,
                                const std::string& file, int gpu, bool power_is_average, double average_window_s) {
  ThermalFit f;
  f.power_field = power_is_average ? "average" : "instant";
  const std::size_t n = t_s.size();
  if (power_w.size() != n || temperature_c.size() != n || (coolant_c.size() != n && coolant_c.size() != 1))
    fail(file, gpu, "one power, temperature and coolant value per sample", "columns of different lengths");
  if (n < 20) fail(file, gpu, "at least 20 samples with a temperature to fit the junction model", std::to_string(n));
  Data d;
  // An averaged power is the mean over the trailing window: it describes the power half a window earlier.
  const double shift = power_is_average ? 0.5 * average_window_s : 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double c = coolant_c.size() == 1 ? coolant_c[0] : coolant_c[i];
    d.t.push_back(t_s[i]);
    d.y.push_back(temperature_c[i]);
    d.c.push_back(c);
    // power at t_i: the averaged sample taken shift later
    double p = power_w[i];
    if (shift > 0) {
      const auto it = std::lower_bound(t_s.begin(), t_s.end(), t_s[i] + shift);
      p = it == t_s.end() ? power_w.back() : power_w[static_cast<std::size_t>(it - t_s.begin())];
    }
    d.p.push_back(p);
  }
  const auto [tmin, tmax] = std::minmax_element(d.y.begin(), d.y.end());
  const auto [pmin, pmax] = std::minmax_element(d.p.begin(), d.p.end());
  f.temperature_span_c = *tmax - *tmin;
  if (f.temperature_span_c < 3.0)
    fail(file, gpu, "a temperature that varies by 3 K or more (the fit needs the junction to heat and cool)",
         "a span of " + std::to_string(f.temperature_span_c) + " K");
  if (*pmax - *pmin < 10.0) fail(file, gpu, "a power that varies by 10 W or more", "a span of " + std::to_string(*pmax - *pmin) + " W");
  for (std::size_t i = 0; i < n; ++i)
    if (!(d.y[i] > d.c[i])) {
      Problems p;
      p.add(file, "GPU " + std::to_string(gpu) + ", sample at t = " + std::to_string(d.t[i]) + " s",
            "a junction temperature above the coolant (" + std::to_string(d.c[i]) + " °C, --coolant-c)",
            std::to_string(d.y[i]) + " °C");
      throw InputError(p);
    }
  f.quantised = std::all_of(d.y.begin(), d.y.end(), [](double v) { return v == std::round(v); });

  // tau: log grid, then golden section on log tau around the best grid point.
  std::vector<double> dts;
  for (std::size_t i = 1; i < n; ++i) dts.push_back(d.t[i] - d.t[i - 1]);
  std::nth_element(dts.begin(), dts.begin() + static_cast<long>(dts.size() / 2), dts.end());
  const double dt_med = dts[dts.size() / 2];
  const double lo = 0.05, hi = std::max(1.0, 0.5 * (d.t.back() - d.t.front()));
  const int ng = 60;
  int best = 0;
  double best_sse = std::numeric_limits<double>::infinity();
  auto tau_at = [&](double k) { return lo * std::pow(hi / lo, k / (ng - 1)); };
  for (int k = 0; k < ng; ++k) {
    const double sse = simulate(d, tau_at(k)).sse;
    if (sse < best_sse) best_sse = sse, best = k;
  }
  double a = std::log(tau_at(std::max(0, best - 1))), b = std::log(tau_at(std::min(ng - 1, best + 1)));
  const double g = (std::sqrt(5.0) - 1) / 2;
  double x1 = b - g * (b - a), x2 = a + g * (b - a);
  double f1 = simulate(d, std::exp(x1)).sse, f2 = simulate(d, std::exp(x2)).sse;
  for (int it = 0; it < 60 && b - a > 1e-7; ++it) {
    if (f1 < f2) b = x2, x2 = x1, f2 = f1, x1 = b - g * (b - a), f1 = simulate(d, std::exp(x1)).sse;
    else a = x1, x1 = x2, f1 = f2, x2 = a + g * (b - a), f2 = simulate(d, std::exp(x2)).sse;
  }
  f.tau_s = std::exp(0.5 * (a + b));
  const Sim s = simulate(d, f.tau_s);
  f.r_th_k_w = s.r;
  f.initial_c = s.t0;
  f.samples_used = n;
  const double nn = static_cast<double>(n);
  f.rms_c = std::sqrt(s.sse / nn);
  f.lag1_autocorrelation = lag1(s.resid);

  // Uncertainty: Gauss–Newton covariance with the tau column by a central difference.
  const double h = 1e-4;
  const Sim sp = simulate(d, f.tau_s * std::exp(h)), sm = simulate(d, f.tau_s * std::exp(-h));
  Eigen::MatrixXd J(static_cast<Eigen::Index>(n), 3);
  J.col(0) = s.basis.col(0);
  J.col(1) = s.basis.col(1);
  // d(model)/d(ln tau) at fixed (T_0, R): the residual change with the linear part held.
  {
    const Eigen::VectorXd yc_p = sp.resid + sp.basis * Eigen::Vector2d(sp.t0, sp.r);  // y - C(tau+)
    const Eigen::VectorXd yc_m = sm.resid + sm.basis * Eigen::Vector2d(sm.t0, sm.r);
    const Eigen::VectorXd model_p = -yc_p + sp.basis * Eigen::Vector2d(s.t0, s.r);
    const Eigen::VectorXd model_m = -yc_m + sm.basis * Eigen::Vector2d(s.t0, s.r);
    J.col(2) = (model_p - model_m) / (2 * h);
  }
  const double rho = std::clamp(f.lag1_autocorrelation, 0.0, 0.99);
  const double n_eff = std::max(4.0, nn * (1 - rho) / (1 + rho));
  const double sigma2 = s.sse / std::max(1.0, nn - 3) * (nn / n_eff);
  const Eigen::MatrixXd cov = sigma2 * (J.transpose() * J).inverse();
  f.r_th_sd_k_w = std::sqrt(std::max(0.0, cov(1, 1)));
  f.tau_sd_s = f.tau_s * std::sqrt(std::max(0.0, cov(2, 2)));
  f.tau_resolved = f.tau_s > dt_med && f.tau_s < 0.99 * hi && std::isfinite(f.tau_sd_s) && f.tau_sd_s < 0.5 * f.tau_s;
  if (!f.tau_resolved)
    f.notes.push_back("thermal time constant not resolved by this trace (sample interval " + std::to_string(dt_med) +
                      " s, trace " + std::to_string(d.t.back() - d.t.front()) + " s)");
  if (f.quantised)
    f.notes.push_back("temperature readings are whole degrees: quantisation (SD 0.29 K, correlated) is in the residual; "
                      "the stated SDs allow for its correlation");
  if (power_is_average)
    f.notes.push_back("power from the averaged field, moved back by half its window (" + std::to_string(shift) + " s)");
  if (!(f.r_th_k_w > 0)) f.notes.push_back("fitted resistance not positive: the temperature does not follow the power");
  return f;
}

LeakageFit fit_leakage(const std::vector<LeakageSamples>& traces) {
  LeakageFit L;
  double cmin = std::numeric_limits<double>::infinity(), cmax = -cmin;
  const LeakageSamples* coolest = nullptr;
  for (const auto& t : traces) {
    if (t.power_w.empty()) continue;
    if (t.coolant_c < cmin) cmin = t.coolant_c, coolest = &t;
    cmax = std::max(cmax, t.coolant_c);
  }
  if (!coolest || cmax - cmin < 5.0) {
    L.note = "leakage not fitted: it needs traces at two coolant temperatures at least 5 K apart";
    return L;
  }
  double tref = 0;
  for (double v : coolest->temperature_c) tref += v;
  tref /= static_cast<double>(coolest->temperature_c.size());
  std::vector<double> P, T;
  for (const auto& t : traces) P.insert(P.end(), t.power_w.begin(), t.power_w.end()), T.insert(T.end(), t.temperature_c.begin(), t.temperature_c.end());
  const auto n = static_cast<Eigen::Index>(P.size());
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(P.data(), n);
  double best = std::numeric_limits<double>::infinity();
  for (double dk = 5.0; dk <= 200.0; dk *= 1.02) {
    Eigen::MatrixXd A(n, 2);
    for (Eigen::Index i = 0; i < n; ++i) A(i, 0) = 1, A(i, 1) = std::exp2((T[static_cast<std::size_t>(i)] - tref) / dk) - 1;
    const Eigen::Vector2d x = A.colPivHouseholderQr().solve(y);
    const double sse = (y - A * x).squaredNorm();
    if (sse < best) best = sse, L.p_ref_w = x(0), L.w_at_reference = x(1), L.doubling_k = dk;
  }
  L.reference_c = tref;
  L.slope_w_k = L.w_at_reference * std::log(2.0) / L.doubling_k;
  L.rms_w = std::sqrt(best / static_cast<double>(n));
  L.samples_used = P.size();
  L.ok = L.w_at_reference > 0;
  L.note = L.ok ? "doubling interval weakly determined over the traces' temperature span; the slope at the reference is what the data fix"
                : "leakage not fitted: the compute power does not rise with temperature in these traces";
  return L;
}

TraceThermal fit_trace_thermal(const Trace& trace, const TraceFit& fit, double coolant_c) {
  TraceThermal out;
  out.file = trace.file;
  const bool from_column = std::isnan(coolant_c);
  if (from_column) {  // the mean of the coolant column over every GPU's samples (the report's figure)
    double sum = 0;
    std::size_t n = 0;
    for (const GpuSeries& g : trace.gpus)
      for (double c : g.coolant_c) sum += c, ++n;
    coolant_c = n ? sum / static_cast<double>(n) : coolant_c;
  }
  out.coolant_c = coolant_c;
  out.leakage.coolant_c = coolant_c;
  Problems all;
  for (std::size_t k = 0; k < trace.gpus.size(); ++k) {
    const GpuSeries& g = trace.gpus[k];
    try {
      if (!g.has_temperature)
        fail(trace.file, g.gpu, "a temperature column (nvidia-smi temperature.gpu, DCGM field 150, dctwin temperature_c) to fit R and tau",
             "none");
      if (from_column && !g.has_coolant)
        fail(trace.file, g.gpu, "a coolant temperature: --coolant-c, or a dctwin trace column coolant_c or inlet_c", "none");
      const bool avg = fit.field == "average" || !g.has_power;
      const std::vector<double>& p = avg ? g.power_avg_w : g.power_w;
      out.gpus.push_back(fit_junction_thermal(g.t_s, p, g.temperature_c, from_column ? g.coolant_c : std::vector<double>{coolant_c},
                                              trace.file, g.gpu, avg, trace.average_window_s));
      if (k < fit.gpus.size()) {
        const auto& lv = fit.gpus[k].level_w;
        double below = -std::numeric_limits<double>::infinity();
        for (int q = 0; q < kFitPhaseCount; ++q)
          if (q != 1 && lv[static_cast<std::size_t>(q)] < lv[1]) below = std::max(below, lv[static_cast<std::size_t>(q)]);
        const double cut = std::isfinite(below) ? 0.5 * (lv[1] + below) : lv[1];
        for (std::size_t i = 0; i < g.size(); ++i)
          if (p[i] > cut) out.leakage.power_w.push_back(p[i]), out.leakage.temperature_c.push_back(g.temperature_c[i]);
      }
    } catch (const InputError& e) {
      all.append(e.problems());
    }
  }
  if (!all.empty()) throw InputError(all);
  return out;
}

}  // namespace dctwin::gpu
