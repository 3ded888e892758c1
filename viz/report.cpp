#include "viz/report.h"

#include <cstdlib>
#include <ctime>

#include "core/atomic_file.h"
#include "core/problems.h"
#include "viz/format.h"
#include "viz/json_fields.h"
#include "viz/report_assets.h"
#include "viz/report_page.h"

namespace dctwin::viz {

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
  page_start(d, title + " — " + x.scenario, x.version, to_string(o.kind));
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
  page_end(d, x.provenance + " · charts: Apache ECharts (embedded) · full data: timeseries.csv", x.provenance, x.charts,
           o.echarts_js);
  return d.out;
}

void page_start(Doc& d, const std::string& title, const std::string& version, const std::string& kind) {
  d.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"dctwin ");
  d.text(version);
  d.raw("\">\n<title>");
  d.text(title);
  d.raw("</title>\n<style>\n");
  d.raw(embedded::report_css());
  d.raw("</style>\n</head>\n<body data-kind=\"" + html_escape(kind) + "\">\n<main>\n");
}

void page_end(Doc& d, const std::string& footer, const std::string& provenance, const json& charts, std::string_view echarts_js) {
  d.raw("<footer>");
  d.text(footer);
  d.raw("</footer>\n</main>\n");
  if (!echarts_js.empty()) {
    d.raw("<script>\n");
    d.raw(safe_inline_script(echarts_js));
    d.raw("\n</script>\n");
  }
  json data = {{"provenance", provenance}, {"charts", charts}};
  d.raw("<script id=\"dctwin-data\" type=\"application/json\">");
  d.raw(script_json(data));
  d.raw("</script>\n<script>\n");
  d.raw(safe_inline_script(embedded::report_js()));
  d.raw("\n</script>\n</body></html>\n");
}

void check_baseline(const RunData& run, const RunData& baseline, const std::string& option) {
  Problems problems;
  const std::string where = baseline.dir.empty() ? "summary.json" : baseline.dir + "/summary.json";
  const json& b = baseline.summary;
  if (b.contains("rack_storage") && b["rack_storage"].is_object())
    problems.add(option, where + " rack_storage", "a run without rack storage (null)", "rack storage");
  if (const auto m = num(b, "mitigation_energy_mwh"); m && *m > 0)
    problems.add(option, where + " mitigation_energy_mwh", "0 (a run without mitigation)", fmt_g(*m));
  for (const char* k : {"output_step_s", "duration_s"}) {
    const auto a = num(run.summary, k), v = num(b, k);
    if (!a || !v || *a != *v)
      problems.add(option, where + " " + k, "the same as this run's (" + (a ? fmt_g(*a) : std::string("none")) + ")",
                   v ? fmt_g(*v) : std::string("none"));
  }
  if (!problems.empty()) throw InputError(problems);
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

std::string default_report_path(const std::string& run_dir, ReportKind k) {
  return run_dir + "/" + (k == ReportKind::Utility ? "report.html" : "report-" + to_string(k) + ".html");
}

std::string_view embedded_echarts() {
  if (embedded::echarts_min_js().empty())
    throw EnvironmentError("this dctwin was built without Apache ECharts, which reports embed: run `npm ci --prefix viz` "
                           "in the source tree, then rebuild (cmake --build build)");
  return embedded::echarts_min_js();
}

std::optional<std::string> write_default_report(const std::string& run_dir) {
  if (embedded::echarts_min_js().empty()) return std::nullopt;
  ReportOptions o;
  o.generated = generated_now();
  o.echarts_js = embedded::echarts_min_js();
  const std::string path = default_report_path(run_dir, ReportKind::Utility);
  write_file_atomic(path, render_report(load_run(run_dir), o));
  return path;
}

}  // namespace dctwin::viz
