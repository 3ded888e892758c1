#include "viz/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <numeric>
#include <set>

#include "core/json_input.h"
#include "sim/run.h"
#include "core/atomic_file.h"
#include "viz/demand.h"
#include "viz/report_assets.h"

namespace dctwin::viz {

// ---- kinds, escaping ------------------------------------------------------------------------

std::optional<ReportKind> parse_report_kind(const std::string& s) {
  if (s == "utility") return ReportKind::Utility;
  if (s == "cooling") return ReportKind::Cooling;
  if (s == "capacity") return ReportKind::Capacity;
  return std::nullopt;
}

std::string to_string(ReportKind k) {
  switch (k) {
    case ReportKind::Utility: return "utility";
    case ReportKind::Cooling: return "cooling";
    case ReportKind::Capacity: return "capacity";
  }
  return "utility";
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string script_json(const json& j) {
  const std::string text = j.dump(-1, ' ', true, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 64);
  for (char c : text) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;  // ensure_ascii already wrote U+2028 and U+2029 as \u escapes
    }
  }
  return out;
}

// ---- reading a run --------------------------------------------------------------------------

const std::vector<double>* RunData::column(const std::string& name) const {
  const auto it = columns.find(name);
  return it == columns.end() ? nullptr : &it->second;
}

const std::vector<double>* RunData::storage_column(const std::string& name) const {
  const auto it = storage.find(name);
  return it == storage.end() ? nullptr : &it->second;
}

const std::vector<double>* RunData::cooling_column(const std::string& name) const {
  const auto it = cooling.find(name);
  return it == cooling.end() ? nullptr : &it->second;
}

namespace {

std::vector<std::string_view> split_csv_line(std::string_view line) {
  std::vector<std::string_view> f;
  std::size_t a = 0;
  while (true) {
    const std::size_t b = line.find(',', a);
    f.push_back(line.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a));
    if (b == std::string_view::npos) break;
    a = b + 1;
  }
  return f;
}

bool parse_double(std::string_view s, double& v) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(v);
}

std::optional<double> num(const json& s, const char* key) {
  if (!s.is_object() || !s.contains(key) || !s[key].is_number()) return std::nullopt;
  return s[key].get<double>();
}

std::string str(const json& s, const char* key, const std::string& fallback = "") {
  if (!s.is_object() || !s.contains(key)) return fallback;
  if (s[key].is_string()) return s[key].get<std::string>();
  if (s[key].is_null()) return fallback;
  return s[key].dump();
}

}  // namespace

RunData parse_run(const std::string& summary_text, const std::string& csv_text, const std::string& summary_name,
                  const std::string& csv_name) {
  Problems problems;
  RunData rd;
  rd.summary = parse_json(summary_text, summary_name, problems);
  if (problems.empty()) {
    const json& s = rd.summary;
    if (!s.is_object()) {
      problems.add(summary_name, "$", "a JSON object (dctwin's summary.json)", s.type_name());
    } else {
      if (!s.contains("scenario") || !s["scenario"].is_string())
        problems.add(summary_name, "$.scenario", "the scenario name (string)",
                     s.contains("scenario") ? s["scenario"].type_name() : "missing");
      for (const char* k : {"duration_s", "output_step_s"}) {
        const auto v = num(s, k);
        if (!v || !(*v > 0))
          problems.add(summary_name, std::string("$.") + k, "a positive number (s)",
                       s.contains(k) ? s[k].dump() : "missing");
      }
      for (const char* k : {"capacity", "jobs"})
        if (s.contains(k) && !s[k].is_array()) problems.add(summary_name, std::string("$.") + k, "a list", s[k].type_name());
    }
  }
  // The CSV.
  std::string_view text(csv_text);
  std::size_t pos = 0, line_no = 0;
  auto next_line = [&](std::string_view& line) {
    if (pos >= text.size()) return false;
    std::size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) e = text.size();
    line = text.substr(pos, e - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = e + 1;
    ++line_no;
    return true;
  };
  std::string_view header;
  std::vector<std::string> names;
  if (!next_line(header) || header.empty()) {
    problems.add(csv_name, "line 1", "a header row starting with t_s,facility_mw", "an empty file");
  } else {
    for (auto f : split_csv_line(header)) names.emplace_back(f);
    if (names.size() < 2 || names[0] != "t_s" || std::find(names.begin(), names.end(), "facility_mw") == names.end())
      problems.add(csv_name, "line 1", "a header with t_s first and a facility_mw column",
                   "\"" + std::string(header.substr(0, 120)) + "\"");
  }
  std::vector<std::vector<double>> cols(names.size());
  if (problems.empty()) {
    std::size_t bad = 0;
    std::string_view line;
    std::vector<double> row(names.size());
    while (next_line(line)) {
      if (line.empty()) continue;
      const auto f = split_csv_line(line);
      bool ok = f.size() == names.size();
      for (std::size_t i = 0; ok && i < f.size(); ++i) ok = parse_double(f[i], row[i]);
      if (!ok) {
        if (++bad <= 5)
          problems.add(csv_name, "line " + std::to_string(line_no),
                       std::to_string(names.size()) + " numbers separated by commas",
                       "\"" + std::string(line.substr(0, 120)) + "\"");
        continue;
      }
      for (std::size_t i = 0; i < names.size(); ++i) cols[i].push_back(row[i]);
    }
    if (bad > 5) problems.add(csv_name, "lines", "numeric rows", std::to_string(bad - 5) + " more malformed rows");
    if (bad == 0 && cols[0].empty()) problems.add(csv_name, "line 2", "at least one data row", "none");
  }
  if (problems.empty()) {
    const auto& t = cols[0];
    const double dt = *num(rd.summary, "output_step_s");
    rd.dt_s = dt;
    rd.t0_s = t.front();
    // t_s is written with 1 ms resolution: each row must be one output_step_s after the last.
    const double tol = std::max(1.5e-3, 1e-6 * dt);
    for (std::size_t k = 1; k < t.size(); ++k) {
      const double expect = t.front() + static_cast<double>(k) * dt;
      if (std::abs(t[k] - expect) > tol) {
        problems.add(csv_name, "line " + std::to_string(k + 2) + ", t_s",
                     "rows every output_step_s = " + std::to_string(dt) + " s (t_s = " + std::to_string(expect) + ")",
                     std::to_string(t[k]));
        break;
      }
    }
    for (std::size_t i = 1; i < names.size(); ++i) rd.columns[names[i]] = std::move(cols[i]);
  }
  if (!problems.empty()) throw InputError(problems);
  return rd;
}

RunData load_run(const std::string& dir, bool sizing_only_ok) {
  Problems problems;
  const std::string sp = dir + "/summary.json", cp = dir + "/timeseries.csv", zp = dir + "/sizing.json";
  json sizing;
  if (std::filesystem::exists(zp)) {
    sizing = parse_json(read_text_file(zp, problems), zp, problems);
    if (problems.empty() && !sizing.is_object()) problems.add(zp, "$", "a sizing object written by dctwin size", JsonReader::describe(&sizing));
    if (!problems.empty()) throw InputError(problems);
    if (sizing_only_ok && !std::filesystem::exists(sp) && !std::filesystem::exists(cp)) {
      RunData rd;
      rd.dir = dir;
      rd.summary = json::object();
      rd.sizing = sizing;
      return rd;
    }
  }
  const std::string s = read_text_file(sp, problems);
  // A day at 100 ms is ~70 MB of CSV; a few weeks stay well under this limit.
  const std::string c = read_text_file(cp, problems, std::size_t{4} << 30);
  if (!problems.empty()) throw InputError(problems);
  RunData rd = parse_run(s, c, sp, cp);
  rd.dir = dir;
  rd.sizing = sizing;
  if (rd.summary.contains("storage") && rd.summary["storage"].is_object()) {
    const std::string stp = dir + "/storage.csv";
    const std::string st = read_text_file(stp, problems, std::size_t{4} << 30);
    if (!problems.empty()) throw InputError(problems);
    parse_storage_csv(rd, st, stp);
  }
  if (rd.summary.contains("cooling") && rd.summary["cooling"].is_object() && rd.summary["cooling"].contains("series") &&
      rd.summary["cooling"]["series"].is_object()) {
    const std::string cop = dir + "/cooling.csv";
    const std::string ct = read_text_file(cop, problems, std::size_t{4} << 30);
    if (!problems.empty()) throw InputError(problems);
    parse_cooling_csv(rd, ct, cop);
  }
  return rd;
}

namespace {
// A side file of a run (storage.csv, cooling.csv): a header with t_s first, then rows of numbers;
// with allow_empty, an empty cell reads as NaN.
std::map<std::string, std::vector<double>> parse_side_csv(const std::string& csv_text, const std::string& name, bool allow_empty) {
  Problems problems;
  std::vector<std::string> names;
  std::vector<std::vector<double>> cols;
  std::size_t pos = 0, line_no = 0;
  while (pos < csv_text.size()) {
    std::size_t e = csv_text.find('\n', pos);
    if (e == std::string::npos) e = csv_text.size();
    std::string_view line(csv_text.data() + pos, e - pos);
    pos = e + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto f = split_csv_line(line);
    if (names.empty()) {
      for (auto x : f) names.emplace_back(x);
      if (names.size() < 2 || names[0] != "t_s") {
        problems.add(name, "line 1", "a header with t_s first", "\"" + std::string(line.substr(0, 120)) + "\"");
        break;
      }
      cols.resize(names.size());
      continue;
    }
    if (f.size() != names.size()) {
      problems.add(name, "line " + std::to_string(line_no), std::to_string(names.size()) + " fields", std::to_string(f.size()));
      break;
    }
    bool ok = true;
    for (std::size_t i = 0; i < f.size() && ok; ++i) {
      double v = 0;
      if (allow_empty && i > 0 && f[i].empty()) {
        cols[i].push_back(std::nan(""));
      } else if (!parse_double(f[i], v)) {
        problems.add(name, "line " + std::to_string(line_no) + ", " + names[i], "a number", "\"" + std::string(f[i]) + "\"");
        ok = false;
      } else {
        cols[i].push_back(v);
      }
    }
    if (!ok) break;
  }
  if (names.empty()) problems.add(name, "line 1", "a header row starting with t_s", "an empty file");
  if (!problems.empty()) throw InputError(problems);
  std::map<std::string, std::vector<double>> out;
  for (std::size_t i = 0; i < names.size(); ++i) out[names[i]] = std::move(cols[i]);
  return out;
}
}  // namespace

void parse_storage_csv(RunData& rd, const std::string& csv_text, const std::string& name) {
  rd.storage = parse_side_csv(csv_text, name, false);
  rd.storage.erase("t_s");
}

void parse_cooling_csv(RunData& rd, const std::string& csv_text, const std::string& name) {
  rd.cooling = parse_side_csv(csv_text, name, true);
}

// ---- step causes ----------------------------------------------------------------------------

