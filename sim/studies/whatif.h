// What-if studies (`dctwin whatif`): one scenario with a few of its values varied, every
// combination run and compared on its cooling figures, optionally over a weather period chosen by
// name (sim/studies/analysis_period.h) and with plant units taken out of service. Built on the
// sweep machinery (sim/studies/sweep.h): the cases are the cartesian product of the axes (the
// first axis varying slowest), a case is the scenario with `--set` overrides, cases run in threads.
//
// Axis text:    PATH=V1,V2,...  a --set path and one or more non-empty values; each value is
//               applied as PATH=V (read as --set reads it), shown in the printed table and the CSV
//               as given, and kept in whatif.json as the JSON value it was read as (15 a number,
//               true a boolean, N+1 a string).
// Failure text: UNIT[:COUNT]@WHEN[/DURATION_S] -> a cooling.failures entry; UNIT chiller, cdu,
//               tower_cell, dry_cooler or crah; WHEN seconds from the start, or hottest-hour (the
//               start of the period's hottest hour).
// Overrides of every case, in order: --set, the weather file, the period's duration and start
// day, the failures, the duration, the output step (--dt-s), the thermal step.
// Steps: a period too long for the output step (more than kMaxOutputSamples intervals, or more
// memory than there is) is refused before anything runs, naming --dt-s and the step that fits.
//
// The table (whatif.csv, whatif.json): one row per case, its values then the figures of
// whatif_columns() (null in JSON, an empty cell in CSV, where the run has none, e.g. WUE without
// cooling); whatif.json also keeps each case's plant_failures, the period's description and, when
// the runs are kept, each case's run folder (run_dir, relative to whatif.json; also a CSV column).
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
  std::optional<double> duration_s;  // overrides simulation.duration_s
  std::optional<double> dt_s;        // overrides simulation.output_step_s
  std::optional<double> thermal_step_s;  // overrides simulation.thermal_step_s
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
// case's scenario valid (the first bad case's problems), its output step fitting its duration
// (kMaxOutputSamples) and the memory (`memory_limit_bytes`; 0: the available memory), else a
// problem naming --dt-s with the step that fits.
void check_whatif_cases(const WhatifStudy& study);
void validate_whatif_cases(const WhatifStudy& study, double memory_limit_bytes = 0);

// The shortest round output step (1, 2 or 5 x 10^k s) at or above `step_s`.
double round_step_up(double step_s);

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
  std::vector<std::string> values;  // one per axis, as given
  std::vector<double> figures;      // one per column
  json plant_failures;              // the run's summary "plant_failures"; null without failures
  std::string run_dir;              // the case's run folder relative to the study's folder; "" when not kept
};
WhatifRow whatif_row(const WhatifStudy& study, std::size_t c, const SummaryFigures& summary);

struct WhatifRunOptions {
  unsigned threads = 1;
  // Each row in case order, as soon as it and every row before it are done.
  std::function<void(const WhatifRow&)> on_row;
  // The fraction of the study simulated (0..1), called from one thread at a time.
  std::function<void(double)> progress;
  // "": the runs' files are not kept; else each case's run files (write_results) go to
  // runs_root/runs/<case>/ and its row's run_dir is "runs/<case>".
  std::string runs_root;
};

// Runs every case; returns the rows in case order. A failing case (e.g. a conservation check)
// stops the study: its exception is rethrown once running cases finish.
std::vector<WhatifRow> run_whatif(const WhatifStudy& study, const WhatifRunOptions& options = {});

// printf of one figure in one of its formats; "" where there is none (NaN or infinite).
std::string whatif_cell(const char* format, double figure);

// The table as CSV and JSON, and both written into `out_dir` (whatif.csv, whatif.json).
std::string whatif_table_csv(const WhatifStudy& study, const std::vector<WhatifRow>& rows);
json whatif_table_json(const WhatifStudy& study, const std::vector<WhatifRow>& rows);
void write_whatif_table(const std::string& out_dir, const WhatifStudy& study, const std::vector<WhatifRow>& rows);

}  // namespace dctwin
