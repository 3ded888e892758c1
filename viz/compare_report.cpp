#include "viz/compare_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "core/problems.h"
#include "viz/compare_figures.h"
#include "viz/envelope.h"
#include "viz/format.h"
#include "viz/json_fields.h"
#include "viz/report_page.h"

namespace dctwin::viz {

namespace {

std::string trimmed(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// Each run's name: its folder's name; the path as given when two runs share a folder name.
std::vector<std::string> run_names(const std::vector<std::string>& dirs) {
  std::vector<std::string> names;
  for (const auto& d : dirs) {
    const std::string base = std::filesystem::path(trimmed(d)).filename().string();
    names.push_back(base.empty() || base == "." || base == ".." ? trimmed(d) : base);
  }
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = 0; j < names.size(); ++j)
      if (i != j && names[i] == std::filesystem::path(trimmed(dirs[j])).filename().string()) names[i] = trimmed(dirs[i]);
  return names;
}

const char* kNeeds = "a run folder (summary.json and timeseries.csv, written by dctwin run) or a whatif/sweep folder "
                     "(whatif.json or sweep.json)";

}  // namespace

CompareInput load_compare_input(const std::vector<std::string>& dirs) {
  Problems problems;
  CompareInput in;
  std::vector<std::string> run_dirs;
  std::size_t studies = 0;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
      problems.add(dir, "folder", kNeeds, "no such file or folder");
      continue;
    }
    if (!std::filesystem::is_directory(dir, ec)) {
      problems.add(dir, "folder", kNeeds, "a file, not a folder");
      continue;
    }
    const bool has_run = std::filesystem::exists(dir + "/summary.json", ec) || std::filesystem::exists(dir + "/timeseries.csv", ec);
    try {
      if (has_run) {
        in.runs.push_back(load_run(dir));
        run_dirs.push_back(dir);
      } else if (auto st = load_study_folder(dir)) {
        ++studies;
        in.study = std::move(*st);
      } else {
        problems.add(dir, "folder", kNeeds, "neither (no summary.json, timeseries.csv, whatif.json or sweep.json)");
      }
    } catch (const InputError& e) {
      problems.append(e.problems());
    }
  }
  if (problems.empty()) {
    if (studies > 0 && dirs.size() > 1)
      problems.add("dctwin compare", "folders", "two or more run folders, or one whatif/sweep folder alone",
                   std::to_string(studies) + " whatif/sweep folder" + (studies == 1 ? "" : "s") + " among " +
                       std::to_string(dirs.size()) + " folders");
    else if (studies == 0 && in.runs.size() < 2)
      problems.add("dctwin compare", "folders", "two or more run folders, or one whatif/sweep folder",
                   "one run folder (" + dirs.front() + ")");
  }
  if (!problems.empty()) throw InputError(problems);
  if (!in.study) in.names = run_names(run_dirs);
  return in;
}

std::string default_compare_path(const std::vector<std::string>& dirs) {
  return dirs.size() == 1 ? trimmed(dirs.front()) + "/compare.html" : std::string("compare.html");
}

namespace {

struct Page {
  Doc d;
  json charts = json::array();
  std::string provenance;
};

json chart_spec(const Page& pg, const std::string& id, const std::string& kind, const std::string& title) {
  return {{"id", id}, {"kind", kind}, {"title", title}, {"provenance", pg.provenance}};
}

std::vector<json> summaries_of(const CompareInput& in) {
  std::vector<json> s;
  if (in.study)
    s.assign(in.study->cases.begin(), in.study->cases.end());
  else
    for (const auto& r : in.runs) s.push_back(r.summary);
  return s;
}

// The key figures, one column per summary, each after the first with its difference.
void difference_section(Page& pg, const std::vector<DiffRow>& rows, const std::vector<std::string>& names) {
  std::vector<std::string> head = {"figure", "unit"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    head.push_back(names[i]);
    if (i > 0) head.push_back(names[i] + " − " + names[0]);
  }
  std::vector<std::vector<Cell>> cells;
  for (const auto& r : rows) {
    std::vector<Cell> line = {c(r.figure.label), c(r.figure.unit)};
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      line.push_back(r.values[i].v ? cnum(figure_text(r.values[i])) : c(figure_text(r.values[i]), "missing"));
      if (i > 0) line.push_back(r.diff[i] ? cnum(difference_text(r.diff[i], r.pct[i])) : c("—", "missing"));
    }
    cells.push_back(std::move(line));
  }
  pg.d.table(head, cells);
  pg.d.src("Difference = value − the value of " + names[0] + " (in the figure's unit), and in % of |" + names[0] +
           "'s value| (none when that is 0). \"not modelled\": the figure is null in that summary (e.g. PUE without "
           "cooling); \"not in the file\": that summary has no such key." +
           std::string(std::any_of(rows.begin(), rows.end(), [](const DiffRow& r) { return r.figure.key == "n1_headroom_pct"; })
                           ? " N-1 headroom: the smallest margin (% of rating) of a redundant element group of capacity[] "
                             "after one of its units is lost."
                           : ""));
}