std::string step_cause(const json& jobs, double t_s, double tol_s) {
  std::vector<std::string> causes;
  if (!jobs.is_array()) return "unattributed";
  auto near = [&](double a) { return std::abs(a - t_s) <= tol_s; };
  for (const auto& j : jobs) {
    const std::string name = str(j, "name", "?");
    const auto start = num(j, "start_s"), stop = num(j, "stop_s");
    if (start && near(*start)) causes.push_back("job start: " + name);
    if (stop && near(*stop)) causes.push_back("job stop: " + name);
    double first_disruption = std::numeric_limits<double>::infinity();
    if (j.contains("failure_times_s") && j["failure_times_s"].is_array())
      for (const auto& f : j["failure_times_s"])
        if (f.is_number()) {
          first_disruption = std::min(first_disruption, f.get<double>());
          if (near(f.get<double>())) causes.push_back("job failure: " + name);
        }
    const bool cp_times = j.contains("checkpoint_times_s") && j["checkpoint_times_s"].is_array();
    if (cp_times) {
      for (const auto& c : j["checkpoint_times_s"])
        if (c.is_number()) {
          first_disruption = std::min(first_disruption, c.get<double>());
          if (near(c.get<double>())) causes.push_back("checkpoint: " + name);
        }
    } else if (num(j, "checkpoint_count").value_or(0) > 0 && start) {
      first_disruption = std::min(first_disruption, *start);  // times unknown: schedule unknown
    }
    // A training job's step phase boundaries: start + k * period + cumulative phase durations,
    // known until the first failure or checkpoint shifts the schedule.
    const auto period = num(j, "step_period_s");
    if (str(j, "kind") == "training" && start && period && *period > 0 && j.contains("step_phases") &&
        j["step_phases"].is_array() && t_s >= *start && t_s <= first_disruption + tol_s && (!stop || t_s <= *stop + tol_s)) {
      const double rel = std::fmod(t_s - *start, *period);
      double off = 0;
      bool hit = rel <= tol_s || *period - rel <= tol_s;
      for (const auto& ph : j["step_phases"]) {
        off += num(ph, "duration_s").value_or(0);
        if (std::abs(rel - off) <= tol_s) hit = true;
      }
      if (hit) causes.push_back("step phase change: " + name);
    }
  }
  if (causes.empty()) return "unattributed";
  std::string out;
  for (std::size_t i = 0; i < causes.size(); ++i) out += (i ? "; " : "") + causes[i];
  return out;
}

// ---- the report -----------------------------------------------------------------------------

