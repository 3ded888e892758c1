// dctwin report RUN_DIR [--kind utility|cooling|capacity] [-o FILE.html] [--pdf] [--baseline RUN_DIR] [report options]
// Reads RUN_DIR/summary.json and timeseries.csv and writes one self-contained HTML file (ECharts
// and the data embedded; no network request). --pdf prints it with an installed Chromium.
// The report is made by viz/ (viz/report.h; printing: viz/pdf.h); this file checks the options.
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "viz/pdf.h"
#include "viz/report.h"

namespace dctwin::cli {

namespace {
struct ReportArgs {
  std::string dir;
  std::string kind = "utility";
  std::string out;  // default RUN_DIR/report.html (report-cooling.html, report-capacity.html)
  bool pdf = false;
  double margin_pct = 10;
  double band_lo_hz = 0.1, band_hi_hz = 20;
  std::optional<double> energy_usd_per_kwh, demand_usd_per_kw_month;
  std::string baseline;  // a run of the same scenario without mitigation
};

void check(const ReportArgs& a) {
  Problems problems;
  if (!(a.margin_pct >= 0 && a.margin_pct <= 1000)) problems.add("--margin-pct", "value", "0..1000 (%)", exact_number(a.margin_pct));
  if (!(a.band_lo_hz > 0)) problems.add("--band-lo-hz", "value", "a positive frequency (Hz)", exact_number(a.band_lo_hz));
  if (!(a.band_hi_hz > a.band_lo_hz))
    problems.add("--band-hi-hz", "value", "above --band-lo-hz (" + exact_number(a.band_lo_hz) + " Hz)", exact_number(a.band_hi_hz));
  if (a.energy_usd_per_kwh && !(*a.energy_usd_per_kwh >= 0))
    problems.add("--energy-usd-per-kwh", "value", "a non-negative price ($/kWh)", exact_number(*a.energy_usd_per_kwh));
  if (a.demand_usd_per_kw_month && !(*a.demand_usd_per_kw_month >= 0))
    problems.add("--demand-usd-per-kw-month", "value", "a non-negative price ($/kW-month)", exact_number(*a.demand_usd_per_kw_month));
  if (!problems.empty()) throw InputError(problems);
}

int report(const ReportArgs& a) {
  check(a);
  viz::ReportOptions o;
  o.kind = *viz::parse_report_kind(a.kind);
  // Refused before anything is written: bad input (InputError, exit 2), a build without ECharts or
  // --pdf without Chromium (EnvironmentError, exit 3).
  const viz::RunData run = viz::load_run(a.dir, o.kind == viz::ReportKind::Capacity);
  std::optional<viz::RunData> baseline;
  if (!a.baseline.empty()) {
    baseline = viz::load_run(a.baseline);
    viz::check_baseline(run, *baseline);
    o.baseline = &*baseline;
  }
  o.echarts_js = viz::embedded_echarts();
  const std::string out = a.out.empty() ? viz::default_report_path(a.dir, o.kind) : a.out;
  const std::string chromium = a.pdf ? viz::require_chromium() : "";
  o.margin_pct = a.margin_pct;
  o.band_lo_hz = a.band_lo_hz;
  o.band_hi_hz = a.band_hi_hz;
  o.energy_usd_per_kwh = a.energy_usd_per_kwh;
  o.demand_usd_per_kw_month = a.demand_usd_per_kw_month;
  o.generated = viz::generated_now();
  const std::string html = viz::render_report(run, o);
  write_file_atomic(out, html);
  std::printf("report              %s (%.2f MB)\n", out.c_str(), static_cast<double>(html.size()) / 1e6);
  if (a.pdf) std::printf("pdf                 %s\n", viz::print_pdf(chromium, out).c_str());
  return 0;
}
}  // namespace

Command add_report_command(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  auto* sub = app.add_subcommand("report", "Write a single-file HTML report of a run (utility, cooling or capacity)");
  sub->add_option("run_dir", a->dir, "Output folder of `dctwin run` (summary.json, timeseries.csv)")->required();
  sub->add_option("--kind", a->kind, "utility (demand, ramps, spectrum, N-1), cooling, or capacity")
      ->check(CLI::IsMember({"utility", "cooling", "capacity"}))
      ->capture_default_str();
  add_out_option(sub, a->out, "HTML file to write (default: RUN_DIR/report.html; RUN_DIR/report-KIND.html for other kinds)", "FILE");
  sub->add_flag("--pdf", a->pdf, "Also print it to a PDF beside the HTML (FILE with .pdf) with an installed Chromium");
  sub->add_option("--margin-pct", a->margin_pct, "Margin over the highest 15-min demand for the contracted capacity (%)")
      ->capture_default_str();
  sub->add_option("--band-lo-hz", a->band_lo_hz, "Lower edge of the utility's critical oscillation band (Hz)")->capture_default_str();
  sub->add_option("--band-hi-hz", a->band_hi_hz, "Upper edge of the utility's critical oscillation band (Hz)")->capture_default_str();
  sub->add_option("--energy-usd-per-kwh", a->energy_usd_per_kwh, "Energy tariff ($/kWh; default: none, and no cost is shown)");
  sub->add_option("--demand-usd-per-kw-month", a->demand_usd_per_kw_month, "Demand charge ($/kW-month; default: none)");
  sub->add_option("--baseline", a->baseline,
                  "Output folder of a run of the same scenario without mitigation (no rack storage, no smoothing): its figures "
                  "fill the row \"none\" of the mitigation table (default: none)");
  return {sub, [a] {
            try {
              return report(*a);
            } catch (const InputError& e) {
              return print_input_problems(e, "no report was written");
            }
          }};
}

}  // namespace dctwin::cli