// The span [lo, hi] of t_s every run covers together.
std::pair<double, double> common_span(const CompareInput& in) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& r : in.runs) {
    const auto* f = r.column("facility_mw");
    if (!f || f->empty()) continue;
    lo = std::min(lo, r.t0_s);
    hi = std::max(hi, r.t0_s + static_cast<double>(f->size() - 1) * r.dt_s);
  }
  return {lo, hi};
}

// One overlaid chart: per run, the envelope of `values(run)` over the common span (its mean as
// the line, its min and max as faint lines of the same colour). False when no run has the series.
template <class Values>
bool overlay_chart(Page& pg, const CompareInput& in, const CompareOptions& o, const std::string& id, const std::string& title,
                   const std::string& y_name, const std::string& unit, Values values) {
  const auto [lo, hi] = common_span(in);
  json spec = chart_spec(pg, id, "timeseries", title);
  spec["yName"] = y_name;
  spec["unit"] = unit;
  spec["clock"] = hi - lo >= 3600;
  spec["series"] = json::array();
  bool reduced = false;
  for (std::size_t i = 0; i < in.runs.size(); ++i) {
    std::vector<double> t, v;
    if (!values(in.runs[i], t, v)) continue;
    const Envelope e = column_envelope(t, v, lo, hi, o.columns);
    if (e.t.empty()) continue;
    reduced = reduced || e.reduced;
    const json tj = round_series(e.t, 10);
    spec["series"].push_back({{"name", in.names[i]}, {"group", i}, {"role", e.reduced ? "mean" : ""}, {"t", tj},
                              {"v", round_series(e.mean, 7)}});
    if (!e.reduced) continue;
    spec["series"].push_back({{"name", in.names[i]}, {"group", i}, {"role", "min"}, {"faint", true}, {"t", tj},
                              {"v", round_series(e.min, 7)}});
    spec["series"].push_back({{"name", in.names[i]}, {"group", i}, {"role", "max"}, {"faint", true}, {"t", tj},
                              {"v", round_series(e.max, 7)}});
  }
  if (spec["series"].empty()) return false;
  pg.charts.push_back(spec);
  pg.d.chart(id, 380);
  if (reduced)
    pg.d.src("Runs with more samples than the chart's " + fmt(static_cast<double>(o.columns), 0) +
             " time columns are drawn as envelopes: per column, the mean (the line) and the smallest and largest sample "
             "(the faint lines of the same colour), so every peak and trough stays visible. Runs are aligned on t_s.");
  else
    pg.d.src("Every sample is shown; runs are aligned on t_s. Drag the slider or scroll to zoom.");
  return true;
}

bool timeseries_values(const RunData& r, const std::string& col, std::vector<double>& t, std::vector<double>& v) {
  const auto* c = r.column(col);
  if (!c || c->empty()) return false;
  v = *c;
  t.resize(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) t[k] = r.t0_s + static_cast<double>(k) * r.dt_s;
  return true;
}

bool cooling_values(const RunData& r, const std::string& col, std::vector<double>& t, std::vector<double>& v) {
  const auto* ts = r.cooling_column("t_s");
  const auto* c = r.cooling_column(col);
  if (!ts || !c || c->empty()) return false;
  t = *ts;
  v = *c;
  return true;
}

// What makes the runs' figures cover different things (durations, output steps); "" when nothing.
std::string differ_note(const CompareInput& in) {
  std::set<double> durations, steps;
  for (const auto& r : in.runs) {
    durations.insert(num(r.summary, "duration_s").value_or(0));
    steps.insert(r.dt_s);
  }
  const bool d = durations.size() > 1, st = steps.size() > 1;
  if (!d && !st) return "";
  return std::string("The runs differ in their ") + (d && st ? "durations and output steps" : d ? "durations" : "output steps") +
         ":" + (d ? " totals (energy, hours) cover different spans;" : "") +
         (st ? " peaks and ramps are measured at different resolutions;" : "") + " the series are aligned on t_s.";
}