namespace {

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  const std::string s = buf;
  // Thousands separators for the integer part.
  const std::size_t start = s[0] == '-' ? 1 : 0;
  std::size_t dot = s.find('.');
  if (dot == std::string::npos) dot = s.size();
  std::string out;
  out.reserve(s.size() + dot / 3);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > start && i < dot && (dot - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  return out;
}

std::string fmt_g(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string clock(double t_s) {
  const long long ms = std::llround(t_s * 1000);
  const long long h = ms / 3600000, m = (ms / 60000) % 60;
  const double s = static_cast<double>(ms % 60000) / 1000.0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%04.1f", h, m, s);
  return buf;
}

std::string fmt_t(double t_s) { return fmt(t_s, 1) + " s (" + clock(t_s) + ")"; }

std::string fmt_duration(double s) {
  if (s >= 2 * 86400) return fmt(s / 86400, 2) + " days";
  if (s >= 2 * 3600) return fmt(s / 3600, 2) + " h";
  if (s >= 120) return fmt(s / 60, 1) + " min";
  return fmt_g(s) + " s";
}

std::string interval_label(double s) {
  if (s < 1) return fmt_g(s * 1000) + " ms";
  if (s < 60) return fmt_g(s) + " s";
  if (s < 3600) return fmt_g(s / 60) + " min";
  return fmt_g(s / 3600) + " h";
}

std::string usd(double v) {
  std::string out(1, '$');
  out += fmt(v, 0);
  return out;
}

// Compact numbers for the embedded data: enough digits for 1 W at hundreds of MW.
json round_series(const std::vector<double>& v, int sig) {
  json a = json::array();
  char buf[40];
  for (double x : v) {
    if (!std::isfinite(x)) {  // a gap (no value in that interval)
      a.push_back(nullptr);
      continue;
    }
    std::snprintf(buf, sizeof buf, "%.*g", sig, x);
    a.push_back(json::parse(buf));
  }
  return a;
}

struct Cell {
  std::string html;
  std::string cls;
};

class Doc {
 public:
  std::string out;
  void raw(std::string_view s) { out += s; }
  void text(std::string_view s) { out += html_escape(s); }
  void h2(const std::string& id, const std::string& title) {
    out += "<section id=\"" + id + "\"><h2>" + html_escape(title) + "</h2>\n";
  }
  void end_section() { out += "</section>\n"; }
  void p(const std::string& s, const std::string& cls = "") {
    out += cls.empty() ? "<p>" : "<p class=\"" + cls + "\">";
    out += html_escape(s);
    out += "</p>\n";
  }
  void src(const std::string& s) { p(s, "src"); }
  void missing(const std::string& s) { p(s, "missing"); }
  void table(const std::vector<std::string>& head, const std::vector<std::vector<Cell>>& rows,
             const std::string& cls = "") {
    out += cls.empty() ? "<table>" : "<table class=\"" + cls + "\">";
    out += "<thead><tr>";
    for (const auto& h : head) out += "<th>" + html_escape(h) + "</th>";
    out += "</tr></thead><tbody>\n";
    for (const auto& r : rows) {
      out += "<tr>";
      for (const auto& c : r) out += (c.cls.empty() ? "<td>" : "<td class=\"" + c.cls + "\">") + c.html + "</td>";
      out += "</tr>\n";
    }
    out += "</tbody></table>\n";
  }
  void chart(const std::string& id, int height_px) {
    out += "<div class=\"chart\" id=\"" + id + "\" style=\"height:" + std::to_string(height_px) + "px\"></div>\n";
  }
};

Cell c(const std::string& text, const std::string& cls = "") { return {html_escape(text), cls}; }
Cell cnum(const std::string& text) { return {html_escape(text), "num"}; }

struct Ctx {
  const RunData& rd;
  const ReportOptions& o;
  const json& s;
  std::string scenario, version, seed, provenance;
  double dt = 0, duration = 0;
  const std::vector<double>* facility = nullptr;
  json charts = json::array();
  bool cooling_modelled = false;
};

json chart_base(const Ctx& x, const std::string& id, const std::string& kind, const std::string& title) {
  return {{"id", id}, {"kind", kind}, {"title", title}, {"provenance", x.provenance}};
}

void header(Doc& d, Ctx& x, const std::string& title) {
  d.raw("<header><h1>");
  d.text(title + " — " + x.scenario);
  d.raw("</h1>\n<table class=\"prov\"><tbody>");
  auto row = [&](const std::string& k, const std::string& v) {
    d.raw("<tr><th>" + html_escape(k) + "</th><td>" + html_escape(v) + "</td></tr>");
  };
  const bool sizing_only = x.s.empty() && x.rd.sizing.is_object();  // dctwin size alone wrote this folder
  row("scenario", x.scenario);
  row("scenario source", str(sizing_only ? x.rd.sizing : x.s, "scenario_source", "not in summary.json"));
  if (!sizing_only) row("seed", x.seed);
  row("dctwin version", x.version);
  if (sizing_only)
    row("simulated", "no run in this folder: sizing.json only");
  else
    row("simulated", fmt_duration(x.duration) + " at " + interval_label(x.dt) + " output resolution (" +
                         fmt(static_cast<double>(x.facility->size()), 0) + " samples)");
  if (auto g = num(x.s, "gpus")) row("GPUs", fmt(*g, 0) + (num(x.s, "gpus_in_jobs") ? " (" + fmt(*num(x.s, "gpus_in_jobs"), 0) + " in jobs)" : ""));
  row("report generated", x.o.generated);
  row("data", (x.rd.dir.empty() ? std::string("") : x.rd.dir + "/") +
                  (sizing_only ? std::string("sizing.json") : std::string("summary.json and timeseries.csv (the full series)")));
  d.raw("</tbody></table>\n");
  if (x.s.contains("not_modelled") && x.s["not_modelled"].is_array() && !x.s["not_modelled"].empty()) {
    d.raw("<div class=\"notice\"><strong>Not modelled in this run</strong> (so not in any figure below):<ul>");
    for (const auto& n : x.s["not_modelled"]) d.raw("<li>" + html_escape(n.is_string() ? n.get<std::string>() : n.dump()) + "</li>");
    d.raw("</ul></div>\n");
  }
  d.raw("</header>\n");
}

// The zoomable series chart (min/max-decimated) of the given columns.
void timeseries_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title,
                      const std::vector<std::pair<std::string, std::string>>& cols,
                      const std::vector<double>* step_overlay, double step_interval) {
  json spec = chart_base(x, id, "timeseries", title);
  spec["yName"] = "power (MW)";
  spec["clock"] = x.duration >= 3600;
  spec["series"] = json::array();
  std::size_t total = 0, shown = 0;
  for (const auto& [col, label] : cols) {
    const auto* v = x.rd.column(col);
    if (!v) continue;
    const Decimated dec = minmax_decimate(*v, x.rd.t0_s, x.dt, x.o.display_buckets);
    total = v->size();
    shown = dec.v.size();
    spec["series"].push_back({{"name", label}, {"t", round_series(dec.t, 10)}, {"v", round_series(dec.v, 8)}});
  }
  if (step_overlay && !step_overlay->empty()) {
    std::vector<double> t, v;
    for (std::size_t i = 0; i < step_overlay->size(); ++i) {
      t.push_back(x.rd.t0_s + static_cast<double>(i) * step_interval);
      v.push_back((*step_overlay)[i]);
    }
    t.push_back(x.rd.t0_s + static_cast<double>(step_overlay->size()) * step_interval);
    v.push_back(step_overlay->back());
    spec["series"].push_back({{"name", interval_label(step_interval) + " demand"}, {"t", round_series(t, 10)},
                              {"v", round_series(v, 8)}, {"step", true}});
  }
  x.charts.push_back(spec);
  d.chart(id, 380);
  if (shown < total)
    d.src("Display: " + fmt(static_cast<double>(total), 0) + " samples reduced to " + fmt(static_cast<double>(shown), 0) +
          " (the smallest and largest sample of each of " + fmt(static_cast<double>(x.o.display_buckets), 0) +
          " equal time buckets, so every peak and trough stays visible); the full series is in timeseries.csv. "
          "Drag the slider or scroll to zoom.");
  else
    d.src("Every sample of timeseries.csv is shown. Drag the slider or scroll to zoom.");
}

struct DemandRow {
  std::string label;
  double interval = 0;
  std::optional<Peak> peak;
  std::string why;  // when there is no peak
};

DemandRow demand_row(const Ctx& x, const std::string& label, double interval) {
  DemandRow r{label, interval, std::nullopt, ""};
  if (!samples_per_interval(x.dt, interval)) {
    r.why = "not available: the output step (" + interval_label(x.dt) + ") does not divide " + interval_label(interval);
    return r;
  }
  r.peak = peak_demand(*x.facility, x.dt, interval);
  if (!r.peak) r.why = "not available: the run (" + fmt_duration(x.duration) + ") is shorter than one interval";
  return r;
}

// ---- utility report sections ----------------------------------------------------------------

struct Step {
  std::size_t k;  // sample index of the later interval
  double delta;
};

// The facility battery's effect: summary.json storage and storage.csv (grid vs load).
void battery_section(Doc& d, Ctx& x, const json& st) {
  d.raw("<h3>Effect of the facility battery (campus.storage)</h3>\n");
  auto v = [&](const char* k, int dec, const std::string& unit) {
    const auto n = num(st, k);
    return n ? cnum(fmt(*n, dec) + unit) : c("not in summary.json", "missing");
  };
  const auto limit = num(st, "grid_ramp_limit_mw_per_s");
  const auto up = num(st, "max_grid_ramp_up_mw_per_s"), down = num(st, "max_grid_ramp_down_mw_per_s");
  const auto viol = num(st, "ramp_limit_violations");
  const auto load_ramps = ramp_extremes(*x.facility, x.dt, x.dt);
  std::vector<std::vector<Cell>> r;
  r.push_back({c("Battery"), cnum(fmt(num(st, "power_mw").value_or(0), 3) + " MW / " + fmt(num(st, "energy_mwh").value_or(0), 3) + " MWh"),
               c("summary.json storage power_mw, energy_mwh (inputs)")});
  r.push_back({c("Highest grid power (with the battery)"), v("peak_grid_mw", 3, " MW"),
               c("storage.peak_grid_mw; the load's own peak is summary.json peak_facility_mw" +
                 (num(x.s, "peak_facility_mw") ? " = " + fmt(*num(x.s, "peak_facility_mw"), 3) + " MW" : std::string("")))});
  r.push_back({c("Grid ramp limit"), limit ? cnum(fmt(*limit, 3) + " MW/s") : c("not in summary.json", "missing"),
               c("storage.grid_ramp_limit_mw_per_s (input)")});
  r.push_back({c("Largest grid ramp up / down (with the battery)"),
               up && down ? cnum(fmt(*up, 3) + " / " + fmt(*down, 3) + " MW/s") : c("not in summary.json", "missing"),
               c("between " + interval_label(x.dt) + " intervals; the load's own: " +
                 (load_ramps ? fmt(load_ramps->max_up, 3) + " / " + fmt(load_ramps->max_down, 3) + " MW/s" : std::string("n/a")))});
  const bool over = (limit && ((up && *up > *limit * (1 + 1e-9)) || (down && *down > *limit * (1 + 1e-9)))) || (viol && *viol > 0);
  r.push_back({c("Steps outside the ramp limit"), viol ? Cell{html_escape(fmt(*viol, 0)), over ? "num bad" : "num"} : c("not in summary.json", "missing"),
               c("storage.ramp_limit_violations")});
  r.push_back({c("Grid energy"), v("grid_energy_mwh", 3, " MWh"), c("storage.grid_energy_mwh")});
  r.push_back({c("Battery losses"), v("losses_mwh", 3, " MWh"), c("storage.losses_mwh: the energy the battery costs")});
  r.push_back({c("Charged / discharged"),
               cnum(fmt(num(st, "charged_mwh").value_or(0), 3) + " / " + fmt(num(st, "discharged_mwh").value_or(0), 3) + " MWh"),
               c("storage.charged_mwh, discharged_mwh")});
  r.push_back({c("State of charge, lowest – highest"),
               cnum(fmt(num(st, "soc_min_pct").value_or(0), 1) + " – " + fmt(num(st, "soc_max_pct").value_or(0), 1) + " %"),
               c("storage.soc_min_pct, soc_max_pct")});
  d.table({"figure (the battery's effect)", "value", "source"}, r);
  if (limit) d.p(over ? "The battery does not hold the grid within its ramp limit in this run." : "The battery holds the grid within its ramp limit in this run.",
                 over ? "bad" : "ok");
  const auto* grid = x.rd.storage_column("grid_mw");
  const auto* load = x.rd.storage_column("load_mw");
  if (!grid || !load) {
    d.missing("storage.csv (grid_mw, load_mw) is not in the run folder: no chart of grid vs load.");
    return;
  }
  json spec = chart_base(x, "chart-battery", "timeseries", "Grid power with the battery vs the facility's load (MW)");
  spec["yName"] = "power (MW)";
  spec["clock"] = x.duration >= 3600;
  spec["series"] = json::array();
  const double t0 = x.rd.t0_s;
  for (const auto& [col, label] : std::vector<std::pair<std::string, std::string>>{
           {"load_mw", "load (facility, before the battery)"}, {"grid_mw", "grid (with the battery)"}, {"battery_mw", "battery"}}) {
    const auto* vals = x.rd.storage_column(col);
    if (!vals) continue;
    const Decimated dec = minmax_decimate(*vals, t0, x.dt, x.o.display_buckets);
    spec["series"].push_back({{"name", label}, {"t", round_series(dec.t, 10)}, {"v", round_series(dec.v, 8)}});
  }
  x.charts.push_back(spec);
  d.chart("chart-battery", 340);
  d.src("storage.csv: load_mw (what the facility draws), grid_mw (what the utility sees), battery_mw, per " + interval_label(x.dt) +
        " interval; min/max-decimated for display.");
}

void utility_report(Doc& d, Ctx& x) {
  const auto& f = *x.facility;
  const json& s = x.s;
  const double mean_mw = mean(f);
  const double hours = x.duration / 3600.0;
  const double year_factor = 8760.0 / hours;
  const auto energy_mwh = num(s, "facility_energy_mwh");

  // Demand at the billing and engineering intervals.
  std::vector<DemandRow> rows;
  if (x.dt <= 0.1 + 1e-12 && samples_per_interval(x.dt, 0.1))
    rows.push_back(demand_row(x, "100 ms", 0.1));
  else
    rows.push_back(demand_row(x, "finest available: " + interval_label(x.dt) + " (100 ms is finer than this run's output step)", x.dt));
  rows.push_back(demand_row(x, "1 s", 1));
  rows.push_back(demand_row(x, "1 min", 60));
  rows.push_back(demand_row(x, "15 min", 900));
  const DemandRow& d15 = rows.back();

  // Spectrum.
  const Psd psd = welch_psd(f, x.dt, welch_segment_for(f.size(), x.dt, x.o.band_lo_hz));
  const double nyquist = 0.5 / x.dt;
  const double band_hi_eff = std::min(x.o.band_hi_hz, nyquist);
  const bool band_resolved = x.o.band_lo_hz < nyquist;
  const auto share = band_resolved ? band_share(psd, x.o.band_lo_hz, band_hi_eff) : std::nullopt;
  const auto f_peak = psd_peak_hz(psd);

  const auto ramps = ramp_extremes(f, x.dt, x.dt);
  const double mitigation_mwh = num(s, "mitigation_energy_mwh").value_or(0);
  // Rack energy storage (summary rack_storage): its losses are part of mitigation_energy_mwh.
  const json& rack_st = s.contains("rack_storage") ? s["rack_storage"] : json();
  const bool rack_storage = rack_st.is_object();
  const double rack_storage_mwh = rack_storage ? num(rack_st, "losses_mwh").value_or(0) : 0.0;
  const double smoothing_mwh = mitigation_mwh - rack_storage_mwh;
  const bool smoothing = smoothing_mwh > 1e-12;
  const bool tariff_e = x.o.energy_usd_per_kwh.has_value(), tariff_d = x.o.demand_usd_per_kw_month.has_value();
  const std::string meter = x.cooling_modelled ? "IT + electrical losses + cooling" : "IT + electrical losses";
  const auto pue = num(s, "pue");

  d.raw("<nav><a href=\"#summary\">Executive summary</a> · <a href=\"#demand\">Demand</a> · <a href=\"#series\">Time series</a> · "
        "<a href=\"#duration\">Load duration</a> · <a href=\"#ramps\">Ramps</a> · <a href=\"#steps\">Step changes</a> · "
        "<a href=\"#spectrum\">Spectrum</a> · <a href=\"#mitigation\">Mitigation</a> · <a href=\"#contingency\">Contingency N-1</a></nav>\n");

  // Executive summary.
  d.h2("summary", "Executive summary");
  std::vector<std::vector<Cell>> ex;
  if (d15.peak) {
    const double cap = d15.peak->value * (1 + x.o.margin_pct / 100);
    ex.push_back({c("Recommended contracted capacity"), {"<strong>" + fmt(cap, 2) + " MW</strong>", "num"},
                  c("highest 15-minute demand " + fmt(d15.peak->value, 3) + " MW + " + fmt_g(x.o.margin_pct) +
                     " % margin (report option --margin-pct); meter power of what is modelled: " +
                    (x.cooling_modelled ? meter + " (cooling included)" : meter + ", cooling excluded"))});
  } else {
    ex.push_back({c("Recommended contracted capacity"), c("not available", "missing"),
                  c("needs a complete 15-minute interval: " + d15.why + "; run at least 900 s")});
  }
  ex.push_back({c("Highest 15-minute demand"), d15.peak ? cnum(fmt(d15.peak->value, 3) + " MW") : c("not available", "missing"),
                d15.peak ? c("mean meter power over the 15-min interval starting at " + fmt_t(d15.peak->t_s) + "; " +
                             std::to_string(d15.peak->count) + " complete intervals in the run")
                         : c(d15.why)});
  if (auto p = num(s, "peak_facility_mw"))
    ex.push_back({c("Highest instantaneous demand"), cnum(fmt(*p, 3) + " MW"),
                  c("summary.json peak_facility_mw (power is piecewise constant between events), first at " +
                    fmt_t(num(s, "peak_facility_t_s").value_or(0)))});
  ex.push_back({c("Firm vs flexible load"), c("not modelled", "missing"),
                c("dctwin does not model curtailable or deferrable load yet; no part of this demand is shown as flexible")});
  if (energy_mwh) {
    ex.push_back({c("Energy in the simulated period"), cnum(fmt(*energy_mwh, 3) + " MWh"),
                  c("summary.json facility_energy_mwh over " + fmt_duration(x.duration))});
    ex.push_back({c("Annual energy (extrapolation)"), cnum(fmt(*energy_mwh * year_factor, 0) + " MWh/yr"),
                  c("an extrapolation, not a simulation of a year: the simulated " + fmt_duration(x.duration) +
                    " repeated for 8,760 h (x " + fmt(year_factor, 1) + ")")});
  }
  if (d15.peak) {
    ex.push_back({c("Load factor (billing)"), cnum(fmt(mean_mw / d15.peak->value, 3)),
                  c("mean meter power " + fmt(mean_mw, 3) + " MW / highest 15-minute demand")});
  }
  if (auto lf = num(s, "load_factor"))
    ex.push_back({c("Load factor (instantaneous)"), cnum(fmt(*lf, 3)), c("summary.json load_factor: mean / highest instantaneous power")});
  // Cost.
  if (!tariff_e && !tariff_d) {
    ex.push_back({c("Cost"), c("no tariff given", "missing"),
                  c("give --energy-usd-per-kwh and/or --demand-usd-per-kw-month to see the cost; no tariff is assumed")});
  } else {
    double total = 0;
    std::string how;
    bool complete = true;
    if (tariff_e && energy_mwh) {
      const double e = *energy_mwh * year_factor * 1000 * *x.o.energy_usd_per_kwh;
      total += e;
      ex.push_back({c("Energy cost (extrapolated year)"), cnum(usd(e) + "/yr"),
                    c("annual energy (extrapolation above) x $" + fmt_g(*x.o.energy_usd_per_kwh) + "/kWh")});
    } else {
      complete = false;
      ex.push_back({c("Energy cost"), c("no energy tariff given", "missing"), c("report option --energy-usd-per-kwh")});
    }
    if (tariff_d && d15.peak) {
      const double dc = d15.peak->value * 1000 * *x.o.demand_usd_per_kw_month * 12;
      total += dc;
      ex.push_back({c("Demand charge (year)"), cnum(usd(dc) + "/yr"),
                    c("highest 15-minute demand x $" + fmt_g(*x.o.demand_usd_per_kw_month) +
                      "/kW-month x 12 months (the simulated peak assumed every month)")});
    } else {
      complete = false;
      ex.push_back({c("Demand charge"), c(tariff_d ? "not available" : "no demand tariff given", "missing"),
                    c(tariff_d ? "needs a complete 15-minute interval" : "report option --demand-usd-per-kw-month")});
    }
    if (complete)
      ex.push_back({c("Total electricity cost (year)"), {"<strong>" + html_escape(usd(total)) + "/yr</strong>", "num"},
                    c(x.cooling_modelled ? "energy + demand charges; includes cooling"
                                         : "energy + demand charges; excludes cooling, which is not modelled")});
  }
  d.table({"figure", "value", "how it is obtained"}, ex, "exec");
  if (!x.cooling_modelled)
    d.p("Cooling is not modelled in this run (cooling_modelled = false): every meter figure in this report covers the IT "
        "equipment and the electrical distribution only. The capacity a utility must supply also includes the cooling "
        "plant's peak, which this run does not give.",
        "warn");
  else
    d.p("Cooling is modelled in this run (cooling_modelled = true): every meter figure in this report includes the cooling "
        "plant (IT + electrical losses + cooling)" + (pue ? "; PUE over the run " + fmt(*pue, 3) + " (summary.json pue)" : std::string("")) +
        ".", "ok");

  // Demand at intervals.
  d.h2("demand", "Demand at billing and engineering intervals");
  std::vector<std::vector<Cell>> dr;
  for (const auto& r : rows) {
    if (r.peak)
      dr.push_back({c(r.label), cnum(fmt(r.peak->value, 3)), c(fmt_t(r.peak->t_s)), cnum(fmt(static_cast<double>(r.peak->count), 0)),
                    cnum(fmt(mean_mw / r.peak->value, 3))});
    else
      dr.push_back({c(r.label), c(r.why, "missing"), c(""), c(""), c("")});
  }
  d.table({"interval", "highest demand (MW)", "interval starts at", "complete intervals", "load factor (mean / this peak)"}, dr);
  d.src("Demand = mean meter power (timeseries.csv facility_mw: " + meter + ") over fixed intervals aligned to the "
        "start of the run; an incomplete last interval is left out. Mean over the run: " + fmt(mean_mw, 3) + " MW.");
  const double month_s = 730 * 3600.0;
  if (x.duration >= 2 * month_s) {
    std::vector<std::vector<Cell>> mr;
    const auto spm = samples_per_interval(x.dt, x.dt);
    (void)spm;
    const std::size_t per_month = static_cast<std::size_t>(std::llround(month_s / x.dt));
    for (std::size_t m = 0; m * per_month < f.size(); ++m) {
      const std::size_t a = m * per_month, b = std::min(f.size(), a + per_month);
      std::vector<double> part(f.begin() + static_cast<std::ptrdiff_t>(a), f.begin() + static_cast<std::ptrdiff_t>(b));
      const auto pk = peak_demand(part, x.dt, 900);
      const double e = mean(part) * static_cast<double>(b - a) * x.dt / 3600.0;
      mr.push_back({c("month " + std::to_string(m + 1) + (b - a < per_month ? " (partial)" : "")),
                    pk ? cnum(fmt(pk->value, 3)) : c("no complete interval", "missing"), cnum(fmt(e, 1))});
    }
    d.table({"period (730 h from the start)", "highest 15-min demand (MW)", "energy (MWh)"}, mr);
    d.src("The run has no calendar date: months are consecutive 730-hour periods from its start.");
  } else {
    d.missing("Monthly peaks: the run spans " + fmt_duration(x.duration) +
              "; monthly peaks and energy need a run of at least two months (730-hour periods; the run has no calendar date).");
  }

  // Time series.
  d.h2("series", "Meter power over the run");
  const auto d15_series = interval_means(f, x.dt, 900);
  timeseries_chart(d, x, "chart-series", "Meter and IT power (MW)",
                   {{"facility_mw", "meter (" + meter + ")"}, {"it_mw", "IT equipment"}},
                   d15_series.empty() ? nullptr : &d15_series, 900);

  // Detail at full resolution around the largest step change.
  std::vector<Step> steps;
  for (std::size_t k = 1; k < f.size(); ++k) steps.push_back({k, f[k] - f[k - 1]});
  double max_abs = 0;
  std::size_t k_max = 0;
  for (const auto& st : steps)
    if (std::abs(st.delta) > max_abs) {
      max_abs = std::abs(st.delta);
      k_max = st.k;
    }
  {
    const double window = std::min(60.0, x.duration);
    const std::size_t wn = std::max<std::size_t>(2, static_cast<std::size_t>(window / x.dt));
    std::size_t a = k_max > wn / 2 ? k_max - wn / 2 : 0;
    if (a + wn > f.size()) a = f.size() > wn ? f.size() - wn : 0;
    const std::size_t b = std::min(f.size(), a + wn);
    json spec = chart_base(x, "chart-detail", "timeseries",
                           "Full resolution, " + fmt_g(static_cast<double>(b - a) * x.dt) + " s around the largest step change (MW)");
    spec["yName"] = "power (MW)";
    spec["clock"] = false;
    std::vector<double> t, v;
    for (std::size_t i = a; i < b; ++i) {
      t.push_back(x.rd.t0_s + static_cast<double>(i) * x.dt);
      v.push_back(f[i]);
    }
    spec["series"] = json::array({json{{"name", "meter (" + meter + ")"}, {"t", round_series(t, 10)},
                                       {"v", round_series(v, 8)}, {"step", true}}});
    x.charts.push_back(spec);
    d.chart("chart-detail", 300);
    d.src("Every " + interval_label(x.dt) + " sample from " + fmt_t(x.rd.t0_s + static_cast<double>(a) * x.dt) + " to " +
          fmt_t(x.rd.t0_s + static_cast<double>(b) * x.dt) + "; drawn as steps (each sample is the mean over its interval).");
  }

  // Load-duration curve.
  d.h2("duration", "Load-duration curve");
  {
    const Curve ldc = load_duration_curve(f, 1000);
    json spec = chart_base(x, "chart-ldc", "xy", "Load-duration curve: meter power (MW) vs share of time at or above it (%)");
    spec["xName"] = "share of time at or above (%)";
    spec["yName"] = "power (MW)";
    spec["x"] = round_series(ldc.x, 6);
    spec["xMin"] = 0;
    spec["xMax"] = 100;
    spec["series"] = json::array({json{{"name", "meter power"}, {"y", round_series(ldc.y, 8)}}});
    x.charts.push_back(spec);
    d.chart("chart-ldc", 320);
    d.src("All " + fmt(static_cast<double>(f.size()), 0) + " samples of facility_mw at " + interval_label(x.dt) +
          " sorted from highest to lowest (1,000 points shown).");
  }

  // Ramps.
  d.h2("ramps", "Ramp rates");
  {
    std::vector<std::vector<Cell>> rr;
    std::vector<std::pair<std::string, double>> ivs = {{interval_label(x.dt) + " (output step)", x.dt}};
    if (x.dt < 1 && samples_per_interval(x.dt, 1)) ivs.push_back({"1 s", 1});
    if (x.dt < 60 && samples_per_interval(x.dt, 60)) ivs.push_back({"1 min", 60});
    for (const auto& [label, iv] : ivs) {
      const auto e = ramp_extremes(f, x.dt, iv);
      if (!e) {
        rr.push_back({c(label), c("not available: fewer than two complete intervals", "missing"), c(""), c(""), c("")});
        continue;
      }
      rr.push_back({c(label), cnum(fmt(e->max_up, 3) + " MW/s = " + fmt(e->max_up * 60, 1) + " MW/min"), c(fmt_t(e->t_up_s)),
                    cnum(fmt(e->max_down, 3) + " MW/s = " + fmt(e->max_down * 60, 1) + " MW/min"), c(fmt_t(e->t_down_s))});
    }
    d.table({"between consecutive means over", "largest rise", "at", "largest fall", "at"}, rr);
    d.src("Ramp = difference of consecutive interval means of facility_mw / the interval. A short interval sees the "
          "training step's swings; a long one averages them out.");
    const auto r = ramp_rates(f, x.dt, x.dt);
    const Histogram h = histogram(r, 41);
    json spec = chart_base(x, "chart-ramps", "bar", "Ramp-rate distribution at " + interval_label(x.dt) + " (MW/s), count of intervals");
    spec["xName"] = "ramp rate (MW/s)";
    spec["yName"] = "intervals (log scale)";
    spec["logY"] = true;
    json cats = json::array(), vals = json::array();
    for (std::size_t i = 0; i < h.count.size(); ++i) {
      cats.push_back(fmt_g(h.lower[i] + h.width / 2));
      vals.push_back(h.count[i] ? json(h.count[i]) : json(nullptr));
    }
    spec["categories"] = cats;
    spec["series"] = json::array({json{{"name", "intervals"}, {"values", vals}}});
    x.charts.push_back(spec);
    d.chart("chart-ramps", 300);
    d.src(fmt(static_cast<double>(r.size()), 0) + " ramps between consecutive " + interval_label(x.dt) +
          " samples in 41 equal bins; empty bins are left blank.");
  }

  // Largest step changes.
  d.h2("steps", "Largest step changes and their causes");
  {
    const json& jobs = s.contains("jobs") ? s["jobs"] : json::array();
    const double tol = x.dt * 1.001;
    // The largest changes, grouped: a training job repeats the same step every period, so equal
    // changes (to 0.1 % of the largest) with the same cause are one row with their count.
    struct Group {
      double delta;
      std::size_t first_k, count;
      std::string cause;
    };
    std::vector<Step> sorted = steps;
    std::sort(sorted.begin(), sorted.end(), [](const Step& a, const Step& b) {
      return std::abs(a.delta) != std::abs(b.delta) ? std::abs(a.delta) > std::abs(b.delta) : a.k < b.k;
    });
    std::vector<Group> groups;
    std::map<std::pair<std::string, long long>, std::size_t> index;
    const double quantum = max_abs * 1e-3;
    for (const auto& st : sorted) {
      if (st.delta == 0 || std::abs(st.delta) < 0.1 * max_abs) break;
      const double t = x.rd.t0_s + static_cast<double>(st.k) * x.dt;
      std::string cause = step_cause(jobs, t, tol);
      const auto key = std::make_pair(cause, std::llround(st.delta / quantum));
      const auto it = index.find(key);
      if (it != index.end()) {
        Group& g = groups[it->second];
        ++g.count;
        g.first_k = std::min(g.first_k, st.k);
        continue;
      }
      if (groups.size() >= 10) continue;
      index[key] = groups.size();
      groups.push_back({st.delta, st.k, 1, std::move(cause)});
    }
    std::vector<std::vector<Cell>> sr;
    for (const auto& g : groups)
      sr.push_back({cnum((g.delta > 0 ? "+" : "") + fmt(g.delta, 3)), cnum(fmt(f[g.first_k - 1], 3) + " → " + fmt(f[g.first_k], 3)),
                    c(fmt_t(x.rd.t0_s + static_cast<double>(g.first_k) * x.dt)), cnum(fmt(static_cast<double>(g.count), 0)),
                    c(g.cause)});
    if (sr.empty())
      d.missing("The meter power never changes between samples: there is no step change.");
    else
      d.table({"change (MW)", "from → to (MW), first time", "first at (start of the later sample)", "times", "cause"}, sr);
    // Counts by cause of all steps of at least 10 % of the largest.
    std::map<std::string, std::tuple<std::size_t, double, double>> by_cause;
    std::size_t n_big = 0;
    for (const auto& st : steps) {
      if (max_abs == 0 || std::abs(st.delta) < 0.1 * max_abs) continue;
      ++n_big;
      const double t = x.rd.t0_s + static_cast<double>(st.k) * x.dt;
      auto& [n, up, down] = by_cause[step_cause(jobs, t, tol)];
      ++n;
      up = std::max(up, st.delta);
      down = std::max(down, -st.delta);
    }
    if (n_big > 0) {
      std::vector<std::vector<Cell>> cr;
      for (const auto& [cause, v] : by_cause)
        cr.push_back({c(cause), cnum(fmt(static_cast<double>(std::get<0>(v)), 0)), cnum(fmt(std::get<1>(v), 3)),
                      cnum(fmt(std::get<2>(v), 3))});
      d.table({"cause", "steps", "largest rise (MW)", "largest fall (MW)"}, cr);
      d.src("All " + fmt(static_cast<double>(n_big), 0) + " sample-to-sample changes of at least 10 % of the largest (" +
            fmt(0.1 * max_abs, 3) + " MW). A cause is named when its time in summary.json jobs[] (start_s, stop_s, "
            "failure_times_s, checkpoint_times_s, or a training step's phase boundary while its schedule is known) is within "
            "one output step; otherwise it is \"unattributed\".");
    }
    bool cp_missing = false;
    if (jobs.is_array())
      for (const auto& j : jobs)
        if (num(j, "checkpoint_count").value_or(0) > 0 && !j.contains("checkpoint_times_s")) cp_missing = true;
    if (cp_missing)
      d.missing("Checkpoint times are not in this run's summary.json (only their count): steps caused by checkpoints, and "
                "the training steps after the first checkpoint, are labelled unattributed.");
  }

  // Spectrum.
  d.h2("spectrum", "Oscillation spectrum (Welch PSD)");
  {
    std::vector<std::vector<Cell>> pr;
    pr.push_back({c("Critical band"), cnum(fmt_g(x.o.band_lo_hz) + "–" + fmt_g(x.o.band_hi_hz) + " Hz"),
                  c("report options --band-lo-hz, --band-hi-hz")});
    pr.push_back({c("Resolved by this run"), cnum("0–" + fmt_g(nyquist) + " Hz"),
                  c("Nyquist frequency of the " + interval_label(x.dt) + " output step" +
                    (x.o.band_hi_hz > nyquist ? "; the band above " + fmt_g(nyquist) + " Hz is not seen by this run (use a finer output_step_s)" : ""))});
    if (share)
      pr.push_back({c("Share of variation in the band"), {"<strong>" + fmt(*share * 100, 1) + " %</strong>", "num"},
                    c("PSD integral over " + fmt_g(x.o.band_lo_hz) + "–" + fmt_g(band_hi_eff) + " Hz / over 0–" + fmt_g(nyquist) +
                      " Hz (variance share, Parseval)")});
    else
      pr.push_back({c("Share of variation in the band"), c("not available", "missing"),
                    c(band_resolved ? "the series does not vary" : "the band lies above this run's Nyquist frequency")});
    pr.push_back({c("Largest spectral peak"), f_peak ? cnum(fmt_g(*f_peak) + " Hz") : c("none (constant series)", "missing"),
                  c(num(s, "step_period_s") ? "largest training job's step period " + fmt_g(*num(s, "step_period_s")) + " s = " +
                                                 fmt_g(1 / *num(s, "step_period_s")) + " Hz"
                                           : std::string("no training job"))});
    pr.push_back({c("RMS variation"), cnum(fmt(psd_rms(psd), 3) + " MW"), c("square root of the PSD integral (mean removed per segment)")});
    d.table({"figure", "value", "note"}, pr);
    json spec = chart_base(x, "chart-psd", "xy", "Power spectral density of meter power (MW²/Hz)");
    spec["xName"] = "frequency (Hz)";
    spec["yName"] = "PSD (MW²/Hz)";
    spec["logX"] = true;
    spec["logY"] = true;
    std::vector<double> fx, py;
    for (std::size_t k = 1; k < psd.f_hz.size(); ++k)
      if (psd.density[k] > 0) {
        fx.push_back(psd.f_hz[k]);
        py.push_back(psd.density[k]);
      }
    spec["x"] = round_series(fx, 6);
    // Below 1e-9 of the peak is leakage and rounding, not an oscillation: the axis stops there.
    if (!py.empty()) spec["yMin"] = std::pow(10.0, std::floor(std::log10(*std::max_element(py.begin(), py.end()) * 1e-9)));
    spec["series"] = json::array({json{{"name", "Welch PSD"}, {"y", round_series(py, 5)}}});
    if (band_resolved)
      spec["band"] = {{"from", x.o.band_lo_hz}, {"to", band_hi_eff}, {"label", "critical band " + fmt_g(x.o.band_lo_hz) + "–" + fmt_g(x.o.band_hi_hz) + " Hz"}};
    x.charts.push_back(spec);
    d.chart("chart-psd", 340);
    d.src("Welch's method on facility_mw at " + interval_label(x.dt) + ": " + std::to_string(psd.segments) + " segments of " +
          std::to_string(psd.segment) + " samples (" + fmt_g(static_cast<double>(psd.segment) * x.dt) +
          " s), Hann window, 50 % overlap, each segment's mean removed; resolution " + fmt_g(psd.df_hz) + " Hz.");
  }

  // Mitigation comparison.
  d.h2("mitigation", "Mitigation comparison");
  {
    const double p15 = d15.peak ? d15.peak->value : std::numeric_limits<double>::quiet_NaN();
    auto this_run = [&](const std::string& label, double extra_mwh) {
      std::vector<Cell> r{c(label), c("yes (this run)"), d15.peak ? cnum(fmt(p15, 3)) : c("n/a", "missing"),
                          ramps ? cnum(fmt(std::max(ramps->max_up, ramps->max_down), 3)) : c("n/a", "missing"),
                          share ? cnum(fmt(*share * 100, 1) + " %") : c("n/a", "missing"), cnum(fmt(extra_mwh, 3))};
      if (tariff_e)
        r.push_back(cnum(usd(extra_mwh * year_factor * 1000 * *x.o.energy_usd_per_kwh) + "/yr"));
      else
        r.push_back(c("no tariff given", "missing"));
      return r;
    };
    auto absent = [&](const std::string& label, const std::string& why) {
      return std::vector<Cell>{c(label), c(why, "missing"), c("—"), c("—"), c("—"), c("—"), c("—")};
    };
    std::vector<std::vector<Cell>> mr;
    if (smoothing || rack_storage)
      mr.push_back(absent("none", std::string("not in this run: run the scenario without ") +
                                      (smoothing && rack_storage ? "jobs[].smoothing and rack_types[].storage"
                                       : smoothing               ? "jobs[].smoothing"
                                                                 : "rack_types[].storage") +
                                      " and compare"));
    else
      mr.push_back(this_run("none", 0));
    if (smoothing && rack_storage)
      mr.push_back(this_run("GPU power smoothing + rack energy storage (both as configured)", mitigation_mwh));
    else if (smoothing)
      mr.push_back(this_run("GPU power smoothing (floor, ramp limits, as configured)", mitigation_mwh));
    else
      mr.push_back(absent("GPU power smoothing", "not in this run (no job's smoothing added energy): set jobs[].smoothing and run again"));
    if (rack_storage && !smoothing)
      mr.push_back(this_run("rack energy storage (PSU/BBU, grid-side ramp limit, as configured)", rack_storage_mwh));
    else if (!rack_storage)
      mr.push_back(absent("rack energy storage (PSU/BBU)", "not in this run (summary.json rack_storage is null): set rack_types[].storage and run again"));
    const json& st = s.contains("storage") ? s["storage"] : json();
    const bool battery = st.is_object();
    if (!battery)
      mr.push_back(absent("energy storage (battery)", "not in this run (summary.json storage is null): set campus.storage and run again"));
    d.table({"mitigation", "in this run", "highest 15-min demand (MW)", "largest ramp at " + interval_label(x.dt) + " (MW/s)",
             "in-band share", "extra energy (MWh, simulated period)", "its yearly cost"},
            mr);
    d.src("Only the variant this run simulated has numbers; the others are not estimated. Extra energy: summary.json "
          "mitigation_energy_mwh (GPU energy above demand from smoothing, plus the rack storage's losses, "
          "rack_storage.losses_mwh); its yearly cost extrapolates the simulated period to 8,760 h at the energy tariff." +
          std::string(battery ? " The figures in this table are of the facility's load (facility_mw), before the battery; "
                                "the battery's effect on the grid is below." : ""));
    if (rack_storage) {
      std::vector<std::vector<Cell>> rr;
      auto row = [&](const std::string& label, const char* k, int dec, const std::string& unit) {
        const auto v = num(rack_st, k);
        rr.push_back({c(label), v ? cnum(fmt(*v, dec) + unit) : c("not in summary.json", "missing"),
                      c(std::string("summary.json rack_storage.") + k)});
      };
      row("Largest rack ramp without storage (the rack's load, per control step)", "max_load_ramp_w_per_s", 1, " W/s per rack");
      row("Largest rack ramp at the grid side, with storage", "max_grid_ramp_w_per_s", 1, " W/s per rack");
      row("Control steps over the ramp limit (a power, charge or no-export limit bound)", "ramp_limit_violations", 0, "");
      row("Storage losses", "losses_mwh", 4, " MWh");
      if (const auto e = num(rack_st, "energy_balance_rel_error")) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1e", *e);
        rr.push_back({c("Energy balance, relative error (grid = load + stored + losses)"), cnum(buf),
                      c("summary.json rack_storage.energy_balance_rel_error")});
      }
      d.p("Rack energy storage: every figure in this report is of the grid-side power, after the racks' storage.");
      d.table({"figure", "value", "source"}, rr);
    }
    if (battery) battery_section(d, x, st);
  }

