#include "models/grid/price_carbon.h"

#include "models/grid/price_carbon_buckets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "models/text/text_fields.h"

namespace dctwin::grid {

namespace {

constexpr double kJPerMwh = 3.6e9;

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil).
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool skipped(std::string_view line) {
  const auto t = text::trim(line);
  return t.empty() || t.front() == '#';
}

struct Column {
  const char* name;
  double lo, hi;
  const char* unit;
};
// usd_per_mwh, kg_co2_per_mwh, marginal_kg_co2_per_mwh
constexpr std::array<Column, 3> kValues = {{{"usd_per_mwh", -1e5, 1e6, "USD/MWh"},
                                            {"kg_co2_per_mwh", 0, 5000, "kg CO2/MWh"},
                                            {"marginal_kg_co2_per_mwh", 0, 5000, "kg CO2/MWh"}}};

std::optional<std::size_t> column(const std::vector<std::string_view>& head, const char* name) {
  const auto it = std::find_if(head.begin(), head.end(), [&](std::string_view h) { return text::iequals(h, name); });
  if (it == head.end()) return std::nullopt;
  return static_cast<std::size_t>(it - head.begin());
}

}  // namespace

std::optional<double> parse_iso_time(std::string_view s) {
  s = text::trim(s);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!digits(s, 0, 4, y) || s.size() < 16 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d) ||
      (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi))
    return std::nullopt;
  std::size_t at = 16;
  double frac = 0;
  if (at < s.size() && s[at] == ':') {
    if (!digits(s, at + 1, 2, se)) return std::nullopt;
    at += 3;
    if (at < s.size() && s[at] == '.') {
      double scale = 0.1;
      std::size_t k = at + 1;
      for (; k < s.size() && s[k] >= '0' && s[k] <= '9' && k < at + 10; ++k, scale /= 10) frac += (s[k] - '0') * scale;
      if (k == at + 1) return std::nullopt;
      at = k;
    }
  }
  double offset_s = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int oh = 0, om = 0;
    if (!digits(s, at + 1, 2, oh) || at + 3 >= s.size() || s[at + 3] != ':' || !digits(s, at + 4, 2, om) || oh > 14 || om > 59)
      return std::nullopt;
    offset_s = (s[at] == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
    at += 6;
  }
  if (at != s.size()) return std::nullopt;
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > kDays[static_cast<std::size_t>(mo - 1)] || (mo == 2 && d == 29 && !leap) ||
      h > 23 || mi > 59 || se > 59)
    return std::nullopt;
  const double days = static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)));
  return days * 86400.0 + h * 3600.0 + mi * 60.0 + se + frac - offset_s;
}

PriceCarbonSeries parse_price_carbon(std::string_view text, std::optional<double> start_epoch_s, text::ParseIssues& issues) {
  PriceCarbonSeries out;
  text::Collector c(issues);
  if (text::report_binary(text, "a text CSV price and carbon series", c)) {
    c.finish();
    return out;
  }
  const auto lines = text::split_lines(text);
  std::size_t i = 0;
  while (i < lines.size() && skipped(lines[i].text)) ++i;
  if (i == lines.size()) {
    c.add(0, "a header line t_s (or time),usd_per_mwh,kg_co2_per_mwh and rows", "no lines");
    c.finish();
    return out;
  }
  const auto head = text::split_trimmed(lines[i].text, ',');
  const auto t_col = column(head, "t_s"), iso_col = column(head, "time");
  std::array<std::optional<std::size_t>, 3> at{column(head, kValues[0].name), column(head, kValues[1].name), column(head, kValues[2].name)};
  bool ok = true;
  if (t_col.has_value() == iso_col.has_value()) {
    c.add(lines[i].number, "a header with exactly one time column, \"t_s\" or \"time\"", text::quote(lines[i].text));
    ok = false;
  } else if (iso_col && !start_epoch_s) {
    c.add(lines[i].number, "a \"t_s\" column, or grid.start_time in the scenario for a \"time\" column", "\"time\"");
    ok = false;
  }
  for (std::size_t k = 0; k < 2; ++k)
    if (!at[k]) {
      c.add(lines[i].number, std::string("a header with column \"") + kValues[k].name + "\"", text::quote(lines[i].text));
      ok = false;
    }
  if (!ok) {
    c.finish();
    return out;
  }
  const std::size_t tc = t_col ? *t_col : *iso_col;
  std::size_t need = tc + 1;
  for (const auto& a : at)
    if (a) need = std::max(need, *a + 1);
  const bool marginal = at[2].has_value();
  for (++i; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (skipped(line.text)) continue;
    if (out.t_s.size() >= kMaxPriceCarbonRows) {
      c.add(line.number, "at most " + std::to_string(kMaxPriceCarbonRows) + " rows", "more");
      break;
    }
    const auto f = text::split_trimmed(line.text, ',');
    if (f.size() < need) {
      c.add(line.number, std::to_string(need) + " comma-separated fields (the header's columns)", std::to_string(f.size()) + " fields");
      continue;
    }
    bool row_ok = true;
    std::optional<double> t;
    if (t_col) {
      t = text::parse_double(f[tc]);
      if (!t || std::abs(*t) > 1e10) {
        c.add(line.number, "column " + std::to_string(tc + 1) + " (t_s) seconds from the run start, a number in [-1e10, 1e10]", text::quote(f[tc]));
        row_ok = false;
      }
    } else {
      const auto e = parse_iso_time(f[tc]);
      if (!e) {
        c.add(line.number, "column " + std::to_string(tc + 1) + " (time) an ISO 8601 time YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]", text::quote(f[tc]));
        row_ok = false;
      } else {
        t = *e - *start_epoch_s;
      }
    }
    std::array<double, 3> v{};
    for (std::size_t k = 0; k < 3; ++k) {
      if (!at[k]) continue;
      const auto x = text::parse_double(f[*at[k]]);
      if (!x || *x < kValues[k].lo || *x > kValues[k].hi) {
        c.add(line.number,
              "column " + std::to_string(*at[k] + 1) + " (" + kValues[k].name + ") a number in [" + text::fmt(kValues[k].lo) + ", " +
                  text::fmt(kValues[k].hi) + "] " + kValues[k].unit,
              text::quote(f[*at[k]]));
        row_ok = false;
      } else {
        v[k] = *x;
      }
    }
    if (!row_ok) continue;
    if (!out.t_s.empty() && !(*t > out.t_s.back())) {
      c.add(line.number, "column " + std::to_string(tc + 1) + " a time after the previous row's", text::quote(f[tc]));
      continue;
    }
    out.t_s.push_back(*t);
    out.usd_per_mwh.push_back(v[0]);
    out.kg_co2_per_mwh.push_back(v[1]);
    if (marginal) out.marginal_kg_co2_per_mwh.push_back(v[2]);
  }
  if (!c.any()) {
    if (out.t_s.empty())
      c.add(0, "at least one row after the header", "none");
    else if (out.t_s.front() > 0)
      c.add(0, "a first row at or before the run start (t = 0)", "first row at t = " + text::fmt(out.t_s.front()) + " s");
  }
  c.finish();
  return out;
}

