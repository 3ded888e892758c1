// dctwin compare RUN_A RUN_B [RUN ...] [-o FILE.html]   or   dctwin compare WHATIF_DIR|SWEEP_DIR [-o FILE.html]
// Puts two or more runs (or the cases of one whatif/sweep folder) side by side: prints the key
// figures with their differences against the first, and writes one self-contained HTML report
// (viz/compare_report.h). This file only reads the options and prints.
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "viz/compare_report.h"
#include "viz/report.h"

namespace dctwin::cli {

namespace {

struct CompareArgs {
  std::vector<std::string> dirs;
  std::string out;  // default: viz::default_compare_path
};

int compare(const CompareArgs& a) {
  // Refused before anything is written: bad input (exit 2), a build without ECharts (exit 3).
  const viz::CompareInput in = viz::load_compare_input(a.dirs);
  viz::CompareOptions o;
  o.echarts_js = viz::embedded_echarts();
  o.generated = viz::generated_now();
  const std::string out = a.out.empty() ? viz::default_compare_path(a.dirs) : a.out;
  std::fputs(viz::compare_terminal_table(in, o.side_by_side).c_str(), stdout);
  const std::string html = viz::render_compare(in, o);
  write_file_atomic(out, html);
  std::printf("report              %s (%.2f MB)\n", out.c_str(), static_cast<double>(html.size()) / 1e6);
  return 0;
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto a = std::make_shared<CompareArgs>();
  auto* sub = app.add_subcommand("compare",
                                 "Compare two or more runs (or the cases of a whatif/sweep folder): key figures with differences, "
                                 "series overlaid; writes one HTML report");
  sub->add_option("dirs", a->dirs,
                  "Run folders of `dctwin run` (summary.json, timeseries.csv; cooling.csv when present), the first being "
                  "the reference; or one folder of `dctwin whatif` (whatif.json) or `dctwin sweep` (sweep.json)")
      ->required();
  add_out_option(sub, a->out,
                 "HTML file to write (default: compare.html in the current folder; DIR/compare.html for a whatif/sweep folder)",
                 "FILE");
  return {sub, [a] {
            try {
              return compare(*a);
            } catch (const InputError& e) {
              return print_input_problems(e, "no comparison was written");
            }
          }};
}

}  // namespace dctwin::cli