  // Contingency.
  d.h2("contingency", "Contingency N-1: after the loss of one unit");
  {
    const json& cap = s.contains("capacity") ? s["capacity"] : json::array();
    if (!cap.is_array() || cap.empty()) {
      d.missing("summary.json has no capacity[] list: no contingency figures.");
    } else {
      std::vector<std::vector<Cell>> cr;
      std::size_t fits = 0, over = 0, spof = 0;
      json cats = json::array(), normal = json::array(), fail = json::array();
      for (const auto& e : cap) {
        const std::string red = str(e, "redundancy", "?");
        const auto fm = num(e, "failover_margin_kw"), m = num(e, "margin_kw");
        std::string status;
        std::string cls;
        if (m && *m < 0) {
          status = "overloaded at peak";
          cls = "bad";
          ++over;
        } else if (red == "N" || !fm) {
          status = "no redundancy (N): a loss drops load";
          cls = "warn";
          ++spof;
        } else if (*fm < 0) {
          status = "overloads";
          cls = "bad";
          ++over;
        } else {
          status = "fits";
          cls = "ok";
          ++fits;
        }
        auto opt = [&](const char* k, int dec) {
          const auto v = num(e, k);
          return v ? cnum(fmt(*v, dec)) : c("—");
        };
        cr.push_back({c(str(e, "name", str(e, "element"))), c(str(e, "stage")), c(red),
                      cnum(str(e, "units_installed") + " / " + str(e, "units_needed") + " x " + str(e, "groups")),
                      opt("rating_kw", 0), opt("peak_unit_load_kw", 0), opt("margin_pct", 1), opt("failover_unit_load_kw", 0),
                      opt("failover_margin_pct", 1), c(status, cls)});
        cats.push_back(str(e, "name", str(e, "element")));
        normal.push_back(num(e, "margin_pct") ? json(std::round(*num(e, "margin_pct") * 10) / 10) : json(nullptr));
        fail.push_back(num(e, "failover_margin_pct") ? json(std::round(*num(e, "failover_margin_pct") * 10) / 10) : json(nullptr));
      }
      std::string headline = std::to_string(fits) + " of " + std::to_string(cap.size()) +
                             " rated element groups still fit after the loss of one unit (feed, transformer, switchgear, UPS, busway, PSU)";
      if (over) headline += "; " + std::to_string(over) + " overload";
      if (spof) headline += "; " + std::to_string(spof) + " have no redundancy";
      d.p(headline + ".", over ? "bad" : "ok");
      d.table({"element", "stage", "redundancy", "units installed / needed x groups", "rating per unit (kW)", "peak load per unit (kW)",
               "margin at peak (%)", "load per unit after losing one (kW)", "margin after losing one (%)", "N-1"},
              cr);
      d.src("summary.json capacity[]: each element group's per-unit load at the run's peak, and after one unit of its group is "
            "lost (N+k: the survivors share the load; 2N: the twin carries double). A negative margin is an overload.");
      json spec = chart_base(x, "chart-contingency", "hbar", "Margin per element at peak and after the loss of one unit (%)");
      spec["categories"] = cats;
      spec["xName"] = "margin (% of rating)";
      spec["series"] = json::array({json{{"name", "at peak"}, {"values", normal}}, json{{"name", "after losing one unit"}, {"values", fail}}});
      x.charts.push_back(spec);
      d.chart("chart-contingency", std::max(260, 60 * static_cast<int>(cap.size()) + 110));
      const json& ovl = s.contains("overloads") ? s["overloads"] : json::array();
      if (ovl.is_array() && !ovl.empty()) {
        std::vector<std::vector<Cell>> orows;
        for (const auto& o : ovl)
          orows.push_back({c(str(o, "name", str(o, "element"))), c(str(o, "condition")), cnum(fmt(num(o, "load_kw").value_or(0), 0)),
                           cnum(fmt(num(o, "rating_kw").value_or(0), 0)), cnum(fmt(num(o, "margin_kw").value_or(0), 0))});
        d.table({"overloaded element", "condition", "load (kW)", "rating (kW)", "margin (kW)"}, orows);
      }
    }
  }
}

