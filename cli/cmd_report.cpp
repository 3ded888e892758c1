// dctwin report RUN_DIR [--kind utility|cooling|capacity] [-o FILE.html] [--pdf] [report options]
// Reads RUN_DIR/summary.json and timeseries.csv and writes one self-contained HTML file (ECharts
// and the data embedded; no network request). --pdf prints it with an installed Chromium.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "cli/common.h"
#include "sim/run.h"
#include "core/atomic_file.h"
#include "viz/report.h"
#include "viz/report_assets.h"

extern char** environ;

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
};

// Chromium from $DCTWIN_CHROMIUM or the PATH (Debian's package is `chromium`).
std::string find_chromium() {
  namespace fs = std::filesystem;
  if (const char* e = std::getenv("DCTWIN_CHROMIUM"); e && *e) return fs::exists(e) ? e : "";
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  for (std::size_t a = 0; a <= p.size();) {
    std::size_t b = p.find(':', a);
    if (b == std::string::npos) b = p.size();
    const std::string d = p.substr(a, b - a);
    for (const char* name : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
      const fs::path cand = fs::path(d.empty() ? "." : d) / name;
      if (::access(cand.c_str(), X_OK) == 0) return cand.string();
    }
    a = b + 1;
  }
  return "";
}

// Runs Chromium headless to print `html` to `pdf`; returns its exit status (-1: not started).
int print_pdf(const std::string& chromium, const std::string& html, const std::string& pdf) {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/dctwin-chromium-XXXXXX";
  if (!::mkdtemp(tmpl)) return -1;
  const std::string profile = tmpl;
  std::vector<std::string> args = {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                   "--user-data-dir=" + profile, "--no-pdf-header-footer", "--print-to-pdf=" + pdf,
                                   "file://" + fs::absolute(html).string()};
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int status = -1;
  if (posix_spawn(&pid, chromium.c_str(), &fa, nullptr, argv.data(), environ) == 0) {
    if (::waitpid(pid, &status, 0) == pid) status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&fa);
  std::error_code ec;
  fs::remove_all(profile, ec);
  return status;
}

int report(const ReportArgs& a) {
  Problems problems;
  const auto kind = viz::parse_report_kind(a.kind);
  if (!(a.margin_pct >= 0 && a.margin_pct <= 1000)) problems.add("--margin-pct", "value", "0..1000 (%)", exact_number(a.margin_pct));
  if (!(a.band_lo_hz > 0)) problems.add("--band-lo-hz", "value", "a positive frequency (Hz)", exact_number(a.band_lo_hz));
  if (!(a.band_hi_hz > a.band_lo_hz))
    problems.add("--band-hi-hz", "value", "above --band-lo-hz (" + exact_number(a.band_lo_hz) + " Hz)", exact_number(a.band_hi_hz));
  if (a.energy_usd_per_kwh && !(*a.energy_usd_per_kwh >= 0))
    problems.add("--energy-usd-per-kwh", "value", "a non-negative price ($/kWh)", exact_number(*a.energy_usd_per_kwh));
  if (a.demand_usd_per_kw_month && !(*a.demand_usd_per_kw_month >= 0))
    problems.add("--demand-usd-per-kw-month", "value", "a non-negative price ($/kW-month)", exact_number(*a.demand_usd_per_kw_month));
  if (!problems.empty()) throw InputError(problems);

  const viz::RunData run = viz::load_run(a.dir, *kind == viz::ReportKind::Capacity);  // InputError: exit 2
  if (embedded::echarts_min_js().empty())
    throw EnvironmentError("this dctwin was built without Apache ECharts, which reports embed: run `npm ci --prefix viz` "
                           "in the source tree, then rebuild (cmake --build build)");
  const std::string name = *kind == viz::ReportKind::Utility ? "report.html" : "report-" + a.kind + ".html";
  const std::string out = a.out.empty() ? a.dir + "/" + name : a.out;
  std::string chromium;
  if (a.pdf) {
    chromium = find_chromium();
    if (chromium.empty())
      throw EnvironmentError("--pdf needs Chromium to print the report and none was found (install it: apt-get install "
                             "chromium; or set DCTWIN_CHROMIUM to its path); nothing was written");
  }
  viz::ReportOptions o;
  o.kind = *kind;
  o.margin_pct = a.margin_pct;
  o.band_lo_hz = a.band_lo_hz;
  o.band_hi_hz = a.band_hi_hz;
  o.energy_usd_per_kwh = a.energy_usd_per_kwh;
  o.demand_usd_per_kw_month = a.demand_usd_per_kw_month;
  o.generated = viz::generated_now();
  o.echarts_js = embedded::echarts_min_js();
  const std::string html = viz::render_report(run, o);
  write_file_atomic(out, html);
  std::printf("report              %s (%.2f MB)\n", out.c_str(), static_cast<double>(html.size()) / 1e6);
  if (a.pdf) {
    std::filesystem::path pdf(out);
    pdf.replace_extension(".pdf");
    // Printed to a temporary file, renamed when complete: never half a PDF.
    const std::string tmp = pdf.string() + ".tmp." + std::to_string(::getpid()) + ".pdf";
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    const int rc = print_pdf(chromium, out, tmp);
    if (rc != 0 || !std::filesystem::exists(tmp)) {
      std::filesystem::remove(tmp, ec);
      throw EnvironmentError(chromium + " could not print " + out + " to PDF (exit status " + std::to_string(rc) + ")");
    }
    rename_atomic(tmp, pdf.string());
    std::printf("pdf                 %s\n", pdf.c_str());
  }
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
  sub->add_option("-o,--output", a->out, "HTML file (default RUN_DIR/report.html; report-KIND.html for other kinds)");
  sub->add_flag("--pdf", a->pdf, "Also print it to a PDF beside the HTML with an installed Chromium");
  sub->add_option("--margin-pct", a->margin_pct, "Margin over the highest 15-min demand for the contracted capacity (%)")
      ->capture_default_str();
  sub->add_option("--band-lo-hz", a->band_lo_hz, "Lower edge of the utility's critical oscillation band (Hz)")->capture_default_str();
  sub->add_option("--band-hi-hz", a->band_hi_hz, "Upper edge of the utility's critical oscillation band (Hz)")->capture_default_str();
  sub->add_option("--energy-usd-per-kwh", a->energy_usd_per_kwh, "Energy tariff ($/kWh); no cost is shown without a tariff");
  sub->add_option("--demand-usd-per-kw-month", a->demand_usd_per_kw_month, "Demand charge ($/kW-month)");
  return {sub, [a] {
            try {
              return report(*a);
            } catch (const InputError& e) {
              for (const auto& p : e.problems().list()) std::fprintf(stderr, "%s\n", p.str().c_str());
              std::fprintf(stderr, "%zu %s found; no report was written.\n", e.problems().size(),
                           e.problems().size() == 1 ? "problem" : "problems");
              return 2;
            }
          }};
}

}  // namespace dctwin::cli
