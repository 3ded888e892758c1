#include "sim/output/compliance_checks.h"

#include <unsupported/Eigen/FFT>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <deque>
#include <numbers>

namespace dctwin {

std::string six_digits(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", x);
  return b;
}

namespace {

constexpr double kMW = 1e6;

std::size_t steps_of(double window_s, double dt_s) {
  return static_cast<std::size_t>(std::max(1.0, std::round(window_s / dt_s)));
}

CheckResult base(std::string name, std::string unit, double limit, const MeterSeries& m, std::optional<double> window_s) {
  CheckResult c;
  c.name = std::move(name);
  c.unit = std::move(unit);
  c.limit = limit;
  if (window_s) c.window_used_s = static_cast<double>(steps_of(*window_s, m.dt_s)) * m.dt_s;
  return c;
}

// Fills value, margin, pass for a maximum (or minimum) limit.
CheckResult& judge(CheckResult& c, double value, double at_t_s) {
  c.value = value;
  c.at_t_s = at_t_s;
  c.margin = c.minimum ? value - c.limit : c.limit - value;
  c.pass = *c.margin >= 0;
  return c;
}

CheckResult& too_short(CheckResult& c, std::size_t need_steps, const MeterSeries& m) {
  c.note = "the run holds " + std::to_string(m.p_w.size()) + " output steps of " + six_digits(m.dt_s) + " s; this check needs at least " +
           std::to_string(need_steps);
  return c;
}

// Prefix sums of the series (W s per step count: sum of interval means).
std::vector<double> prefix(const std::vector<double>& p) {
  std::vector<double> s(p.size() + 1, 0.0);
  for (std::size_t i = 0; i < p.size(); ++i) s[i + 1] = s[i] + p[i];
  return s;
}

CheckResult ramp(const MeterSeries& m, const RampLimit& l, bool up) {
  CheckResult c = base(up ? "ramp_up" : "ramp_down", "MW/s", up ? l.max_up_mw_per_s : l.max_down_mw_per_s, m, l.window_s);
  const std::size_t n = steps_of(l.window_s, m.dt_s);
  if (m.p_w.size() < 2 * n) return too_short(c, 2 * n, m);
  const std::vector<double> s = prefix(m.p_w);
  const double w = static_cast<double>(n) * m.dt_s;
  double worst = -INFINITY;
  std::size_t at = n;
  for (std::size_t k = n; k + n <= m.p_w.size(); ++k) {
    const double r = ((s[k + n] - s[k]) - (s[k] - s[k - n])) / static_cast<double>(n) / w / kMW;
    const double v = up ? r : -r;
    if (v > worst) {
      worst = v;
      at = k;
    }
  }
  return judge(c, std::max(0.0, worst), m.t0_s + static_cast<double>(at) * m.dt_s);
}

}  // namespace

CheckResult check_ramp_up(const MeterSeries& m, const RampLimit& l) { return ramp(m, l, true); }
CheckResult check_ramp_down(const MeterSeries& m, const RampLimit& l) { return ramp(m, l, false); }

CheckResult check_step_change(const MeterSeries& m, const WindowLimit& l) {
  CheckResult c = base("step_change", "MW", l.max, m, l.window_s);
  const std::size_t n = steps_of(l.window_s, m.dt_s);
  if (m.p_w.size() < n + 1) return too_short(c, n + 1, m);
  double worst = 0;
  std::size_t at = 0;
  for (std::size_t k = 0; k + n < m.p_w.size(); ++k) {
    const double d = std::abs(m.p_w[k + n] - m.p_w[k]) / kMW;
    if (d > worst) {
      worst = d;
      at = k;
    }
  }
  return judge(c, worst, m.t0_s + static_cast<double>(at) * m.dt_s);
}

CheckResult check_dynamic_range(const MeterSeries& m, const WindowLimit& l) {
  CheckResult c = base("dynamic_range", "% of peak", l.max, m, l.window_s);
  const std::size_t n = steps_of(l.window_s, m.dt_s);
  if (m.p_w.size() < n || m.p_w.empty()) return too_short(c, n, m);
  const double peak = *std::max_element(m.p_w.begin(), m.p_w.end());
  if (!(peak > 0)) {
    c.note = "the meter power is never positive: no peak to take the range against";
    return c;
  }
  std::deque<std::size_t> hi, lo;  // monotone queues of indices in the window [k - n + 1, k]
  double worst = 0;
  std::size_t at = 0;
  for (std::size_t k = 0; k < m.p_w.size(); ++k) {
    while (!hi.empty() && m.p_w[hi.back()] <= m.p_w[k]) hi.pop_back();
    while (!lo.empty() && m.p_w[lo.back()] >= m.p_w[k]) lo.pop_back();
    hi.push_back(k);
    lo.push_back(k);
    if (hi.front() + n <= k) hi.pop_front();
    if (lo.front() + n <= k) lo.pop_front();
    if (k + 1 < n) continue;
    const double r = 100 * (m.p_w[hi.front()] - m.p_w[lo.front()]) / peak;
    if (r > worst) {
      worst = r;
      at = k + 1 - n;
    }
  }
  return judge(c, worst, m.t0_s + static_cast<double>(at) * m.dt_s);
}

CheckResult check_demand(const MeterSeries& m, const WindowLimit& l) {
  CheckResult c = base("demand", "MW", l.max, m, l.window_s);
  const std::size_t n = steps_of(l.window_s, m.dt_s);
  if (m.p_w.size() < n || m.p_w.empty()) return too_short(c, n, m);
  const std::vector<double> s = prefix(m.p_w);
  double worst = -INFINITY;
  std::size_t at = 0;
  for (std::size_t k = 0; k + n <= m.p_w.size(); ++k) {
    const double v = (s[k + n] - s[k]) / static_cast<double>(n) / kMW;
    if (v > worst) {
      worst = v;
      at = k;
    }
  }
  return judge(c, worst, m.t0_s + static_cast<double>(at) * m.dt_s);
}

std::optional<std::string> band_resolution_problem(const OscillationLimit& l, double dt_s, double duration_s) {
  if (l.hi_hz * 4 * dt_s > 1 + 1e-9)
    return "an output step of at most " + six_digits(0.25 / l.hi_hz) + " s (4 samples per period of the band's upper edge " + six_digits(l.hi_hz) +
           " Hz), found " + six_digits(dt_s) + " s: set simulation.output_step_s to " + six_digits(0.25 / l.hi_hz) + " or less";
  if (duration_s < 2 / l.lo_hz)
    return "a run of at least " + six_digits(2 / l.lo_hz) + " s (two periods of the band's lower edge " + six_digits(l.lo_hz) + " Hz), found " +
           six_digits(duration_s) + " s: use --duration-s " + six_digits(2 / l.lo_hz) + " or more";
  return std::nullopt;
}

CheckResult check_oscillation(const MeterSeries& m, const OscillationLimit& l) {
  CheckResult c = base("oscillation", "MW", l.max_component_mw, m, std::nullopt);
  c.name = "oscillation ";
  c.name.append(six_digits(l.lo_hz)).append("-").append(six_digits(l.hi_hz)).append(" Hz");
  const std::size_t n = m.p_w.size();
  if (auto why = band_resolution_problem(l, m.dt_s, static_cast<double>(n) * m.dt_s)) {
    c.note = "not resolved: needs " + *why;
    return c;
  }
  double mean = 0;
  for (double p : m.p_w) mean += p;
  mean /= static_cast<double>(n);
  std::size_t len = 1;
  while (len < 4 * n) len *= 2;
  std::vector<double> x(len, 0.0);
  double wsum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * (static_cast<double>(i) + 0.5) / static_cast<double>(n));
    x[i] = (m.p_w[i] - mean) * w;
    wsum += w;
  }
  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> spec;
  fft.fwd(spec, x);
  double worst = 0, at_f = l.lo_hz;
  for (std::size_t k = 1; k <= len / 2; ++k) {
    const double f = static_cast<double>(k) / (static_cast<double>(len) * m.dt_s);
    if (f < l.lo_hz || f > l.hi_hz) continue;
    const double u = std::numbers::pi * f * m.dt_s;
    const double a = 2 * std::abs(spec[k]) / wsum / (std::sin(u) / u) / kMW;
    if (a > worst) {
      worst = a;
      at_f = f;
    }
  }
  judge(c, worst, m.t0_s);
  c.at_t_s = std::nullopt;  // a component of the whole run, not an instant
  c.where = "utility meter, at " + six_digits(at_f) + " Hz (over the whole run)";
  return c;
}