// ---- capacity report ------------------------------------------------------------------------

// The capacity plan of sizing.json (dctwin size): the answer, both provisioning policies, every
// constraint's margin and the bill of materials.
void sizing_section(Doc& d, Ctx& x) {
  const json& z = x.rd.sizing;
  d.h2("sizing", "Capacity plan: the largest deployment and what limits it");
  const bool feasible = z.value("feasible", false);
  const json& b = z.contains("binding_constraint") ? z["binding_constraint"] : json();
  if (!feasible) {
    d.p("INFEASIBLE under the " + str(z, "policy") + " policy: not even one rack fits (failing constraints below).", "bad");
  } else {
    d.p("Largest deployment (" + str(z, "policy") + " provisioning): " + str(z, "max_racks") + " racks, " + str(z, "max_gpus") +
        " GPUs. Binding constraint: " + (b.is_object() ? str(b, "name") + " (" + str(b, "condition") + ", " + str(b, "element") + ")"
                                                         : std::string("none within the search limit")) + ".");
  }
  std::vector<std::vector<Cell>> pr;
  const json& pol = z.contains("policies") ? z["policies"] : json::object();
  for (const char* k : {"nameplate", "simulated"}) {
    if (!pol.contains(k)) continue;
    const json& p = pol[k];
    auto opt = [&](const char* key, int dec) { return num(p, key) ? cnum(fmt(*num(p, key), dec)) : c("not available", "missing"); };
    if (!p.value("available", false)) {
      pr.push_back({c(k), c("not available: " + str(p, "reason"), "missing"), c(""), c(""), c(""), c(""), c("")});
      continue;
    }
    const json& pb = p.contains("binding_constraint") ? p["binding_constraint"] : json();
    pr.push_back({c(std::string(k) + (std::string(k) == "simulated" ? " (peak + " + str(p, "margin_pct") + " %)" : "")),
                  opt("max_racks", 0), opt("max_gpus", 0), c(pb.is_object() ? str(pb, "name") + " (" + str(pb, "condition") + ")" : "none"),
                  opt("peak_facility_mw", 2), opt("heat_to_plant_mw", 2), opt("cooling_power_at_design_mw", 2)});
  }
  d.table({"policy", "max racks", "max GPUs", "binding constraint", "facility MW (meter, w/o cooling)", "heat to plant MW",
           "cooling power at design MW"}, pr);
  const json& cons = z.contains("constraints") && z["constraints"].is_array() ? z["constraints"] : json::array();
  std::vector<std::vector<Cell>> cr;
  json cats = json::array(), m = json::array();
  for (const auto& e : cons) {
    auto opt = [&](const char* key, int dec) { return num(e, key) ? cnum(fmt(*num(e, key), dec)) : c("—"); };
    const bool ok = e.value("ok", false);
    cr.push_back({c(str(e, "name")), c(str(e, "element")), c(str(e, "redundancy")), opt("rating_kw", 1), opt("load_kw", 1),
                  opt("failover_load_kw", 1), opt("utilization_pct", 1),
                  num(e, "margin_pct") ? Cell{html_escape(fmt(*num(e, "margin_pct"), 1)), ok ? "num" : "num bad"} : c("—"),
                  c(str(e, "note"))});
    cats.push_back(str(e, "name") + " " + str(e, "element"));
    m.push_back(num(e, "margin_pct") ? json(std::round(*num(e, "margin_pct") * 10) / 10) : json(nullptr));
  }
  if (cons.empty()) {
    d.missing("sizing.json has no constraints list.");
  } else {
    d.table({"constraint", "element", "redundancy", "rating per unit (kW)", "load per unit (kW)", "after one loss (kW)",
             "utilization (%)", "margin (%)", "note"},
            cr);
    json spec = chart_base(x, "chart-sizing", "hbar", "Margin per constraint at the largest deployment (% of rating)");
    spec["categories"] = cats;
    spec["xName"] = "margin (% of rating)";
    spec["series"] = json::array({json{{"name", "margin"}, {"values", m}}});
    x.charts.push_back(spec);
    d.chart("chart-sizing", std::max(300, 40 * static_cast<int>(cons.size()) + 110));
  }
  if (z.contains("bill_of_materials") && z["bill_of_materials"].is_object()) {
    std::vector<std::vector<Cell>> br;
    for (const auto& [k, v] : z["bill_of_materials"].items()) {
      if (k.size() > 5 && k.compare(k.size() - 5, 5, "_note") == 0) continue;
      const std::string note = str(z["bill_of_materials"], (k + "_note").c_str());
      br.push_back({c(k), v.is_null() ? c(note.empty() ? "not modelled" : note, "missing") : cnum(v.dump())});
    }
    d.table({"bill of materials", "units"}, br);
  } else {
    d.missing("sizing.json has no bill of materials (infeasible or not available).");
  }
  const json& dc = z.contains("design_condition") ? z["design_condition"] : json();
  d.src("sizing.json (dctwin size). Design condition: " +
        (dc.is_object() ? fmt(*num(dc, "dry_bulb_c"), 1) + " °C dry bulb, " + fmt(*num(dc, "wet_bulb_c"), 1) + " °C wet bulb, " + str(dc, "source")
                        : std::string("none (cooling not modelled)")) + ".");
  if (z.contains("assumptions") && z["assumptions"].is_array())
    for (const auto& a : z["assumptions"]) d.src("Assumption: " + (a.is_string() ? a.get<std::string>() : a.dump()));
  d.end_section();
}


