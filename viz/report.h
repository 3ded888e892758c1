// Single-file HTML reports of a run (RUN_DIR/summary.json + timeseries.csv): for a utility's
// interconnection team (demand, ramps, spectrum, contingency), for cooling, and for capacity.
// The HTML embeds the chart library (Apache ECharts, pinned in viz/package-lock.json) and the
// data, so it opens offline with no network request. Every string that comes from a scenario is
// HTML-escaped; the data are embedded as JSON in which '<', '>' and '&' are \u-escaped, so no
// string can close the <script> element that holds them.
//
// A figure the run does not contain (cooling, storage, a tariff that was not given) is said to be
// missing in words; nothing is invented or defaulted.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"

namespace dctwin::viz {

enum class ReportKind { Utility, Cooling, Capacity };
std::optional<ReportKind> parse_report_kind(const std::string& s);
std::string to_string(ReportKind k);

// A run's results, as read back from its folder.
struct RunData {
  std::string dir;
  json summary;
  double dt_s = 0;  // output_step_s
  double t0_s = 0;  // first row's t_s
  std::map<std::string, std::vector<double>> columns;  // every CSV column but t_s, by name (MW)
  const std::vector<double>* column(const std::string& name) const;
  // DIR/storage.csv (written only with campus.storage): every column but t_s, by name; empty
  // when the run has no battery or the file is absent.
  std::map<std::string, std::vector<double>> storage;
  const std::vector<double>* storage_column(const std::string& name) const;
  // DIR/cooling.csv (written when cooling is modelled; summary.json cooling.series): every column
  // by name, t_s included; empty cells (no PUE without IT energy, a part the run lacks) as NaN.
  std::map<std::string, std::vector<double>> cooling;
  const std::vector<double>* cooling_column(const std::string& name) const;
  // DIR/sizing.json (written by `dctwin size -o DIR`): null when absent. The capacity report
  // shows it first.
  json sizing;
};

// Reads DIR/summary.json and DIR/timeseries.csv. Throws InputError with one problem per line
// (file, where, expected, found) when either is missing or malformed.
// With sizing_only_ok, a folder holding only sizing.json (no summary.json, no timeseries.csv) is
// accepted: summary is then an empty object and there are no columns.
RunData load_run(const std::string& dir, bool sizing_only_ok = false);
// Reads storage.csv text (t_s first, then numeric columns) into rd.storage. Throws InputError
// naming `name` when it is malformed.
void parse_storage_csv(RunData& rd, const std::string& csv_text, const std::string& name = "storage.csv");
// Reads cooling.csv text into rd.cooling (empty cells as NaN). Throws InputError naming `name`.
void parse_cooling_csv(RunData& rd, const std::string& csv_text, const std::string& name = "cooling.csv");
// The same from text (for tests): `csv_name`/`summary_name` only label problems.
RunData parse_run(const std::string& summary_text, const std::string& csv_text,
                  const std::string& summary_name = "summary.json", const std::string& csv_name = "timeseries.csv");

struct ReportOptions {
  ReportKind kind = ReportKind::Utility;
  double margin_pct = 10;    // contracted capacity = highest 15-min demand * (1 + margin)
  double band_lo_hz = 0.1;   // the utility's critical oscillation band
  double band_hi_hz = 20;
  std::optional<double> energy_usd_per_kwh;        // no default: without it there is no cost
  std::optional<double> demand_usd_per_kw_month;   // no default
  std::string generated;     // when the report was made, shown beside every figure
  std::size_t display_buckets = 20000;  // min/max buckets of the zoomable series
  std::string_view echarts_js;          // the library's text; empty renders no charts (tests)
};

// The complete HTML document.
std::string render_report(const RunData& run, const ReportOptions& options);

// "YYYY-MM-DD HH:MM UTC" of now, or of $SOURCE_DATE_EPOCH when set (reproducible reports).
std::string generated_now();

// What `dctwin run` calls at its end: the utility report with default options into
// RUN_DIR/report.html. Returns its path; nullopt (nothing written) when this build has no ECharts.
std::optional<std::string> write_default_report(const std::string& run_dir);

// Text safe inside HTML element content and attribute values: & < > " ' escaped.
std::string html_escape(std::string_view s);
// JSON text safe inside a <script> element: '<', '>', '&', U+2028 and U+2029 as \u escapes.
std::string script_json(const json& j);

// The cause of a power step at t_s (seconds since the start of the run) from summary.json's
// jobs[]: "job start: NAME", "job stop: NAME", "job failure: NAME", "checkpoint: NAME" (when the
// job lists checkpoint_times_s), "step phase change: NAME" (a training job's phase boundary, while
// its schedule is known: before its first failure or checkpoint), joined with "; " when several
// match within tol_s; "unattributed" otherwise.
std::string step_cause(const json& jobs, double t_s, double tol_s);

}  // namespace dctwin::viz
