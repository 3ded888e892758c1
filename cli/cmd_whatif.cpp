// dctwin whatif SCENARIO [--vary key=v1,v2,... ...] [--weather FILE.epw] [--period P] [--fail F ...]
//                [--duration-s N] [--set path=value ...] [-o DIR]
// Runs every combination of the varied values (sim/studies/whatif.h) and prints one row each: PUE,
// WUE, peak facility MW, cooling energy, free-cooling and chiller hours, max facility water and
// junction temperatures, throttled GPU-hours, alarm count and the time from the first plant failure
// to the first alarm. Writes DIR/whatif.csv and DIR/whatif.json.
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "sim/studies/whatif.h"

namespace dctwin::cli {

namespace {

struct WhatifArgs {
  ScenarioArgs scenario;
  WhatifOptions options;
  std::string out = "results/whatif";
};

int run(WhatifArgs& a) {
  a.options.scenario_path = a.scenario.path;
  a.options.sets = a.scenario.sets;
  const WhatifStudy study = prepare_whatif(a.options);
  if (!study.period.empty()) std::printf("period: %s\n", study.period.c_str());
  check_whatif_cases(study);
  create_output_folder(a.out, "output folder (-o)");  // before any case runs
  validate_whatif_cases(study);  // a bad value in any case is reported with nothing run
  const auto& columns = whatif_columns();
  std::printf("%-5s", "case");
  for (const auto& ax : study.axes) std::printf(" %-22s", ax.path.c_str());
  for (const auto& col : columns) std::printf(" %*s", col.width, col.heading);
  std::printf("\n");
  const std::vector<WhatifRow> rows = run_whatif(study, 1, [&](const WhatifRow& r) {
    std::printf("%-5zu", r.index);
    for (const auto& v : r.values) std::printf(" %-22s", v.c_str());
    for (std::size_t k = 0; k < columns.size(); ++k) std::printf(" %s", whatif_cell(columns[k].console_format, r.figures[k]).c_str());
    std::printf("\n");
  });
  write_whatif_table(a.out, study, rows);
  std::printf("wrote %s/whatif.csv and %s/whatif.json\n", a.out.c_str(), a.out.c_str());
  return 0;
}

}  // namespace

Command add_whatif_command(CLI::App& app) {
  auto args = std::make_shared<WhatifArgs>();
  auto* sub = app.add_subcommand("whatif", "Run every combination of varied scenario values and compare cooling figures");
  args->scenario.add_to(sub, true);
  WhatifOptions& o = args->options;
  sub->add_option("--vary", o.vary, "key=v1,v2,... (a --set path and its values; repeatable)");
  sub->add_option("--weather", o.weather_epw, "EPW weather file replacing cooling.weather");
  sub->add_option("--period", o.period,
                  "Weather window: year, hottest-day, hottest-week, coldest-day, day:N or days:N:M (sets the start day and duration)");
  sub->add_option("--fail", o.fail,
                  "Plant failure UNIT[:COUNT]@WHEN[/DURATION_S]: UNIT chiller|cdu|tower_cell|dry_cooler|crah, WHEN seconds or "
                  "hottest-hour (repeatable)");
  sub->add_option("--duration-s", o.duration_s, "Simulated seconds (overrides simulation.duration_s)");
  sub->add_option("-o,--out", args->out, "Output folder for whatif.csv and whatif.json");
  return {sub, [args] { return run(*args); }};
}

}  // namespace dctwin::cli