std::vector<CostBucket> integrate_cost_emissions_by_bucket(const PriceCarbonSeries& s, const std::vector<double>& edges,
                                                           const std::vector<double>& mean_w, double bucket_s) {
  std::vector<CostBucket> out;
  if (s.t_s.empty() || edges.size() < 2 || mean_w.empty() || !(bucket_s > 0)) return out;
  struct Sums {
    double kg = 0, marginal_kg = 0, price_s = 0, kg_s = 0, marginal_s = 0;
  };
  std::vector<Sums> sums;
  const double t_start = edges[0];
  // ceil(span / B) buckets, the last one ending with the run: a rounding sliver past the last whole
  // bucket (edges summed from output steps) stays in it rather than making one of its own.
  const double span = edges.back() - t_start;
  const std::size_t n = std::isfinite(bucket_s) ? std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(span / bucket_s - 1e-9))) : 1;
  const auto bucket_end = [&](std::size_t m) {
    return m + 1 >= n ? std::numeric_limits<double>::infinity() : t_start + static_cast<double>(m + 1) * bucket_s;
  };
  const auto open = [&](double t0) {
    out.push_back(CostBucket{t0, t0, {}, 0, 0, std::nullopt});
    sums.emplace_back();
  };
  open(t_start);
  std::size_t j = 0;  // the series row in force at the current time
  for (std::size_t k = 0; k + 1 < edges.size() && k < mean_w.size(); ++k) {
    double t = edges[k];
    const double end = edges[k + 1];
    while (t < end) {
      while (j + 1 < s.t_s.size() && s.t_s[j + 1] <= t) ++j;
      while (t >= bucket_end(out.size() - 1)) open(bucket_end(out.size() - 1));
      const double step = j + 1 < s.t_s.size() ? s.t_s[j + 1] : end;
      const double next = std::min({end, step, bucket_end(out.size() - 1)});
      const double dt = next - t, mwh = mean_w[k] * dt / kJPerMwh;
      CostBucket& b = out.back();
      Sums& a = sums.back();
      b.t1_s = next;
      b.totals.energy_mwh += mwh;
      b.totals.cost_usd += mwh * s.usd_per_mwh[j];
      a.kg += mwh * s.kg_co2_per_mwh[j];
      a.price_s += dt * s.usd_per_mwh[j];
      a.kg_s += dt * s.kg_co2_per_mwh[j];
      if (s.has_marginal()) {
        a.marginal_kg += mwh * s.marginal_kg_co2_per_mwh[j];
        a.marginal_s += dt * s.marginal_kg_co2_per_mwh[j];
      }
      t = next;
    }
  }
  for (std::size_t m = 0; m < out.size(); ++m) {
    CostBucket& b = out[m];
    const double len = b.t1_s - b.t0_s;
    b.totals.emissions_t_co2 = sums[m].kg / 1000.0;
    if (len > 0) {
      b.usd_per_mwh = sums[m].price_s / len;
      b.kg_co2_per_mwh = sums[m].kg_s / len;
    }
    if (s.has_marginal()) {
      b.totals.marginal_emissions_t_co2 = sums[m].marginal_kg / 1000.0;
      b.marginal_kg_co2_per_mwh = len > 0 ? sums[m].marginal_s / len : 0.0;
    }
  }
  return out;
}

CostEmissions integrate_cost_emissions(const PriceCarbonSeries& s, const std::vector<double>& edges, const std::vector<double>& mean_w) {
  const auto one = integrate_cost_emissions_by_bucket(s, edges, mean_w, std::numeric_limits<double>::infinity());
  if (!one.empty()) return one.front().totals;
  CostEmissions none;
  if (!s.t_s.empty() && s.has_marginal()) none.marginal_emissions_t_co2 = 0.0;
  return none;
}

}  // namespace dctwin::grid