void capacity_report(Doc& d, Ctx& x) {
  const json& s = x.s;
  d.h2("capacity", "Rated elements: margins at peak, after one loss, and at nameplate");
  const json& cap = s.contains("capacity") ? s["capacity"] : json::array();
  if (!cap.is_array() || cap.empty()) {
    d.missing("summary.json has no capacity[] list.");
  } else {
    std::vector<std::vector<Cell>> cr;
    json cats = json::array(), a = json::array(), b = json::array(), n1 = json::array(), n2 = json::array();
    auto r1 = [](const std::optional<double>& v) { return v ? json(std::round(*v * 10) / 10) : json(nullptr); };
    for (const auto& e : cap) {
      auto opt = [&](const char* k, int dec) {
        const auto v = num(e, k);
        return v ? cnum(fmt(*v, dec)) : c("—");
      };
      auto pct = [&](const char* k) {
        const auto v = num(e, k);
        return v ? Cell{html_escape(fmt(*v, 1)), *v < 0 ? "num bad" : "num"} : c("—");
      };
      cr.push_back({c(str(e, "name", str(e, "element"))), c(str(e, "redundancy")),
                    cnum(str(e, "units_installed") + " / " + str(e, "units_needed") + " x " + str(e, "groups")), opt("rating_kw", 0),
                    opt("peak_unit_load_kw", 0), pct("margin_pct"), pct("failover_margin_pct"), opt("nameplate_unit_load_kw", 0),
                    pct("nameplate_margin_pct"), pct("nameplate_failover_margin_pct")});
      cats.push_back(str(e, "name", str(e, "element")));
      a.push_back(r1(num(e, "margin_pct")));
      b.push_back(r1(num(e, "failover_margin_pct")));
      n1.push_back(r1(num(e, "nameplate_margin_pct")));
      n2.push_back(r1(num(e, "nameplate_failover_margin_pct")));
    }
    d.table({"element", "redundancy", "units installed / needed x groups", "rating per unit (kW)", "peak load per unit (kW)",
             "margin at peak (%)", "margin after one loss (%)", "nameplate load per unit (kW)", "nameplate margin (%)",
             "nameplate margin after one loss (%)"},
            cr);
    d.src("summary.json capacity[]. Peak: the simulated run's highest load; nameplate: every node at its vendor nameplate_w "
          "(a provisioning policy, apart from the run). A negative margin is an overload.");
    json spec = chart_base(x, "chart-capacity", "hbar", "Margin per element (% of rating)");
    spec["categories"] = cats;
    spec["xName"] = "margin (% of rating)";
    spec["series"] = json::array({json{{"name", "at peak"}, {"values", a}}, json{{"name", "peak, after one loss"}, {"values", b}},
                                  json{{"name", "nameplate"}, {"values", n1}}, json{{"name", "nameplate, after one loss"}, {"values", n2}}});
    x.charts.push_back(spec);
    d.chart("chart-capacity", std::max(300, 90 * static_cast<int>(cap.size()) + 110));
  }
  d.h2("checks", "Overloads and single points of failure");
  for (const auto& [key, title] : std::vector<std::pair<const char*, std::string>>{
           {"overloads", "Overloads in the run"}, {"nameplate_overloads", "Overloads at nameplate"},
           {"single_points_of_failure", "Single points of failure (N redundancy)"}}) {
    const json& l = s.contains(key) ? s[key] : json();
    if (!l.is_array()) {
      d.missing(title + ": not in summary.json.");
    } else if (l.empty()) {
      d.p(title + ": none.", "ok");
    } else {
      std::vector<std::vector<Cell>> rows;
      for (const auto& o : l)
        rows.push_back({c(str(o, "name", str(o, "element"))), c(str(o, "condition", str(o, "redundancy"))),
                        num(o, "load_kw") ? cnum(fmt(*num(o, "load_kw"), 0)) : c("—"),
                        num(o, "rating_kw") ? cnum(fmt(*num(o, "rating_kw"), 0)) : c("—"),
                        num(o, "margin_pct") ? cnum(fmt(*num(o, "margin_pct"), 1)) : c("—")});
      d.p(title + ": " + std::to_string(l.size()) + ".", key == std::string("single_points_of_failure") ? "warn" : "bad");
      d.table({"element", "condition", "load (kW)", "rating (kW)", "margin (%)"}, rows);
    }
  }
  d.h2("sizing", "Sizing and binding constraints");
  d.missing("Not available: dctwin has no sizing command yet, so there is no sizing table and no binding constraint. "
            "The margins above are for the campus as specified in the scenario.");
}