CheckResult not_modelled(std::string name, std::string unit, double limit, bool minimum, std::string note) {
  CheckResult c;
  c.name = std::move(name);
  c.unit = std::move(unit);
  c.limit = limit;
  c.minimum = minimum;
  c.note = "not modelled: " + std::move(note);
  return c;
}

CheckResult check_power_factor(const MeterSeries& m, double min_pf) {
  if (!m.q_var) return not_modelled("power_factor", "", min_pf, true, "reactive power is not modelled (active power only)");
  CheckResult c = base("power_factor", "", min_pf, m, std::nullopt);
  c.minimum = true;
  double worst = 1;
  std::size_t at = 0;
  for (std::size_t k = 0; k < m.p_w.size() && k < m.q_var->size(); ++k) {
    const double s = std::hypot(m.p_w[k], (*m.q_var)[k]);
    const double pf = s > 0 ? std::abs(m.p_w[k]) / s : 1.0;
    if (pf < worst) {
      worst = pf;
      at = k;
    }
  }
  return judge(c, worst, m.t0_s + static_cast<double>(at) * m.dt_s);
}

namespace {
const char* kNoPcc = "no point of common coupling given (neither the scenario's grid.pcc nor the requirements' pcc)";

CheckResult pcc_base(const MeterSeries& m, std::string name, std::string unit, double limit) {
  CheckResult c = base(std::move(name), std::move(unit), limit, m, std::nullopt);
  c.where = "point of common coupling (" + m.pcc_source + ")";
  return c;
}

CheckResult flicker_check(const MeterSeries& m, const std::string& name, double limit, const std::vector<double>& values,
                          double interval_s) {
  CheckResult c = pcc_base(m, name, "", limit);
  c.window_used_s = interval_s;
  if (values.empty()) {
    c.note = "the run holds " + six_digits(m.pcc->flicker.record_s) + " s; " + name + " needs at least " + six_digits(interval_s) +
             " s (rerun with --duration-s " + six_digits(interval_s) + ")";
    return c;
  }
  const auto worst = std::max_element(values.begin(), values.end());
  judge(c, *worst, m.t0_s + static_cast<double>(worst - values.begin()) * interval_s);
  c.note = "flickermeter on the PCC voltage at the output step " + six_digits(m.dt_s) + " s (fluctuations above " + six_digits(0.5 / m.dt_s) +
           " Hz are not resolved), " + std::to_string(m.pcc->line_hz) + " Hz lamp";
  return c;
}
}  // namespace

