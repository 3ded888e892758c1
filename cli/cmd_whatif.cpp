// dctwin whatif SCENARIO [--vary key=v1,v2,... ...] [--weather FILE.epw] [--period P] [--fail F ...]
//                [--duration-s N] [--dt-s S] [--thermal-step-s S] [--keep-runs] [--set path=value ...] [-o DIR]
// Runs every combination of the varied values (sim/studies/whatif.h) and prints one row each: PUE,
// WUE, peak facility MW, cooling energy, free-cooling and chiller hours, max facility water and
// junction temperatures, throttled GPU-hours, alarm count and the time from the first plant failure
// to the first alarm. Writes DIR/whatif.csv and DIR/whatif.json, and with --keep-runs each case's
// run files in DIR/runs/<case>/. Progress on stderr.
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "sim/studies/whatif.h"

namespace dctwin::cli {

namespace {

constexpr const char* kWhatifFilesHelp =
    "DIR/whatif.csv and DIR/whatif.json (one row per case); with --keep-runs also each case's run files in DIR/runs/<case>/";

struct WhatifArgs {
  ScenarioArgs scenario;
  WhatifOptions options;
  std::string out = "results/whatif";
  bool keep_runs = false;
};

int run(WhatifArgs& a) {
  a.options.scenario_path = a.scenario.path;
  a.options.sets = a.scenario.sets;
  const WhatifStudy study = prepare_whatif(a.options);
  if (!study.period.empty()) std::printf("period: %s\n", study.period.c_str());
  check_whatif_cases(study);
  create_output_folder(a.out, "output folder (-o)");  // before any case runs
  validate_whatif_cases(study);  // a bad value in any case is reported with nothing run
  std::fprintf(stderr, "dctwin whatif: %zu case%s\n", study.cases, study.cases == 1 ? "" : "s");
  const auto& columns = whatif_columns();
  std::printf("%-5s", "case");
  for (const auto& ax : study.axes) std::printf(" %-22s", ax.path.c_str());
  for (const auto& col : columns) std::printf(" %*s", col.width, col.heading);
  std::printf("\n");
  std::fflush(stdout);
  Progress progress;
  WhatifRunOptions ro;
  ro.progress = [&progress](double f) { progress(f); };
  if (a.keep_runs) ro.runs_root = a.out;
  ro.on_row = [&](const WhatifRow& r) {
    progress.clear_line();
    std::printf("%-5zu", r.index);
    for (const auto& v : r.values) std::printf(" %-22s", v.c_str());
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const std::string cell = whatif_cell(columns[k].console_format, r.figures[k]);
      std::printf(" %*s", columns[k].width, cell.empty() ? "n/a" : cell.c_str());
    }
    std::printf("\n");
    std::fflush(stdout);
  };
  const std::vector<WhatifRow> rows = run_whatif(study, ro);
  write_whatif_table(a.out, study, rows);
  std::printf("wrote %s/whatif.csv and %s/whatif.json%s\n", a.out.c_str(), a.out.c_str(),
              a.keep_runs ? (", and each case's run in " + a.out + "/runs/<case>/ (dctwin report DIR/runs/<case> reports on one)").c_str()
                          : "");
  return 0;
}

}  // namespace

Command add_whatif_command(CLI::App& app) {
  auto args = std::make_shared<WhatifArgs>();
  auto* sub = app.add_subcommand("whatif", "Run every combination of varied scenario values and compare cooling figures");
  args->scenario.add_to(sub, true);
  WhatifOptions& o = args->options;
  sub->add_option("--vary", o.vary, "key=v1,v2,... (a --set path and its values; repeatable)");
  sub->add_option("--weather", o.weather_epw, "EPW weather file replacing cooling.weather (default: the scenario's weather)");
  sub->add_option("--period", o.period,
                  "Weather window: year, hottest-day, hottest-week, coldest-day, day:N or days:N:M (sets the start day and "
                  "duration; default: the scenario's)");
  sub->add_option("--fail", o.fail,
                  "Plant failure UNIT[:COUNT]@WHEN[/DURATION_S]: UNIT chiller|cdu|tower_cell|dry_cooler|crah, WHEN seconds or "
                  "hottest-hour (repeatable; default: none)");
  sub->add_option("--duration-s", o.duration_s, "Simulated seconds (default: the period's, else simulation.duration_s)");
  sub->add_option("--dt-s", o.dt_s,
                  "Facility output step in s, as for run (default: simulation.output_step_s); a long period needs a longer step");
  sub->add_option("--thermal-step-s", o.thermal_step_s, "Cooling plant step in s (default: simulation.thermal_step_s, else 1)");
  sub->add_flag("--keep-runs", args->keep_runs, "Keep each case's run files in DIR/runs/<case>/ (whatif.json's run_dir)");
  add_out_option(sub, args->out, std::string("Output folder; writes ") + kWhatifFilesHelp, "DIR");
  return {sub, [args] { return run(*args); }};
}

}  // namespace dctwin::cli
