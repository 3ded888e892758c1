// gpu_runtime/common/limit_sweep.cpp — the power-limit sweep reader and the DVFS-curve fit
// (limit_sweep.h).
#include "gpu_runtime/common/limit_sweep.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>

#include "core/json_input.h"
#include "core/problems.h"
#include "models/text/text_fields.h"

namespace dctwin::gpu {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Column {
  const char* name;
  double lo, hi;
  const char* unit;
};
constexpr std::array<Column, 3> kColumns = {{{"power_limit_w", 1, 1e5, "W"}, {"step_time_s", 1e-9, 1e9, "s"}, {"avg_power_w", 0.1, 1e5, "W"}}};

bool skipped(std::string_view line) {
  const auto t = text::trim(line);
  return t.empty() || t.front() == '#';
}

// Where each column is in the header line; false (with issues) when one is missing.
bool read_header(const text::Line& line, std::array<std::size_t, 3>& at, text::Collector& c) {
  const auto head = text::split_trimmed(line.text, ',');
  bool ok = true;
  for (std::size_t k = 0; k < kColumns.size(); ++k) {
    const auto it = std::find_if(head.begin(), head.end(), [&](std::string_view h) { return text::iequals(h, kColumns[k].name); });
    if (it == head.end()) {
      c.add(line.number, std::string("a header with column \"") + kColumns[k].name + "\"", text::quote(line.text));
      ok = false;
    } else {
      at[k] = static_cast<std::size_t>(it - head.begin());
    }
  }
  return ok;
}

}  // namespace

std::vector<LimitSweepRow> parse_limit_sweep(std::string_view text, text::ParseIssues& issues) {
  std::vector<LimitSweepRow> out;
  text::Collector c(issues);
  if (text::report_binary(text, "a text CSV power-limit sweep", c)) {
    c.finish();
    return out;
  }
  const auto lines = text::split_lines(text);
  std::size_t i = 0;
  while (i < lines.size() && skipped(lines[i].text)) ++i;
  std::array<std::size_t, 3> at{};
  if (i == lines.size()) {
    c.add(0, "a header line power_limit_w,step_time_s,avg_power_w and rows", "no lines");
  } else if (read_header(lines[i], at, c)) {
    const std::size_t need = *std::max_element(at.begin(), at.end()) + 1;
    for (++i; i < lines.size(); ++i) {
      const auto& line = lines[i];
      if (skipped(line.text)) continue;
      if (out.size() >= kMaxLimitSweepRows) {
        c.add(line.number, "at most " + std::to_string(kMaxLimitSweepRows) + " rows", "more");
        break;
      }
      const auto f = text::split_trimmed(line.text, ',');
      if (f.size() < need) {
        c.add(line.number, std::to_string(need) + " comma-separated fields (the header's columns)", std::to_string(f.size()) + " fields");
        continue;
      }
      std::array<double, 3> v{};
      bool ok = true;
      for (std::size_t k = 0; k < kColumns.size(); ++k) {
        const auto x = text::parse_double(f[at[k]]);
        const Column& col = kColumns[k];
        if (!x || *x < col.lo || *x > col.hi) {
          c.add(line.number,
                "column " + std::to_string(at[k] + 1) + " (" + col.name + ") a number in [" + text::fmt(col.lo) + ", " + text::fmt(col.hi) +
                    "] " + col.unit,
                text::quote(f[at[k]]));
          ok = false;
        } else {
          v[k] = *x;
        }
      }
      if (!ok) continue;
      const bool repeated = std::any_of(out.begin(), out.end(), [&](const LimitSweepRow& r) { return r.power_limit_w == v[0]; });
      if (repeated) {
        c.add(line.number, "column " + std::to_string(at[0] + 1) + " (power_limit_w) a limit not given on an earlier row", text::quote(f[at[0]]));
        continue;
      }
      out.push_back({v[0], v[1], v[2], line.number});
    }
    if (out.empty() && !c.any()) c.add(0, "at least one row after the header", "none");
  }
  c.finish();
  return out;
}

std::vector<LimitSweepRow> load_limit_sweep_file(const std::string& path) {
  Problems problems;
  const std::string text = read_text_file(path, problems, kMaxLimitSweepBytes);
  if (!problems.empty()) throw InputError(problems);
  text::ParseIssues issues;
  auto rows = parse_limit_sweep(text, issues);
  for (const auto& is : issues) problems.add(path, is.line == 0 ? std::string("file") : "line " + std::to_string(is.line), is.expected, is.found);
  if (!problems.empty()) throw InputError(problems);
  return rows;
}

namespace {

struct Params {
  double ps, a, xk, beta;
};

double predict(const Params& p, double ref_w, double avg_w) {
  const double r = (avg_w - p.ps) / (ref_w - p.ps);
  if (!(r < 1)) return 1.0;
  const double x = power::dvfs_clock_ratio(power::DvfsCurve{p.ps, p.a, p.xk}, std::max(r, 1e-6));
  return p.beta / x + (1.0 - p.beta);
}

// Rows sorted by limit, highest first; rows[0] is the reference.
double cost(const Params& p, const std::vector<LimitSweepRow>& rows, std::size_t skip) {
  double s = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (i == skip) continue;
    const double e = predict(p, rows[0].avg_power_w, rows[i].avg_power_w) / (rows[i].step_time_s / rows[0].step_time_s) - 1.0;
    s += e * e;
  }
  return s;
}

