// What-if studies (`dctwin whatif`): one scenario with a few of its values varied, every
// combination run and compared on its cooling figures, optionally over a weather period chosen by
// name (sim/studies/analysis_period.h) and with plant units taken out of service. Built on the
// sweep machinery (sim/studies/sweep.h): the cases are the cartesian product of the axes (the
// first axis varying slowest), a case is the scenario with `--set` overrides, cases run in threads.
//
// Axis text:    PATH=V1,V2,...  a --set path and one or more non-empty values; each value is
//               applied as PATH=V (read as --set reads it) and shown in the table as given.
// Failure text: UNIT[:COUNT]@WHEN[/DURATION_S] -> a cooling.failures entry; UNIT chiller, cdu,
//               tower_cell, dry_cooler or crah; WHEN seconds from the start, or hottest-hour (the
//               start of the period's hottest hour).
// Overrides of every case, in order: --set, the weather file, the period's duration and start
// day, the failures, the duration.
//
// The table (whatif.csv, whatif.json): one row per case, its values then the figures of
// whatif_columns() (null in JSON, "nan" in CSV, where the run has none, e.g. WUE without cooling);
// whatif.json also keeps each case's plant_failures and the period's description.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sim/input/scenario.h"
#include "sim/output/summary_figures.h"

namespace dctwin {

inline constexpr std::size_t kMaxWhatifCases = 1000;

struct WhatifOptions {
  std::string scenario_path;         // "" = the embedded default scenario
  std::vector<std::string> sets;     // --set path=value
  std::vector<std::string> vary;     // axes, PATH=V1,V2,...
  std::string weather_epw;           // EPW file replacing cooling.weather ("" = the scenario's weather)
  std::string period;                // analysis period text ("" = the scenario's start day and duration)
  std::vector<std::string> fail;     // plant failures
  std::optional<double> duration_s;  // overrides simulation.duration_s, last
};

struct WhatifAxis {
  std::string path;
  std::vector<std::string> values;
};

struct WhatifStudy {
  std::string scenario_path;
  std::vector<std::string> sets;  // applied to every case, before its own values
  std::vector<WhatifAxis> axes;
  std::string period;             // the period's description; "" without one
  std::size_t cases = 1;          // combinations of the axes (counted up to 1,000,000)
};

// Reads the axes, the period and the failures (the scenario is loaded once to resolve the period
// against its weather). Throws InputError, named with the option (--vary, --period, --fail), for a
// bad text, a period or failure without a "cooling" object, or nothing to vary.
WhatifStudy prepare_whatif(const WhatifOptions& options);
// Checks before anything runs, each throwing InputError: at most kMaxWhatifCases cases; every
// case's scenario valid (the first bad case's problems).
void check_whatif_cases(const WhatifStudy& study);
void validate_whatif_cases(const WhatifStudy& study);

// Case c (0 .. cases - 1): its value on each axis, and its scenario.
std::vector<std::string> whatif_case_values(const WhatifStudy& study, std::size_t c);
Scenario load_whatif_case(const WhatifStudy& study, std::size_t c);

// A column of the table: its key (CSV header, JSON key), its heading and printf formats in the
// printed table (width included) and in the CSV, and its figure (NaN where the run has none).
struct WhatifColumn {
  const char* key;
  const char* heading;
  int width;
  const char* console_format;
  const char* csv_format;
  bool integer;  // a count: an integer in JSON
  double (*figure)(const SummaryFigures&);
};
const std::vector<WhatifColumn>& whatif_columns();

struct WhatifRow {
  std::size_t index = 0;
  std::vector<std::string> values;  // one per axis
  std::vector<double> figures;      // one per column
  json plant_failures;              // the run's summary "plant_failures"; null without failures
};
WhatifRow whatif_row(const WhatifStudy& study, std::size_t c, const SummaryFigures& summary);

// Runs every case on `threads` threads; returns the rows in case order. `on_row` (optional) gets
// each row in case order, as soon as it and every row before it are done. A failing case (e.g. a
// conservation check) stops the study: its exception is rethrown once running cases finish.
std::vector<WhatifRow> run_whatif(const WhatifStudy& study, unsigned threads,
                                  const std::function<void(const WhatifRow&)>& on_row = {});

// printf of one figure in one of its formats.
std::string whatif_cell(const char* format, double figure);

// The table as CSV and JSON, and both written into `out_dir` (whatif.csv, whatif.json).
std::string whatif_table_csv(const WhatifStudy& study, const std::vector<WhatifRow>& rows);
json whatif_table_json(const WhatifStudy& study, const std::vector<WhatifRow>& rows);
void write_whatif_table(const std::string& out_dir, const WhatifStudy& study, const std::vector<WhatifRow>& rows);

}  // namespace dctwin