void runs_header(Page& pg, const CompareInput& in) {
  std::vector<std::vector<Cell>> rows;
  for (std::size_t i = 0; i < in.runs.size(); ++i) {
    const RunData& r = in.runs[i];
    const auto* f = r.column("facility_mw");
    const double duration = num(r.summary, "duration_s").value_or(0);
    rows.push_back({c(in.names[i]), c(r.dir), c(str(r.summary, "scenario", "?")), c(str(r.summary, "seed", "unknown")),
                    c(str(r.summary, "dctwin_version", "unknown")),
                    c(fmt_duration(duration) + " at " + interval_label(r.dt_s) + " (" +
                      fmt(static_cast<double>(f ? f->size() : 0), 0) + " samples)"),
                    r.cooling.empty() ? c("no", "missing") : c("yes")});
  }
  pg.d.raw("<header><h1>");
  pg.d.text("Comparison — " + std::to_string(in.runs.size()) + " runs");
  pg.d.raw("</h1>\n");
  pg.d.table({"run", "folder", "scenario", "seed", "dctwin version", "simulated", "cooling.csv"}, rows, "prov");
  if (const std::string note = differ_note(in); !note.empty()) pg.d.p(note, "warn");
  pg.d.raw("</header>\n");
}

void runs_body(Page& pg, const CompareInput& in, const CompareOptions& o) {
  runs_header(pg, in);
  const auto rows = difference_table(summaries_of(in), run_compare_figures());
  pg.d.h2("figures", "Key figures against " + in.names[0]);
  difference_section(pg, rows, in.names);
  pg.d.end_section();
  pg.d.h2("series", "Series overlaid");
  overlay_chart(pg, in, o, "chart-facility", "Facility power at the utility meter (MW)", "facility power (MW)", "MW",
                [](const RunData& r, std::vector<double>& t, std::vector<double>& v) { return timeseries_values(r, "facility_mw", t, v); });
  if (!overlay_chart(pg, in, o, "chart-cooling", "Cooling plant power (MW)", "cooling power (MW)", "MW",
                     [](const RunData& r, std::vector<double>& t, std::vector<double>& v) {
                       return timeseries_values(r, "cooling_mw", t, v);
                     }))
    pg.d.missing("No run models cooling (no cooling_mw in timeseries.csv): no cooling power to compare.");
  if (!overlay_chart(pg, in, o, "chart-pue", "PUE per cooling.csv interval", "PUE", "",
                     [](const RunData& r, std::vector<double>& t, std::vector<double>& v) { return cooling_values(r, "pue", t, v); }))
    pg.d.missing("No run has cooling.csv: no PUE over time to compare.");
  pg.d.end_section();
}