Params clamp(Params p, double ps_max) {
  p.ps = std::clamp(p.ps, 0.0, ps_max);
  p.a = std::clamp(p.a, 1.0, 6.0);
  p.xk = std::clamp(p.xk, 0.0, 0.95);
  p.beta = std::clamp(p.beta, 0.0, 1.0);
  return p;
}

// How many parameters the rows can fit, leaving at least one residual: P_s, then beta, then a, then
// x_k (the others held at a = 3, no knee, beta = 1).
int free_parameters(std::size_t capped_rows) { return static_cast<int>(std::clamp<std::size_t>(capped_rows, 2, 5)) - 1; }

// Grid, then a shrinking pattern search, over the first `k` parameters; `skip` leaves one row out (0: none).
Params fit_params(const std::vector<LimitSweepRow>& rows, std::size_t skip) {
  double pmin = rows[0].avg_power_w;
  for (const auto& r : rows) pmin = std::min(pmin, r.avg_power_w);
  const double ps_max = 0.95 * pmin;
  const int k = free_parameters(rows.size() - 1 - (skip ? 1 : 0));
  Params best{0, 3, 0, 1};
  double best_c = cost(best, rows, skip);
  const int nb = k >= 2 ? 10 : 0, na = k >= 3 ? 20 : 0, nk = k >= 4 ? 14 : 0;
  for (int i = 0; i <= 19; ++i)
    for (int j = 0; j <= na; ++j)
      for (int q = 0; q <= nk; ++q)
        for (int b = 0; b <= nb; ++b) {
          const Params p{ps_max * i / 19.0, na ? 1.0 + 0.25 * j : 3.0, q == 0 ? 0.0 : 0.25 + 0.05 * q, nb ? 0.1 * b : 1.0};
          const double cc = cost(p, rows, skip);
          if (cc < best_c) best_c = cc, best = p;
        }
  std::array<double, 4> step{ps_max / 19.0, 0.1, 0.25, 0.05};  // ps, beta, a, x_k
  for (int it = 0; it < 80; ++it) {
    bool moved = false;
    for (int d = 0; d < k; ++d)
      for (double sgn : {1.0, -1.0}) {
        Params p = best;
        double* f[] = {&p.ps, &p.beta, &p.a, &p.xk};
        *f[d] += sgn * step[static_cast<std::size_t>(d)];
        p = clamp(p, ps_max);
        const double cc = cost(p, rows, skip);
        if (cc < best_c - 1e-15) best_c = cc, best = p, moved = true;
      }
    if (!moved)
      for (double& st : step) st *= 0.5;
  }
  return best;
}

}  // namespace

SweepFit fit_limit_sweep(const std::vector<LimitSweepRow>& input) {
  SweepFit f;
  std::vector<LimitSweepRow> rows = input;
  std::sort(rows.begin(), rows.end(), [](const LimitSweepRow& a, const LimitSweepRow& b) { return a.power_limit_w > b.power_limit_w; });
  if (rows.size() < 3) {
    f.note = "power-cap curve not fitted: it needs rows at three or more power limits (" + std::to_string(rows.size()) + " given)";
    return f;
  }
  const Params p = fit_params(rows, 0);
  f.ok = true;
  f.curve = power::DvfsCurve{p.ps, p.a, p.xk};
  f.compute_fraction = p.beta;
  f.reference_limit_w = rows[0].power_limit_w;
  f.reference_power_w = rows[0].avg_power_w;
  f.reference_step_s = rows[0].step_time_s;
  const bool loo = rows.size() >= 4;  // two capped rows left after one is held out
  double ss = 0, worst_loo = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SweepPoint pt;
    pt.limit_w = rows[i].power_limit_w;
    pt.avg_power_w = rows[i].avg_power_w;
    pt.measured_slowdown = rows[i].step_time_s / rows[0].step_time_s;
    pt.predicted_slowdown = i == 0 ? 1.0 : predict(p, rows[0].avg_power_w, rows[i].avg_power_w);
    pt.loo_predicted_slowdown = kNaN;
    if (loo && i > 0) {
      pt.loo_predicted_slowdown = predict(fit_params(rows, i), rows[0].avg_power_w, rows[i].avg_power_w);
      worst_loo = std::max(worst_loo, std::abs(pt.loo_predicted_slowdown / pt.measured_slowdown - 1.0) * 100.0);
    }
    const double e = (pt.predicted_slowdown / pt.measured_slowdown - 1.0) * 100.0;
    ss += e * e;
    f.max_abs_error_pct = std::max(f.max_abs_error_pct, std::abs(e));
    f.points.push_back(pt);
  }
  f.rms_error_pct = std::sqrt(ss / static_cast<double>(rows.size()));
  f.max_abs_loo_error_pct = loo ? worst_loo : kNaN;
  f.note = "fitted to " + std::to_string(rows.size()) + " limits; reference " + text::fmt(rows[0].power_limit_w) + " W";
  return f;
}

}  // namespace dctwin::gpu