// ---- cooling report -------------------------------------------------------------------------

struct Limit {
  std::string label;
  std::optional<double> value;
};

// A chart of cooling.csv columns over time, with horizontal limit lines. False (nothing drawn) when
// none of the columns is in the file.
bool cooling_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title, const std::string& y_name,
                   const std::string& unit, const std::vector<std::pair<std::string, std::string>>& cols,
                   const std::vector<Limit>& limits, const std::string& source,
                   const std::map<std::string, std::vector<double>>* derived = nullptr) {
  const auto* t = x.rd.cooling_column("t_s");
  if (!t || t->empty()) return false;
  const double step = t->size() > 1 ? (*t)[1] - (*t)[0] : x.duration;
  json spec = chart_base(x, id, "timeseries", title);
  spec["yName"] = y_name;
  spec["unit"] = unit;
  spec["clock"] = x.duration >= 3600;
  spec["series"] = json::array();
  std::size_t total = 0, shown = 0;
  for (const auto& [col, label] : cols) {
    const auto* v = x.rd.cooling_column(col);
    if (derived && derived->count(col)) v = &derived->at(col);
    if (!v) continue;
    // Temperatures and plant figures move at the thermal step: a quarter of the power charts'
    // buckets keeps every extreme visible at a quarter of the size.
    const Decimated dec = minmax_decimate(*v, t->front(), step, x.o.display_buckets == 0 ? 0 : std::max<std::size_t>(1, x.o.display_buckets / 4));
    total = v->size();
    shown = dec.v.size();
    spec["series"].push_back({{"name", label}, {"t", round_series(dec.t, 10)}, {"v", round_series(dec.v, 8)}});
  }
  if (spec["series"].empty()) return false;
  json lim = json::array();
  for (const auto& l : limits)
    if (l.value) lim.push_back({{"name", l.label}, {"value", *l.value}});
  if (!lim.empty()) spec["limits"] = lim;
  x.charts.push_back(spec);
  d.chart(id, 340);
  d.src(source + " Per " + interval_label(step) + " interval of cooling.csv" +
        (shown < total ? " (" + fmt(static_cast<double>(total), 0) + " intervals, min/max-decimated to " +
                             fmt(static_cast<double>(shown), 0) + " points for display)"
                       : std::string("")) +
        ".");
  return true;
}

void cooling_series_charts(Doc& d, Ctx& x) {
  const json& s = x.s;
  const json& cool = s["cooling"];
  const json lim = cool.contains("limits_c") && cool["limits_c"].is_object() ? cool["limits_c"] : json::object();
  auto limit = [&](const char* k) { return num(lim, k); };
  d.h2("cooling-over-time", "Cooling over time");
  cooling_chart(d, x, "chart-cooling-pue", "PUE per interval = meter energy / IT energy", "PUE", "",
                {{"pue", "PUE"}}, {}, "cooling.csv pue: the meter (IT + distribution losses + cooling) over the IT energy.");
  cooling_chart(d, x, "chart-cooling-wue", "WUE per interval (L/kWh)", "WUE (L per kWh of IT energy)", "L/kWh",
                {{"wue_l_per_kwh", "WUE"}}, {},
                "cooling.csv wue_l_per_kwh: cooling-tower make-up water (evaporation + drift + blowdown) per kWh of IT energy.");
  std::string wclass = "ASHRAE facility water supply limit";
  if (s.contains("alarms") && s["alarms"].is_array())
    for (const auto& a : s["alarms"])
      if (str(a, "kind") == "facility_water_above_class") wclass = str(a, "place") + " limit";
  cooling_chart(d, x, "chart-cooling-water", "Water temperatures, highest per interval (°C)", "temperature (°C)", "°C",
                {{"facility_supply_max_c", "facility water supply"},
                 {"facility_return_max_c", "facility water return"},
                 {"tcs_supply_max_c", "technology cooling loop (CDU) supply"}},
                {{wclass, limit("facility_water_supply")}},
                "cooling.csv facility_supply_max_c, facility_return_max_c, tcs_supply_max_c; the limit is the facility water "
                "class maximum supply temperature (summary.json cooling.limits_c.facility_water_supply).");
  if (!cooling_chart(d, x, "chart-cooling-inlet", "Rack inlet air, highest per interval (°C)", "temperature (°C)", "°C",
                     {{"rack_inlet_max_c", "rack inlet air"}}, {{"ASHRAE allowable maximum", limit("rack_inlet_allowable")}},
                     "cooling.csv rack_inlet_max_c; the limit is the air class's allowable maximum (summary.json "
                     "cooling.limits_c.rack_inlet_allowable)."))
    d.missing("Rack inlet air over time: the run has no air side (cooling.air), so no rack inlet temperature.");
  if (!cooling_chart(d, x, "chart-cooling-junction", "GPU junction, highest of any cohort per interval (°C)",
                     "temperature (°C)", "°C", {{"junction_max_c", "GPU junction"}},
                     {{"junction limit (lowest of the rack types)", limit("gpu_junction_lowest")},
                      {"throttle temperature (lowest of the rack types)", limit("gpu_throttle_lowest")}},
                     "cooling.csv junction_max_c (sim/plant/gpu_thermal.h)."))
    d.missing("GPU junction temperatures over time: not modelled in this run (the scenario has no cooling.gpu_thermal).");
  else
    cooling_chart(d, x, "chart-cooling-throttle", "Thermally throttled GPUs (mean per interval)", "GPUs", "GPUs",
                  {{"throttled_gpus", "GPUs throttled"}}, {},
                  "cooling.csv throttled_gpus: GPUs with the thermal throttle engaged while their job ran (the throttle latches "
                  "until the coolant allows full compute power: an upper bound, sim/plant/gpu_thermal.h).");
  cooling_chart(d, x, "chart-cooling-weather", "Outdoor air the plant saw (°C)", "temperature (°C)", "°C",
                {{"outdoor_dry_bulb_c", "dry-bulb"}, {"outdoor_wet_bulb_c", "wet-bulb"}}, {},
                "cooling.csv outdoor_dry_bulb_c, outdoor_wet_bulb_c (time-weighted means; weather: " + str(cool, "weather", "?") +
                    ").");
  // Plant mode: share of each interval's time.
  const auto* t = x.rd.cooling_column("t_s");
  const auto* full = x.rd.cooling_column("free_cooling_full_s");
  const auto* part = x.rd.cooling_column("free_cooling_partial_s");
  const auto* ch = x.rd.cooling_column("chiller_on_s");
  const auto iv = num(cool.contains("series") ? cool["series"] : json(), "interval_s");
  if (t && full && part && ch && iv && *iv > 0) {
    std::map<std::string, std::vector<double>> pct;  // shares of time, for the chart only
    for (const auto& [src, dst] : std::vector<std::pair<const std::vector<double>*, std::string>>{
             {full, "free_full_pct"}, {part, "free_partial_pct"}, {ch, "chiller_pct"},
             {x.rd.cooling_column("tower_fans_on_s"), "tower_pct"}, {x.rd.cooling_column("dry_cooler_fans_on_s"), "dry_pct"}}) {
      if (!src) continue;
      auto& v = pct[dst];
      for (double sec : *src) v.push_back(100.0 * sec / *iv);
    }
    cooling_chart(d, x, "chart-cooling-mode", "Plant operating mode (% of each interval)", "share of time (%)", "%",
                  {{"free_full_pct", "full free cooling (economizer alone)"},
                   {"free_partial_pct", "partial free cooling (economizer + chillers)"},
                   {"chiller_pct", "chillers running"},
                   {"tower_pct", "cooling-tower fans running"},
                   {"dry_pct", "dry-cooler fans running"}},
                  {}, "cooling.csv free_cooling_full_s, free_cooling_partial_s, chiller_on_s, tower_fans_on_s, dry_cooler_fans_on_s "
                      "over the interval length.", &pct);
  }
}