void study_body(Page& pg, const StudyTable& st, const CompareOptions& o) {
  std::size_t failed = 0;
  for (const auto& e : st.errors) failed += !e.empty();
  pg.d.raw("<header><h1>");
  pg.d.text("Comparison — " + st.kind + " study, " + std::to_string(st.cases.size()) + " cases");
  pg.d.raw("</h1>\n<table class=\"prov\"><tbody>");
  auto row = [&pg](const std::string& k, const std::string& v) {
    pg.d.raw("<tr><th>" + html_escape(k) + "</th><td>" + html_escape(v) + "</td></tr>");
  };
  row("table", st.file);
  std::string params;
  for (const auto& p : st.parameters) params += (params.empty() ? "" : ", ") + p;
  row("varied", params.empty() ? "nothing named in the table" : params);
  if (!st.period.empty()) row("weather period", st.period);
  row("cases", std::to_string(st.cases.size()) + (failed ? " (" + std::to_string(failed) + " failed)" : ""));
  row("report generated", o.generated);
  pg.d.raw("</tbody></table>\n</header>\n");

  const std::vector<json> all(st.cases.begin(), st.cases.end());
  const auto rows = difference_table(all, st.figures);
  pg.d.h2("cases", "Every case");
  std::vector<std::string> head = {"case"};
  for (const auto& r : rows) head.push_back(r.figure.label + (r.figure.unit.empty() ? "" : " (" + r.figure.unit + ")"));
  std::vector<std::vector<Cell>> cells;
  for (std::size_t k = 0; k < st.cases.size(); ++k) {
    std::vector<Cell> line = {c(st.labels[k])};
    if (!st.errors[k].empty()) {
      line.push_back(c("failed: " + st.errors[k], "bad"));
      for (std::size_t j = 1; j < rows.size(); ++j) line.push_back(c(""));
    } else {
      for (const auto& r : rows) line.push_back(r.values[k].v ? cnum(figure_text(r.values[k])) : c(figure_text(r.values[k]), "missing"));
    }
    cells.push_back(std::move(line));
  }
  pg.d.table(head, cells);
  pg.d.src("From " + st.file + ": one row per case; \"not modelled\" is a figure the case's run has none of (null in the table).");
  pg.d.end_section();

  const std::size_t n = std::min(st.cases.size(), o.side_by_side);
  pg.d.h2("side-by-side", "Cases side by side against case 0");
  std::vector<std::string> names;
  for (std::size_t k = 0; k < n; ++k) names.push_back(str(st.cases[k], "case", std::to_string(k)));
  for (auto& nm : names) nm = "case " + nm;
  difference_section(pg, difference_table(std::vector<json>(st.cases.begin(), st.cases.begin() + static_cast<long>(n)), st.figures),
                     names);
  if (n < st.cases.size())
    pg.d.missing("The first " + std::to_string(n) + " of " + std::to_string(st.cases.size()) +
                 " cases are side by side here; every case is in the table above and the charts below.");
  pg.d.end_section();

  pg.d.h2("charts", "Figures across cases");
  const std::size_t m = std::min(st.cases.size(), o.chart_cases);
  json cats = json::array();
  for (std::size_t k = 0; k < m; ++k) cats.push_back(str(st.cases[k], "case", std::to_string(k)));
  std::size_t drawn = 0;
  for (const auto& r : rows) {
    std::set<double> distinct;
    json vals = json::array();
    for (std::size_t k = 0; k < m; ++k) {
      vals.push_back(r.values[k].v ? json(*r.values[k].v) : json(nullptr));
      if (r.values[k].v) distinct.insert(*r.values[k].v);
    }
    if (distinct.size() < 2) continue;
    const std::string id = "chart-case-" + std::to_string(drawn++);
    json spec = chart_spec(pg, id, "bar", r.figure.label + (r.figure.unit.empty() ? "" : " (" + r.figure.unit + ")") + " by case");
    spec["categories"] = cats;
    spec["xName"] = "case";
    spec["yName"] = r.figure.unit.empty() ? r.figure.label : r.figure.unit;
    spec["series"] = json::array({json{{"name", r.figure.label}, {"values", vals}}});
    pg.charts.push_back(spec);
    pg.d.chart(id, 300);
  }
  if (drawn == 0) pg.d.missing("No figure differs between the cases: nothing to chart.");
  else if (m < st.cases.size())
    pg.d.src("The charts show the first " + std::to_string(m) + " of " + std::to_string(st.cases.size()) + " cases.");
  pg.d.end_section();
}

}  // namespace

std::string render_compare(const CompareInput& in, const CompareOptions& o) {
  Page pg;
  std::string version = "unknown";
  if (in.study) {
    pg.provenance = in.study->file + " · generated " + o.generated;
  } else {
    version = str(in.runs.front().summary, "dctwin_version", "unknown");
    std::string names;
    for (const auto& n : in.names) names += (names.empty() ? "" : " · ") + n;
    pg.provenance = "runs " + names + " · dctwin " + version + " · generated " + o.generated;
  }
  const std::string title = in.study ? "Comparison — " + in.study->kind + " " + in.study->file
                                     : "Comparison — " + std::to_string(in.runs.size()) + " runs";
  page_start(pg.d, title, version, "compare");
  if (in.study)
    study_body(pg, *in.study, o);
  else
    runs_body(pg, in, o);
  page_end(pg.d, pg.provenance + " · charts: Apache ECharts (embedded)", pg.provenance, pg.charts, o.echarts_js);
  return pg.d.out;
}

std::string compare_terminal_table(const CompareInput& in, std::size_t side_by_side) {
  if (!in.study) {
    const std::string note = differ_note(in);
    return difference_table_text(difference_table(summaries_of(in), run_compare_figures()), in.names) +
           (note.empty() ? "" : note + "\n");
  }
  const std::size_t n = std::min(in.study->cases.size(), side_by_side);
  std::vector<std::string> names;
  for (std::size_t k = 0; k < n; ++k) names.push_back("case " + str(in.study->cases[k], "case", std::to_string(k)));
  std::string out;
  for (std::size_t k = 0; k < n; ++k) out += in.study->labels[k] + (in.study->errors[k].empty() ? "" : " (failed)") + "\n";
  out += difference_table_text(
      difference_table(std::vector<json>(in.study->cases.begin(), in.study->cases.begin() + static_cast<long>(n)), in.study->figures),
      names);
  if (n < in.study->cases.size())
    out += "(the first " + std::to_string(n) + " of " + std::to_string(in.study->cases.size()) + " cases; every case is in the report)\n";
  return out;
}

}  // namespace dctwin::viz