CheckResult check_flicker_pst(const MeterSeries& m, double pst_max) {
  if (!m.pcc) return not_modelled("flicker_pst", "", pst_max, false, kNoPcc);
  return flicker_check(m, "flicker_pst", pst_max, m.pcc->flicker.pst, power::kPstIntervalS);
}

CheckResult check_flicker_plt(const MeterSeries& m, double plt_max) {
  if (!m.pcc) return not_modelled("flicker_plt", "", plt_max, false, kNoPcc);
  return flicker_check(m, "flicker_plt", plt_max, m.pcc->flicker.plt, power::kPstIntervalS * power::kPstPerPlt);
}

CheckResult check_voltage_change(const MeterSeries& m, double max_pct) {
  if (!m.pcc) return not_modelled("voltage_change", "%", max_pct, false, kNoPcc);
  CheckResult c = pcc_base(m, "voltage_change", "%", max_pct);
  const auto& v = m.pcc->voltage.v_pu;
  if (v.empty()) return too_short(c, 1, m);
  const auto lo = std::min_element(v.begin(), v.end());
  return judge(c, m.pcc->voltage.change_max_pct, m.t0_s + static_cast<double>(lo - v.begin()) * m.dt_s);
}

std::vector<CheckResult> check_all(const MeterSeries& m, const Requirements& q) {
  std::vector<CheckResult> out;
  for (std::size_t i = 0; i < q.ramp.size(); ++i) {
    std::string tag;
    if (q.ramp.size() > 1) tag.append("[").append(std::to_string(i)).append("]");
    out.push_back(check_ramp_up(m, q.ramp[i]));
    out.back().name += tag;
    out.push_back(check_ramp_down(m, q.ramp[i]));
    out.back().name += tag;
  }
  if (q.step_change) out.push_back(check_step_change(m, *q.step_change));
  if (q.dynamic_range) out.push_back(check_dynamic_range(m, *q.dynamic_range));
  for (const auto& b : q.oscillation) out.push_back(check_oscillation(m, b));
  if (q.demand) out.push_back(check_demand(m, *q.demand));
  if (q.power_factor_min) out.push_back(check_power_factor(m, *q.power_factor_min));
  if (q.flicker && q.flicker->pst_max) out.push_back(check_flicker_pst(m, *q.flicker->pst_max));
  if (q.flicker && q.flicker->plt_max) out.push_back(check_flicker_plt(m, *q.flicker->plt_max));
  if (q.voltage_change_max_pct) out.push_back(check_voltage_change(m, *q.voltage_change_max_pct));
  return out;
}

namespace {
json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
}  // namespace

json check_json(const CheckResult& c) {
  json j;
  j["name"] = c.name;
  j["unit"] = c.unit;
  j["limit"] = c.limit;
  j["limit_kind"] = c.minimum ? "minimum" : "maximum";
  j["window_used_s"] = opt(c.window_used_s);
  j["value"] = opt(c.value);
  j["margin"] = opt(c.margin);
  j["pass"] = c.pass ? json(*c.pass) : json(nullptr);
  j["at_t_s"] = opt(c.at_t_s);
  j["where"] = c.where;
  j["note"] = c.note.empty() ? json(nullptr) : json(c.note);
  return j;
}

json compliance_json(const std::vector<CheckResult>& checks, const Requirements& q) {
  json j;
  json failed = json::array(), unevaluated = json::array(), list = json::array();
  for (const auto& c : checks) {
    list.push_back(check_json(c));
    if (!c.pass) unevaluated.push_back(c.name);
    else if (!*c.pass) failed.push_back(c.name);
  }
  j["requirements"] = q.name;
  j["requirements_source"] = q.source;
  j["pass"] = failed.empty() && unevaluated.empty();
  j["verdict"] = !failed.empty() ? "fails" : (unevaluated.empty() ? "passes" : "incomplete");
  j["failed"] = failed;
  j["not_evaluated"] = unevaluated;
  j["checks"] = list;
  j["sources"] = q.sources.is_null() ? json::object() : q.sources;
  return j;
}

}  // namespace dctwin