void cooling_report(Doc& d, Ctx& x) {
  const json& s = x.s;
  d.h2("cooling", "Cooling plant");
  if (!x.cooling_modelled) {
    d.p("Cooling is not modelled in this run (summary.json cooling_modelled = false; cooling_energy_mwh and pue are null).", "warn");
    d.table({"figure", "status"},
            {{c("PUE over time"), c("not modelled", "missing")},
             {c("WUE over time"), c("not modelled", "missing")},
             {c("Temperatures against ASHRAE class limits"), c("not modelled", "missing")},
             {c("Chiller, cooling tower and economizer hours"), c("not modelled", "missing")},
             {c("Thermal throttling"), c("not modelled", "missing")}});
  } else {
    std::vector<std::vector<Cell>> rows;
    auto row = [&](const std::string& label, const char* k, int dec, const std::string& unit) {
      const auto v = num(s, k);
      rows.push_back({c(label), v ? cnum(fmt(*v, dec) + unit) : c(s.contains(k) ? "null in summary.json" : "not in summary.json", "missing"),
                      c(std::string("summary.json ") + k)});
    };
    row("PUE (facility energy / IT energy)", "pue", 3, "");
    row("WUE", "wue_l_per_kwh", 3, " L/kWh");
    row("Water consumed", "water_m3", 1, " m³");
    row("Cooling energy", "cooling_energy_mwh", 3, " MWh");
    {
      const json* fc = s.contains("free_cooling_hours") && s["free_cooling_hours"].is_object() ? &s["free_cooling_hours"] : nullptr;
      const auto full = fc ? num(*fc, "full") : std::nullopt, part = fc ? num(*fc, "partial") : std::nullopt;
      rows.push_back({c("Free-cooling (economizer) hours: full / partial"),
                      full && part ? cnum(fmt(*full, 2) + " h / " + fmt(*part, 2) + " h") : c("not in summary.json", "missing"),
                      c("summary.json free_cooling_hours.full, .partial")});
    }
    row("Chiller hours", "chiller_hours", 2, " h");
    {
      const json* hr = s.contains("heat_rejection_fan_hours") && s["heat_rejection_fan_hours"].is_object()
                           ? &s["heat_rejection_fan_hours"] : nullptr;
      for (const auto& [k, label] : std::vector<std::pair<const char*, const char*>>{
               {"cooling_towers", "Cooling-tower fan hours"}, {"dry_coolers", "Dry-cooler fan hours"}}) {
        const auto h = hr ? num(*hr, k) : std::nullopt;
        rows.push_back({c(label), h ? cnum(fmt(*h, 2) + " h") : c(hr ? "none installed" : "not in summary.json", "missing"),
                        c(std::string("summary.json heat_rejection_fan_hours.") + k)});
      }
    }
    row("Highest facility water supply temperature", "max_facility_water_c", 2, " °C");
    const bool junction = num(s, "max_junction_c").has_value();
    if (junction) {
      row("Highest GPU junction temperature", "max_junction_c", 2, " °C");
      row("Thermally throttled GPU-hours", "throttled_gpu_hours", 3, " GPU·h");
    }
    d.table({"figure", "value", "source"}, rows);
    if (junction && s.contains("gpu_thermal") && s["gpu_thermal"].contains("cohorts")) {
      std::vector<std::vector<Cell>> cr;
      for (const auto& k : s["gpu_thermal"]["cohorts"])
        cr.push_back({c(str(k, "cohort")), c(str(k, "rack_type")), c(str(k, "cooling")),
                      num(k, "gpus") ? cnum(fmt(*num(k, "gpus"), 0)) : c("—"),
                      num(k, "max_junction_c") ? cnum(fmt(*num(k, "max_junction_c"), 2) + " °C") : c("—"),
                      num(k, "throttled_hours") ? cnum(fmt(*num(k, "throttled_hours"), 3) + " h") : c("—")});
      d.table({"cohort", "rack type", "GPU cooling", "GPUs", "max junction", "throttled"}, cr);
      d.src("summary.json gpu_thermal.cohorts[]: one junction temperature per cohort of a job (sim/plant/gpu_thermal.h).");
    }
    const json& al = s.contains("alarms") ? s["alarms"] : json();
    if (!al.is_array()) {
      d.missing("Alarms: not in summary.json.");
    } else if (al.empty()) {
      d.p("Alarms: none (no temperature above its ASHRAE class limit, no unmet heat rejection).", "ok");
    } else {
      std::vector<std::vector<Cell>> ar;
      for (const auto& a : al)
        ar.push_back({c(str(a, "kind")), c(str(a, "place")), num(a, "limit") ? cnum(fmt(*num(a, "limit"), 2)) : c("—"),
                      num(a, "peak") ? cnum(fmt(*num(a, "peak"), 2)) : c("—"),
                      num(a, "start_s") ? c(fmt_t(*num(a, "start_s"))) : c("—"), num(a, "end_s") ? c(fmt_t(*num(a, "end_s"))) : c("—")});
      d.p("Alarms: " + std::to_string(al.size()) + " interval(s).", "bad");
      d.table({"alarm", "place", "limit", "peak", "from", "to"}, ar);
      d.src("summary.json alarms[]: one entry per interval; limit and peak in °C for temperatures, in W of unmet heat "
            "rejection for plant_capacity_exceeded.");
    }
    if (x.rd.column("cooling_mw")) {
      timeseries_chart(d, x, "chart-cooling", "Cooling power (MW)", {{"cooling_mw", "cooling plant"}}, nullptr, 0);
      const auto* it = x.rd.column("it_mw");
      if (x.rd.cooling.empty() && it && it->size() == x.facility->size()) {
        std::vector<double> ipue;
        ipue.reserve(it->size());
        for (std::size_t i = 0; i < it->size(); ++i) ipue.push_back((*it)[i] > 0 ? (*x.facility)[i] / (*it)[i] : std::nan(""));
        // Samples with no IT load have no PUE: left out of the chart.
        std::vector<double> tt, vv;
        for (std::size_t i = 0; i < ipue.size(); ++i)
          if (std::isfinite(ipue[i])) {
            tt.push_back(x.rd.t0_s + static_cast<double>(i) * x.dt);
            vv.push_back(ipue[i]);
          }
        const Decimated dec = vv.size() == ipue.size() ? minmax_decimate(vv, x.rd.t0_s, x.dt, x.o.display_buckets) : Decimated{tt, vv};
        json spec = chart_base(x, "chart-pue", "timeseries", "Instantaneous PUE = facility_mw / it_mw");
        spec["yName"] = "PUE";
        spec["clock"] = x.duration >= 3600;
        spec["series"] = json::array({json{{"name", "instantaneous PUE"}, {"t", round_series(dec.t, 10)}, {"v", round_series(dec.v, 6)}}});
        x.charts.push_back(spec);
        d.chart("chart-pue", 320);
        d.src("timeseries.csv facility_mw / it_mw per " + interval_label(x.dt) +
              " interval (min/max-decimated for display); the run's PUE above is the ratio of energies, not the mean of this.");
      }
    } else {
      d.missing("timeseries.csv has no cooling_mw column: no chart of cooling power" +
                std::string(x.rd.cooling.empty() ? " or instantaneous PUE." : "."));
    }
    if (!x.rd.cooling.empty()) cooling_series_charts(d, x);
    std::vector<std::vector<Cell>> gaps;
    if (!junction)
      gaps.push_back({c("GPU junction temperatures and thermal throttling"),
                      c("not modelled in this run: the scenario has no cooling.gpu_thermal", "missing")});
    if (x.rd.cooling.empty())
      gaps.push_back({c("Temperatures and WUE over time"),
                      c("no cooling.csv in this run folder (written by dctwin runs that model cooling): only the run's extremes "
                        "and totals above", "missing")});
    if (!gaps.empty()) d.table({"figure", "status"}, gaps);
  }
  d.h2("heat", "Heat to reject (from the electrical model)");
  d.p("All electrical power into the IT equipment ends as heat in the white space; this is what a cooling plant would have "
      "to reject from the racks. It is the electrical model's figure, not a cooling result.");
  std::vector<std::vector<Cell>> rows;
  if (auto p = num(s, "peak_it_mw")) rows.push_back({c("Peak IT power = peak heat from the racks"), cnum(fmt(*p, 3) + " MW")});
  if (auto m = num(s, "mean_it_mw")) rows.push_back({c("Mean IT power"), cnum(fmt(*m, 3) + " MW")});
  if (auto e = num(s, "it_energy_mwh")) rows.push_back({c("IT energy in the simulated period"), cnum(fmt(*e, 3) + " MWh")});
  if (auto l = num(s, "losses_energy_mwh"))
    rows.push_back({c("Electrical distribution losses (heat in electrical rooms)"), cnum(fmt(*l, 3) + " MWh")});
  d.table({"figure", "value"}, rows);
  timeseries_chart(d, x, "chart-heat", "IT power = heat from the racks (MW)", {{"it_mw", "IT equipment"}, {"gpu_mw", "GPUs"}}, nullptr, 0);
  if (s.contains("it_breakdown_mwh") && s["it_breakdown_mwh"].is_object()) {
    const auto rack_storage_losses_mwh =
        s.contains("rack_storage") && s["rack_storage"].is_object() ? num(s["rack_storage"], "losses_mwh") : std::nullopt;
    json spec = chart_base(x, "chart-breakdown", "hbar", "Energy by heat source in the simulated period (MWh)");
    json cats = json::array(), vals = json::array();
    for (const auto& [k, v] : s["it_breakdown_mwh"].items())
      if (v.is_number() && k != "rack_storage") {  // stored energy is not heat; its losses are below
        cats.push_back("IT: " + k);
        vals.push_back(std::round(v.get<double>() * 1000) / 1000);
      }
    if (rack_storage_losses_mwh) {
      cats.push_back("loss: rack storage");
      vals.push_back(std::round(*rack_storage_losses_mwh * 1000) / 1000);
    }
    if (s.contains("losses_mwh_by_stage") && s["losses_mwh_by_stage"].is_object())
      for (const auto& [k, v] : s["losses_mwh_by_stage"].items())
        if (v.is_number()) {
          cats.push_back("loss: " + k);
          vals.push_back(std::round(v.get<double>() * 1000) / 1000);
        }
    spec["categories"] = cats;
    spec["xName"] = "energy (MWh)";
    spec["series"] = json::array({json{{"name", "energy"}, {"values", vals}}});
    x.charts.push_back(spec);
    d.chart("chart-breakdown", std::max(260, 26 * static_cast<int>(cats.size()) + 110));
    d.src("summary.json it_breakdown_mwh and losses_mwh_by_stage.");
  }
}

// A script's text inside <script>: "</script" (any case) cannot occur in it. Within a JS string or
// regular expression "<\\/" means "</", so the replacement keeps the code's meaning there.
std::string safe_inline_script(std::string_view js) {
  std::string out(js);
  for (std::size_t i = out.find("</"); i != std::string::npos; i = out.find("</", i + 2)) {
    std::string tag = out.substr(i + 2, 6);
    std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (tag == "script") out.replace(i, 2, "<\\/");
  }
  return out;
}

}  // namespace

std::string render_report(const RunData& run, const ReportOptions& o) {
  Ctx x{run, o, run.summary, {}, {}, {}, {}};
  x.scenario = str(run.summary, "scenario", run.sizing.is_object() ? str(run.sizing, "scenario", "?") : "?");
  x.version = str(run.summary, "dctwin_version", run.sizing.is_object() ? str(run.sizing, "dctwin_version", "unknown") : "unknown");
  x.seed = str(run.summary, "seed", "unknown");
  x.dt = run.dt_s;
  x.facility = run.column("facility_mw");
  x.duration = num(run.summary, "duration_s").value_or(static_cast<double>(x.facility ? x.facility->size() : 0) * x.dt);
  x.cooling_modelled = run.summary.contains("cooling_modelled") && run.summary["cooling_modelled"].is_boolean() &&
                       run.summary["cooling_modelled"].get<bool>();
  x.provenance = "scenario " + x.scenario + " · seed " + x.seed + " · dctwin " + x.version + " · generated " + o.generated;
  static const std::vector<double> empty;
  if (!x.facility) x.facility = &empty;

  const std::string title = o.kind == ReportKind::Utility   ? "Utility report"
                            : o.kind == ReportKind::Cooling ? "Cooling report"
                                                            : "Capacity report";
  Doc d;
  d.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"dctwin ");
  d.text(x.version);
  d.raw("\">\n<title>");
  d.text(title + " — " + x.scenario);
  d.raw("</title>\n<style>\n");
  d.raw(embedded::report_css());
  d.raw("</style>\n</head>\n<body data-kind=\"" + to_string(o.kind) + "\">\n<main>\n");
  header(d, x, title);
  const bool sizing = o.kind == ReportKind::Capacity && run.sizing.is_object();
  if (sizing) sizing_section(d, x);
  if (sizing && run.summary.empty()) {
    d.missing("No simulation run in this folder (no summary.json): the capacity plan above is all this report has.");
  } else if (x.facility->empty()) {
    d.missing("timeseries.csv has no facility_mw samples.");
  } else {
    switch (o.kind) {
      case ReportKind::Utility: utility_report(d, x); break;
      case ReportKind::Cooling: cooling_report(d, x); break;
      case ReportKind::Capacity: capacity_report(d, x); break;
    }
  }
  d.raw("<footer>");
  d.text(x.provenance);
  d.raw(" · charts: Apache ECharts (embedded) · full data: timeseries.csv</footer>\n</main>\n");
  if (!o.echarts_js.empty()) {
    d.raw("<script>\n");
    d.raw(safe_inline_script(o.echarts_js));
    d.raw("\n</script>\n");
  }
  json data = {{"provenance", x.provenance}, {"charts", x.charts}};
  d.raw("<script id=\"dctwin-data\" type=\"application/json\">");
  d.raw(script_json(data));
  d.raw("</script>\n<script>\n");
  d.raw(safe_inline_script(embedded::report_js()));
  d.raw("\n</script>\n</body></html>\n");
  return d.out;
}

std::string generated_now() {
  std::time_t t = std::time(nullptr);
  if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) t = static_cast<std::time_t>(std::atoll(e));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::optional<std::string> write_default_report(const std::string& run_dir) {
  if (embedded::echarts_min_js().empty()) return std::nullopt;
  ReportOptions o;
  o.generated = generated_now();
  o.echarts_js = embedded::echarts_min_js();
  const std::string path = run_dir + "/report.html";
  write_file_atomic(path, render_report(load_run(run_dir), o));
  return path;
}

}  // namespace dctwin::viz
