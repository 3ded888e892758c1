// Single-file HTML reports of a run (RUN_DIR/summary.json + timeseries.csv): for a utility's
// interconnection team (demand, ramps, spectrum, contingency), for cooling, and for capacity.
// The HTML embeds the chart library (Apache ECharts, pinned in viz/package-lock.json) and the
// data, so it opens offline with no network request. Every string that comes from a scenario is
// HTML-escaped; the data are embedded as JSON in which '<', '>' and '&' are \u-escaped, so no
// string can close the <script> element that holds them (viz/html.h).
//
// A figure the run does not contain (cooling, storage, a tariff that was not given) is said to be
// missing in words; nothing is invented or defaulted.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "viz/run_data.h"

namespace dctwin::viz {

enum class ReportKind { Utility, Cooling, Capacity };
std::optional<ReportKind> parse_report_kind(const std::string& s);
std::string to_string(ReportKind k);

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
  // A run of the same scenario without mitigation (no rack storage, no smoothing): the utility
  // report's mitigation table shows its figures in the row "none" (dctwin report --baseline).
  const RunData* baseline = nullptr;
};

// Refuses a baseline that cannot stand for "no mitigation" beside `run`: one with rack storage or
// mitigation energy, or a different output step or duration. Throws InputError naming `option`.
void check_baseline(const RunData& run, const RunData& baseline, const std::string& option = "--baseline");

// The complete HTML document.
std::string render_report(const RunData& run, const ReportOptions& options);

// "YYYY-MM-DD HH:MM UTC" of now, or of $SOURCE_DATE_EPOCH when set (reproducible reports).
std::string generated_now();

// Where a report of kind k goes by default: RUN_DIR/report.html for the utility kind,
// RUN_DIR/report-KIND.html for the others.
std::string default_report_path(const std::string& run_dir, ReportKind k);

// The Apache ECharts text embedded in this build. Throws EnvironmentError (exit 3), saying to run
// `npm ci --prefix viz` and rebuild, when this build has none.
std::string_view embedded_echarts();

// What `dctwin run` calls at its end: the utility report with default options into
// RUN_DIR/report.html. Returns its path; nullopt (nothing written) when this build has no ECharts.
std::optional<std::string> write_default_report(const std::string& run_dir);

}  // namespace dctwin::viz
