// What every report kind writes its page with: the context of one page (the run, the options, the
// provenance every figure states, the chart specs collected for the page's script), the header,
// and the zoomable time-series chart. The body of each kind is in its own file:
// viz/utility_report.cpp, viz/cooling_report.cpp, viz/capacity_report.cpp.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "viz/html.h"
#include "viz/report.h"

namespace dctwin::viz {

// One page being made.
struct Ctx {
  const RunData& rd;
  const ReportOptions& o;
  const json& s;  // rd.summary
  std::string scenario, version, seed, provenance;
  double dt = 0, duration = 0;
  const std::vector<double>* facility = nullptr;  // timeseries.csv facility_mw (MW); never null
  json charts = json::array();  // every chart's spec, in page order, embedded as JSON at the end
  bool cooling_modelled = false;
};

// The fields every chart spec has: id, kind (timeseries, xy, bar, hbar), title, provenance.
json chart_base(const Ctx& x, const std::string& id, const std::string& kind, const std::string& title);

// Compact numbers for the embedded data: `sig` significant digits; a NaN or infinity (a gap, no
// value in that interval) as null.
json round_series(const std::vector<double>& v, int sig);

// A series drawn as an envelope (report.js): the min, mean and max of `columns` equal runs of the
// samples (sample k at t0 + k dt, viz/demand.h envelope); the samples themselves (v) when there are
// no more than `columns`. report.js aggregates it further to a column per pixel of the plot.
json envelope_series(const std::string& name, const std::vector<double>& v, double t0_s, double dt_s, std::size_t columns);

// summary.json capacity[] (one entry per rated element group); empty when absent or not a list.
json capacity_list(const json& s);
// A number field of a summary.json or sizing.json entry as a table cell with `decimals`
// (thousands separated); "—" when the entry has no such number.
Cell number_cell(const json& e, const char* key, int decimals);
// The units of a capacity[] entry: "installed / needed x groups".
Cell units_cell(const json& e);
// A margin (%) for a chart: rounded to 0.1; null when absent.
json tenth(const std::optional<double>& v);

// The page around every kind's body (viz/report.cpp): the document's head (`title`, the
// generator's `version`, the embedded style sheet) up to <main>, with <body data-kind=KIND>; and
// its end: the footer's text, the embedded ECharts (none when empty), the chart specs as JSON and
// report.js.
void page_start(Doc& d, const std::string& title, const std::string& version, const std::string& kind);
void page_end(Doc& d, const std::string& footer, const std::string& provenance, const json& charts, std::string_view echarts_js);

// The page's <header>: title, the run's provenance table, and what the run does not model.
void header(Doc& d, Ctx& x, const std::string& title);

// A horizontal bar chart of margins (% of rating) per element: `series` is a list of
// {"name", "values"}, one value per category.
void margin_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title, const json& categories, const json& series,
                  int height_px);

// The zoomable series chart (min/mean/max envelopes) of the given timeseries.csv columns (name,
// label); with step_overlay, also those interval means (one per step_interval seconds) drawn as
// steps. False, and a note of the missing columns in place of the chart, when none is in the file.
bool timeseries_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title,
                      const std::vector<std::pair<std::string, std::string>>& cols,
                      const std::vector<double>* step_overlay, double step_interval);

// The body of each report kind, after the header.
void utility_report(Doc& d, Ctx& x);
void cooling_report(Doc& d, Ctx& x);
void capacity_report(Doc& d, Ctx& x);
// The capacity plan of sizing.json (dctwin size): the answer, both provisioning policies, every
// constraint's margin and the bill of materials. Shown first in a capacity report.
void sizing_section(Doc& d, Ctx& x);
// The command that writes a capacity plan into `dir` for the scenario a run read (summary.json
// scenario_source; the embedded default when it is "<embedded default ...>" or empty); DIR when
// `dir` is empty.
std::string size_command(const std::string& scenario_source, const std::string& dir);

}  // namespace dctwin::viz
