#include "viz/compare_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/format.h"

namespace dctwin::viz {

const std::vector<CompareFigure>& run_compare_figures() {
  static const std::vector<CompareFigure> figures = {
      {"facility_energy_mwh", "facility energy", "MWh"},
      {"it_energy_mwh", "IT energy", "MWh"},
      {"cooling_energy_mwh", "cooling energy", "MWh"},
      {"peak_facility_mw", "peak facility power", "MW"},
      {"mean_facility_mw", "mean facility power", "MW"},
      {"peak_it_mw", "peak IT power", "MW"},
      {"swing_mw", "swing", "MW"},
      {"max_ramp_up_mw_per_s", "max ramp up", "MW/s"},
      {"max_ramp_down_mw_per_s", "max ramp down", "MW/s"},
      {"load_factor", "load factor", ""},
      {"pue", "PUE", ""},
      {"wue_l_per_kwh", "WUE", "L/kWh"},
      {"water_m3", "water", "m3"},
      {"goodput", "goodput", ""},
      {"n1_headroom_pct", "N-1 headroom (redundant groups)", "%"},
      {"groups_without_redundancy", "element groups without redundancy (N)", ""},
      {"max_facility_water_c", "max facility water", "°C"},
      {"max_junction_c", "max GPU junction", "°C"},
      {"throttled_gpu_hours", "throttled GPU-hours", "GPU-h"},
      {"chiller_hours", "chiller hours", "h"},
      {"mitigation_energy_mwh", "mitigation energy", "MWh"},
      {"step_period_s", "training step period", "s"},
      {"gpus", "GPUs", ""},
      {"failures", "job failures", ""},
      {"checkpoint_count", "checkpoints", ""},
      {"overloads", "overloads", ""},
      {"alarms", "cooling alarms", ""},
      {"duration_s", "simulated duration", "s"},
  };
  return figures;
}

CompareFigure compare_figure(const std::string& key) {
  for (const auto& f : run_compare_figures())
    if (f.key == key) return f;
  static const std::vector<CompareFigure> study = {
      {"free_cooling_full_h", "full free-cooling hours", "h"},
      {"free_cooling_partial_h", "partial free-cooling hours", "h"},
      {"time_to_first_alarm_s", "time from the first plant failure to an alarm", "s"},
  };
  for (const auto& f : study)
    if (f.key == key) return f;
  return {key, key, ""};
}

namespace {

std::optional<double> n1_headroom_pct(const json& capacity) {
  std::optional<double> low;
  for (const auto& e : capacity) {
    if (!e.is_object()) continue;
    const auto m = e.find("failover_margin_pct");
    if (m == e.end() || !m->is_number()) continue;
    const double v = m->get<double>();
    if (std::isfinite(v) && (!low || v < *low)) low = v;
  }
  return low;
}

}  // namespace

FigureValue figure_value(const json& s, const std::string& key) {
  FigureValue out;
  if (!s.is_object()) {
    out.absent = true;
    return out;
  }
  if ((key == "n1_headroom_pct" || key == "groups_without_redundancy") && !s.contains(key)) {
    const auto cap = s.find("capacity");
    if (cap == s.end() || !cap->is_array()) {
      out.absent = true;
    } else if (key == "n1_headroom_pct") {
      out.v = n1_headroom_pct(*cap);
      if (!out.v) out.note = "no redundant group";
    } else {
      out.v = static_cast<double>(std::count_if(cap->begin(), cap->end(), [](const json& e) {
        return e.is_object() && e.contains("redundancy") && e["redundancy"] == "N";
      }));
    }
    return out;
  }
  const auto it = s.find(key);
  if (it == s.end()) {
    out.absent = true;
  } else if (it->is_number()) {
    const double v = it->get<double>();
    if (std::isfinite(v)) out.v = v;
  } else if (it->is_array()) {
    out.v = static_cast<double>(it->size());
  }
  return out;
}

std::vector<DiffRow> difference_table(const std::vector<json>& summaries, const std::vector<CompareFigure>& figures) {
  std::vector<DiffRow> rows;
  for (const auto& f : figures) {
    DiffRow r;
    r.figure = f;
    bool any = false;
    for (const auto& s : summaries) {
      r.values.push_back(figure_value(s, f.key));
      any = any || !r.values.back().absent;
    }
    if (!any) continue;
    const std::optional<double> first = r.values.empty() ? std::nullopt : r.values.front().v;
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      const auto& v = r.values[i].v;
      if (i == 0 || !first || !v) {
        r.diff.emplace_back();
        r.pct.emplace_back();
        continue;
      }
      r.diff.emplace_back(*v - *first);
      r.pct.push_back(*first != 0 ? std::optional<double>(100.0 * (*v - *first) / std::abs(*first)) : std::nullopt);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

namespace {

// 5 significant digits, thousands separated; whole numbers without decimals.
std::string number_text(double v) {
  if (v == 0) return "0";
  const double a = std::abs(v);
  if (a < 1e-4 || a >= 1e15) return fmt_g(v);
  if (v == std::round(v)) return fmt(v, 0);
  const int decimals = std::clamp(4 - static_cast<int>(std::floor(std::log10(a))), 0, 8);
  return fmt(v, decimals);
}

}  // namespace

std::string figure_text(const FigureValue& v) {
  if (v.v) return number_text(*v.v);
  if (!v.note.empty()) return v.note;
  return v.absent ? "not in the file" : "not modelled";
}

std::string difference_text(const std::optional<double>& diff, const std::optional<double>& pct) {
  if (!diff) return "—";
  std::string s = *diff > 0 ? "+" : "";
  s += number_text(*diff);
  if (pct) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " (%+.1f %%)", *pct);
    s += *pct == 0 ? std::string(" (0 %)") : std::string(buf);
  }
  return s;
}

namespace {

// Display width of UTF-8 text (one column per code point).
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, std::size_t w) { return s + std::string(w > width(s) ? w - width(s) : 0, ' '); }

}  // namespace

std::string difference_table_text(const std::vector<DiffRow>& rows, const std::vector<std::string>& names) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> head = {"figure", "unit"};
  for (std::size_t i = 0; i < names.size(); ++i) head.push_back(i == 0 ? names[i] : names[i] + " (vs " + names[0] + ")");
  cells.push_back(head);
  for (const auto& r : rows) {
    std::vector<std::string> line = {r.figure.label, r.figure.unit};
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      std::string t = figure_text(r.values[i]);
      if (i > 0 && r.diff[i]) t += "  " + difference_text(r.diff[i], r.pct[i]);
      line.push_back(t);
    }
    cells.push_back(line);
  }
  std::vector<std::size_t> w;
  for (const auto& line : cells)
    for (std::size_t k = 0; k < line.size(); ++k) {
      if (w.size() <= k) w.push_back(0);
      w[k] = std::max(w[k], width(line[k]));
    }
  std::string out;
  for (const auto& line : cells) {
    std::string l;
    for (std::size_t k = 0; k < line.size(); ++k) l += (k ? "  " : "") + pad(line[k], w[k]);
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  }
  return out;
}

}  // namespace dctwin::viz
